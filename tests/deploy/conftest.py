"""App replicas behind Debian's nginx configured from deploy/nginx/, all on 127.0.0.1."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import Popen

import pytest

from tests.support import proxy
from tests.support.browser import app_process, free_port, wait_healthy


@dataclass
class Replica:
    url: str
    process: Popen
    log: Path

    @property
    def address(self) -> str:
        """host:port, as nginx's $upstream_addr names it."""
        return self.url.removeprefix("http://")

    def kill(self) -> None:
        """The replica is lost: no shutdown, no goodbye (a crashed pod, a pulled plug)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)


@dataclass
class Deployment:
    url: str  # the proxy, https
    http_url: str  # the proxy's plain-http port (it only redirects)
    directory: Path  # nginx's files and logs
    replicas: list[Replica] = field(default_factory=list)

    @property
    def cert(self) -> str:
        """The proxy's certificate, made for this test: requests verify against it."""
        return str(self.directory / "fullchain.pem")

    def access_log(self) -> list[dict[str, str]]:
        return proxy.access_log(self.directory)

    def replica(self, address: str) -> Replica:
        (found,) = [r for r in self.replicas if r.address == address]
        return found


@pytest.fixture(scope="module")
def deployment(request, relay_server, tmp_path_factory) -> Iterator[Deployment]:
    """Two app processes behind nginx (not a daemon), pointed at the fake relay.

    A module adds settings with a module-level ``APP_ENV = {"NAME": "value"}``.
    """
    env = {"OPENAI_BASE_URL": relay_server.base_url, **getattr(request.module, "APP_ENV", {})}
    root = tmp_path_factory.mktemp("deployment")
    with ExitStack() as stack:
        started = []
        for index in range(2):
            log = root / f"app{index}.log"
            url, process = stack.enter_context(app_process(env, log))
            started.append(Replica(url, process, log))
        for replica in started:
            wait_healthy(replica.url, replica.process, replica.log)
        ports = [int(r.url.rsplit(":", 1)[1]) for r in started]
        http_port, https_port = free_port(), free_port()
        users = [proxy.USER, *getattr(request.module, "USERS", [])]
        conf = proxy.prepare(
            root / "nginx", http_port, https_port, "upstream.vm.conf", ports, users
        )
        url = f"https://127.0.0.1:{https_port}"
        stack.enter_context(proxy.nginx(conf, f"{url}/_stcore/health"))
        yield Deployment(url, f"http://127.0.0.1:{http_port}", root / "nginx", started)
