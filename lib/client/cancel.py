"""Cancelling a request from another thread, also before its response has begun.

requests hands a caller nothing until the response headers are in, so a server slow to answer
(a model loading, a stuck gateway) would keep the connection, and the thread waiting on it,
until the read timeout, long after the user pressed Stop. A `Canceller` makes a requests
Session whose connections report their sockets to it as they open; `cancel()` shuts them
down from any thread, which wakes the waiting thread at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Canceller:
    """The sockets of one request, to be shut down on `cancel()`. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cancelled = False

    def session(self) -> requests.Session:
        """A Session whose every connection is shut down by `cancel()` (close it after use)."""
        session = requests.Session()
        adapter = _ReportingAdapter(self)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)

    def _opened(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            cancelled = self.cancelled
        if cancelled:  # cancelled while it was connecting
            _shut(sock)


def _pool_classes(canceller: Canceller) -> dict[str, type]:
    """urllib3 pools (by scheme) whose connections report their socket once connected."""

    def reporting(base: type[HTTPConnection]) -> type[HTTPConnection]:
        class Reporting(base):  # type: ignore[valid-type,misc]
            def connect(self) -> None:
                super().connect()
                canceller._opened(self.sock)

        return Reporting

    class Pool(HTTPConnectionPool):
        ConnectionCls = reporting(HTTPConnection)

    class TlsPool(HTTPSConnectionPool):
        ConnectionCls = reporting(HTTPSConnection)

    return {"http": Pool, "https": TlsPool}


class _ReportingAdapter(HTTPAdapter):
    def __init__(self, canceller: Canceller) -> None:
        self._classes = _pool_classes(canceller)  # before super(): it builds the pool manager
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._classes

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = self._classes
        return manager
