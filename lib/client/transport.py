"""Everything that needs requests and urllib3: the connection pools, and their failures by type.

lib.client.http imports this module when it sends its first request, not when the app starts:
requests costs a tenth of a second to import, and the first screen sends nothing.

One `requests.Session` per endpoint, shared by the whole process, so a second request (the
next run, the model list then a run) reuses the connection and skips the TCP and TLS
handshakes. Shared, because whoever owns the runs changes with every rerun and every page,
while a connection outlives them all. That is safe because a Session here holds no
credentials: the key and every header travel with each request (`Endpoint.request_headers`),
cookies are refused (an upstream's cookie must not ride along with the next person's
request), and the Session is found by a keyed hash of the whole endpoint (base URL, key,
headers), so the table holds no secret and different keys never share a connection. Nothing
here is in st.cache_*: those hold what a page computed, this holds sockets.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import os
import socket
import threading
from collections import OrderedDict
from http.cookiejar import DefaultCookiePolicy
from typing import Any, Protocol

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import PoolManager

from lib.client.cancel import watching_canceller


class Endpoint(Protocol):
    """What tells endpoints apart (lib.client.http.Endpoint, named here without importing it)."""

    base_url: str
    api_key: str | None
    headers: dict | None


# Failures below HTTP, by exception type: the first entry that matches any exception in the
# chain wins, so the most specific cause comes first (as httpx's HTTPCORE_EXC_MAP). Never by
# reading an exception's text: that changes with the platform, the language and the library.
NETWORK_ERROR_MAP: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((urllib3.exceptions.NameResolutionError, socket.gaierror), "client.dns"),
    ((ConnectionRefusedError,), "client.refused"),
    # An answer cut off in its body (a reset included): the server had answered, and charged.
    ((requests.exceptions.ChunkedEncodingError,), "client.dropped"),
    # Closed without an answer: an overloaded server, a proxy or a firewall resets connections.
    # Nothing is sent again (the request may have been taken, and charged).
    ((ConnectionResetError, http.client.RemoteDisconnected), "client.reset"),
    ((urllib3.exceptions.SSLError, requests.exceptions.SSLError), "client.tls"),
    # urllib3's NewConnectionError subclasses ConnectTimeoutError (for compatibility), so it
    # must come first: a connection that failed at once is not a timeout.
    ((urllib3.exceptions.NewConnectionError,), "client.unreachable"),
    (
        (urllib3.exceptions.ConnectTimeoutError, requests.exceptions.ConnectTimeout),
        "client.connect_timeout",
    ),
    (
        (urllib3.exceptions.ReadTimeoutError, requests.exceptions.ReadTimeout),
        "client.read_timeout",
    ),
    ((requests.exceptions.InvalidURL, requests.exceptions.MissingSchema), "client.bad_url"),
)

# Everything a request can raise below HTTP.
NETWORK_ERRORS = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
)

# Endpoints whose Sessions are kept; the least recently used one beyond is closed (its
# connections in use finish their request first: a closed pool closes them on return).
MOST_ENDPOINTS = 32
# Idle connections kept per host: 25 people streaming through one team key each return one.
CONNECTIONS_PER_HOST = 32
# Fingerprints are keyed with a secret of this process: the table can't be matched to a key.
_FINGERPRINT_KEY = os.urandom(32)
_sessions: OrderedDict[str, requests.Session] = OrderedDict()
_lock = threading.Lock()


def fingerprint(endpoint: Endpoint) -> str:
    """What tells endpoints apart (base URL, key, headers), as a keyed hash: no secret in it."""
    whole = json.dumps(
        [endpoint.base_url.strip(), endpoint.api_key, sorted((endpoint.headers or {}).items())],
        default=str,
    )
    return hmac.new(_FINGERPRINT_KEY, whole.encode("utf-8"), hashlib.sha256).hexdigest()


def session_for(endpoint: Endpoint) -> requests.Session:
    """The Session of `endpoint`, shared by every request to it (see the module docstring)."""
    name = fingerprint(endpoint)
    with _lock:
        session = _sessions.get(name)
        if session is not None:
            _sessions.move_to_end(name)
            return session
        session = _sessions[name] = _credential_free_session()
        evicted = _sessions.popitem(last=False)[1] if len(_sessions) > MOST_ENDPOINTS else None
    if evicted is not None:
        evicted.close()
    return session


def _credential_free_session() -> requests.Session:
    session = requests.Session()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))  # refuse every cookie
    adapter = _ReportingAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


# -- pools whose connections report to the Canceller of the request holding them -------------


class _Reporting:
    """Mixed into urllib3's connections: `connect` tells the holder's Canceller."""

    canceller: Any = None  # set by Canceller.taken, cleared by Canceller.released

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        if self.canceller is not None:
            self.canceller.connected(self)


class _ReportingConnection(_Reporting, HTTPConnection):
    pass


class _ReportingTlsConnection(_Reporting, HTTPSConnection):
    pass


class _Lending:
    """Mixed into urllib3's pools: a connection taken while a Canceller watches is reported to
    it, and unreported (under its lock) before it goes back to the pool for the next request."""

    def _get_conn(self, timeout: float | None = None) -> Any:
        conn = super()._get_conn(timeout)  # type: ignore[misc]
        canceller = watching_canceller()
        if canceller is not None:
            canceller.taken(conn)
        return conn

    def _put_conn(self, conn: Any) -> None:
        canceller = getattr(conn, "canceller", None)
        if canceller is not None and canceller.released(conn):
            conn.close()  # cut by a cancel: the next request opens a fresh one
        super()._put_conn(conn)  # type: ignore[misc]


class _Pool(_Lending, HTTPConnectionPool):
    ConnectionCls = _ReportingConnection


class _TlsPool(_Lending, HTTPSConnectionPool):
    ConnectionCls = _ReportingTlsConnection


_POOLS = {"http": _Pool, "https": _TlsPool}


class _ReportingAdapter(HTTPAdapter):
    def __init__(self) -> None:
        super().__init__(pool_maxsize=CONNECTIONS_PER_HOST)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> PoolManager:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager
