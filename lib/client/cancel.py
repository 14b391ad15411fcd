"""Cancelling a request from another thread, also before its response has begun.

requests hands a caller nothing until the response headers are in, so a server slow to answer
(a model loading, a stuck gateway) would keep the connection, and the thread waiting on it,
until the read timeout, long after the user pressed Stop. A request sent inside
`canceller.watching()` tells its `Canceller` which pooled connection it holds, from the moment
it takes it from the pool until it gives it back; `cancel()` shuts those sockets down from any
thread, which wakes the waiting thread at once.

Connections are shared: once a run has given its connection back, the next run to the same
endpoint may take it. So a Canceller holds only the connections its own request has in hand,
under one lock with their return to the pool; a late cancel (Stop on a finished run, the
watchdog) finds nothing to shut, never the next run's connection. No requests here: the pools
that report to a Canceller are in lib.client.transport.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

# The Canceller of the request being sent on this thread (set by `watching`).
_WATCHING: ContextVar[Canceller | None] = ContextVar("canceller", default=None)


def watching_canceller() -> Canceller | None:
    """The Canceller the request now being sent on this thread reports to, if any."""
    return _WATCHING.get()


def _shut(sock: socket.socket | None) -> None:
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class Canceller:
    """The connections one request holds, to be shut down on `cancel()`. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (urllib3 connection, its socket): the socket is kept because http.client lets go of
        # it (conn.sock is None) while a response that closes the connection is still read.
        self._held: list[tuple[Any, socket.socket | None]] = []
        self.cancelled = False

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Connections taken from a pool on this thread inside the block report to this one."""
        token = _WATCHING.set(self)
        try:
            yield
        finally:
            _WATCHING.reset(token)

    def cancel(self) -> None:
        """Shut down every connection the request holds now, and any it takes or opens later."""
        with self._lock:
            self.cancelled = True
            for _, sock in self._held:
                _shut(sock)

    # -- reported by lib.client.transport's pools and connections ------------------------------

    def taken(self, conn: Any) -> None:
        """`conn` left the pool for this request (a reused one may already be connected)."""
        with self._lock:
            conn.canceller = self
            self._held.append((conn, conn.sock))
            if self.cancelled:
                _shut(conn.sock)

    def connected(self, conn: Any) -> None:
        """`conn` has just opened its socket: shut it if cancelled while it was connecting."""
        with self._lock:
            if any(held is conn for held, _ in self._held):
                self._held.append((conn, conn.sock))
                if self.cancelled:
                    _shut(conn.sock)

    def released(self, conn: Any) -> bool:
        """`conn` goes back to the pool: forget it; True when cut (the pool must not keep it)."""
        with self._lock:
            self._held = [(held, sock) for held, sock in self._held if held is not conn]
            conn.canceller = None
            return self.cancelled
