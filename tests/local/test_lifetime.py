"""The local model's server lives no longer than the app: a SIGKILLed app leaves nothing running.

A small Python parent starts a server through lib.local.LocalServer, the way the app does, and
is then killed with SIGKILL (which runs no cleanup). The stand-in server is Python's own
http.server, started through the same guard; the real-model version runs llama_cpp.server.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from lib.local.server import GUARD, LocalServer, is_orphan, reap_orphans
from tests.support.local import NEEDS_LOCAL_MODEL
from tests.support.paths import ROOT
from tests.support.waiting import wait_until

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)"
)

PARENT = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from lib.local.server import HOST, LocalServer

pids, stand_in = Path(sys.argv[1]), sys.argv[2] == "stand-in"
args = (lambda port: ["-m", "http.server", "--bind", HOST, str(port)]) if stand_in else None
server = LocalServer(log=pids / "server.log", args=args, pids=pids)
server.ensure_started()
print(server.pid, server.port, flush=True)
while True:
    time.sleep(60)
"""


def gone(pid: int) -> bool:
    """No such process, or a zombie nobody has reaped yet (it runs nothing and holds no port)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rindex(")") + 2] == "Z"


def listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def ended(pid: int, port: int) -> bool:
    # A zombie leader can still have threads finishing their exit, holding the socket.
    return gone(pid) and not listening(port)


@contextmanager
def parent_app(tmp_path: Path, kind: str) -> Iterator[tuple[subprocess.Popen, int, int]]:
    """A parent process that started a server through LocalServer: (parent, server pid, port)."""
    script = tmp_path / "parent.py"
    script.write_text(PARENT.format(root=str(ROOT)))
    parent = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path), kind], stdout=subprocess.PIPE, text=True
    )
    pid = None
    try:
        line = parent.stdout.readline().split()
        assert line, f"the parent did not start a server: {(tmp_path / 'server.log').read_text()}"
        pid, port = int(line[0]), int(line[1])
        yield parent, pid, port
    finally:
        parent.kill()
        parent.wait(10)
        if pid is not None and not gone(pid):
            os.kill(pid, signal.SIGKILL)


def test_a_sigkilled_app_takes_its_server_with_it(tmp_path):
    with parent_app(tmp_path, "stand-in") as (parent, pid, port):
        wait_until(lambda: listening(port), 20, "the stand-in server never listened")
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        assert cmdline[1].decode() == str(GUARD)  # the same path the app's server takes
        assert str(tmp_path / f"{pid}.pid") in [str(p) for p in tmp_path.glob("*.pid")]
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_until(lambda: ended(pid, port), 10, "the server outlived its SIGKILLed parent")


def needs_local_model(test):
    for mark in NEEDS_LOCAL_MODEL:
        test = mark(test)
    return test


@needs_local_model
def test_a_sigkilled_app_takes_the_real_local_model_with_it(tmp_path):
    with parent_app(tmp_path, "real") as (parent, pid, port):
        wait_until(lambda: listening(port), 240, "the local model never listened")
        assert b"llama_cpp.server" in Path(f"/proc/{pid}/cmdline").read_bytes()
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_until(lambda: ended(pid, port), 10, "llama_cpp.server outlived its SIGKILLed parent")


def test_the_next_start_ends_a_server_that_outlived_its_app(tmp_path):
    with parent_app(tmp_path, "stand-in") as (parent, pid, port):
        wait_until(lambda: listening(port), 20, "the stand-in server never listened")
        # A hung server (stopped here) cannot watch its parent: the next start must end it.
        os.kill(pid, signal.SIGSTOP)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        wait_until(lambda: is_orphan(pid), 10, "the server was not reparented")
        assert not gone(pid)
        # What the app does when it starts (lib/ui/local_model.py), before any server runs.
        assert LocalServer(pids=tmp_path).reap() == [pid]
        assert gone(pid)
        assert not list(tmp_path.glob("*.pid"))


def test_reaping_never_touches_a_process_that_is_not_an_orphaned_server(tmp_path):
    stranger = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    with parent_app(tmp_path, "stand-in") as (_parent, pid, port):
        try:
            wait_until(lambda: listening(port), 20, "the stand-in server never listened")
            (tmp_path / f"{stranger.pid}.pid").write_text("a reused pid")
            (tmp_path / "999999999.pid").write_text("long gone")
            assert reap_orphans(tmp_path) == []
            assert stranger.poll() is None and not gone(pid)  # both still run
            # The live app's server keeps its pidfile; the stranger's and the dead one's go.
            assert [p.name for p in tmp_path.glob("*.pid")] == [f"{pid}.pid"]
        finally:
            stranger.kill()
            stranger.wait(10)
