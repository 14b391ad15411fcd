"""Debian's nginx in front of app processes, configured from deploy/nginx/ itself.

The test configuration is the deployed file with only what differs on a test machine replaced:
listen addresses and ports, the replicas' addresses, and the paths of the certificate, the
htpasswd file and the logs. Each replacement must match, so a change to deploy/nginx/ that a
test could no longer follow fails loudly instead of testing something else.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.browser import stop
from tests.support.paths import ROOT

NGINX_DIR = ROOT / "deploy" / "nginx"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
USER, PASSWORD = "team", "correct horse battery staple"


def htpasswd_line(user: str, password: str) -> str:
    """An htpasswd entry nginx reads ({SHA}: no apache2-utils needed for a test file)."""
    digest = base64.b64encode(hashlib.sha1(password.encode()).digest()).decode()
    return f"{user}:{{SHA}}{digest}\n"


def self_signed(directory: Path) -> None:
    """fullchain.pem and privkey.pem for 127.0.0.1, made by openssl for this test only."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(directory / "privkey.pem"), "-out", str(directory / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx no longer has {old!r}"
    return text.replace(old, new)


def site_config(directory: Path, http_port: int, https_port: int) -> str:
    """deploy/nginx/playground.conf with this machine's ports and the files in `directory`."""
    text = (NGINX_DIR / "playground.conf").read_text(encoding="utf-8")
    text = _replace(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _replace(text, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = _replace(text, "/etc/nginx/playground/tls/", f"{directory}/")
    text = _replace(text, "/etc/nginx/playground/", f"{directory}/")
    return _replace(text, "/var/log/nginx/", f"{directory}/")


def upstream_config(name: str, ports: list[int]) -> str:
    """An upstream file of deploy/nginx/ with its replicas on 127.0.0.1 at `ports`."""
    text = (NGINX_DIR / name).read_text(encoding="utf-8")
    servers = re.findall(r"^\s*server (\S+?)(?=[ ;])", text, re.M)
    assert len(servers) >= len(ports), f"{name} lists fewer replicas than the test runs"
    lines = text.splitlines(keepends=True)
    kept, index = [], 0
    for line in lines:
        if re.match(r"^\s*server \S", line):
            if index >= len(ports):
                continue
            line = line.replace(servers[index], f"127.0.0.1:{ports[index]}", 1)
            index += 1
        kept.append(line)
    return "".join(kept)


def main_config(directory: Path, *includes: Path) -> Path:
    """An nginx.conf that runs in the foreground with every file under `directory`."""
    temp = "\n".join(
        f"    {kind}_temp_path {directory}/{kind}_temp;"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    body = "\n".join(f"    include {path};" for path in includes)
    conf = directory / "nginx.conf"
    conf.write_text(
        f"""daemon off;
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {directory}/default.access.log;
{temp}
{body}
}}
""",
        encoding="utf-8",
    )
    return conf


def prepare(
    directory: Path,
    http_port: int,
    https_port: int,
    upstream: str,
    ports: list[int],
    users: list[str] = (USER,),
):
    """Every file the proxy reads, written under `directory`; returns the main config.

    Every user in `users` has PASSWORD: a test gives each browser its own user, so the access
    log says which browser each request came from.
    """
    directory.mkdir(parents=True, exist_ok=True)
    self_signed(directory)
    (directory / "htpasswd").write_text("".join(htpasswd_line(u, PASSWORD) for u in users))
    site = directory / "playground.conf"
    site.write_text(site_config(directory, http_port, https_port), encoding="utf-8")
    up = directory / "upstream.conf"
    up.write_text(upstream_config(upstream, ports), encoding="utf-8")
    return main_config(directory, site, up)


def _command(conf: Path) -> list[str]:
    return [NGINX, "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log")]


def check(conf: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on `conf` (what it prints is in stderr)."""
    return subprocess.run([*_command(conf), "-t"], capture_output=True, text=True)


@contextmanager
def nginx(conf: Path, url: str) -> Iterator[subprocess.Popen]:
    """nginx in the foreground (not a daemon) on `conf`, until it answers `url`; stopped after."""
    log = (conf.parent / "nginx.out").open("wb")
    with log:
        proc = subprocess.Popen(_command(conf), stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(url, timeout=1, verify=str(conf.parent / "fullchain.pem"))
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((conf.parent / "error.log").read_text()[-2000:]) from None
                time.sleep(0.05)
        yield proc
    finally:
        stop(proc)


def access_log(directory: Path) -> list[dict[str, str]]:
    """The proxy's access log (deploy/nginx's `playground` format) as dicts."""
    path = directory / "playground.access.log"
    if not path.exists():
        return []
    rows = []
    pattern = re.compile(
        r'^(?P<addr>\S+) (?P<user>\S+) \[[^\]]+\] "(?P<method>\S+) (?P<uri>\S*)" (?P<status>\d+) '
        r"\d+ upstream=(?P<upstream>\S+) upstream_status=(?P<upstream_status>\S+)"
    )
    for line in path.read_text().splitlines():
        if match := pattern.match(line):
            rows.append(match.groupdict())
    return rows
