"""Failures below HTTP, classified by exception type through NETWORK_ERROR_MAP.

The chains are built the way requests and urllib3 build them: requests wraps urllib3's error in
its args, urllib3's MaxRetryError keeps the failure in `reason`, and Python links the rest
through `__cause__`/`__context__`.
"""

from __future__ import annotations

import http.client
import socket
import ssl

import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from lib.client import Endpoint
from lib.client.errors import CONNECTION_ERROR, TIMEOUT
from lib.client.http import exception_chain, network_error
from lib.client.transport import NETWORK_ERROR_MAP

ENDPOINT = Endpoint("https://api.example:8443/v1", connect_timeout=3.5, read_timeout=42.0)
HOST = "api.example"


def caused(exc: BaseException, cause: BaseException) -> BaseException:
    """`exc` raised `from cause`."""
    exc.__cause__ = cause
    return exc


def in_handler(exc: BaseException, handled: BaseException) -> BaseException:
    """`exc` raised while `handled` was being handled (only `__context__` links them)."""
    exc.__context__ = handled
    return exc


def retried(reason: BaseException) -> MaxRetryError:
    """urllib3's MaxRetryError as urlopen raises it: `from reason`, keeping it in `reason`."""
    return caused(MaxRetryError(None, "/v1/completions", reason), reason)


def refused() -> NewConnectionError:
    return caused(
        NewConnectionError(None, "Failed to establish a new connection"),
        ConnectionRefusedError(111, "Connection refused"),
    )


def not_found() -> NameResolutionError:
    gai = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return caused(NameResolutionError("api.example", None, gai), gai)


def connect_timeout() -> ConnectTimeoutError:
    return caused(ConnectTimeoutError(None, "Connection timed out"), TimeoutError("timed out"))


def read_timeout() -> ReadTimeoutError:
    return caused(ReadTimeoutError(None, None, "Read timed out."), TimeoutError("timed out"))


def tls() -> SSLError:
    verify = ssl.SSLCertVerificationError(1, "certificate verify failed")
    return caused(SSLError(verify), verify)


CASES = {
    # name: (the exception requests raises, key, type)
    "dns": (requests.ConnectionError(retried(not_found())), "client.dns", CONNECTION_ERROR),
    "refused": (requests.ConnectionError(retried(refused())), "client.refused", CONNECTION_ERROR),
    "refused, linked only by context": (
        in_handler(requests.ConnectionError("failed"), retried(refused())),
        "client.refused",
        CONNECTION_ERROR,
    ),
    "tls": (requests.exceptions.SSLError(retried(tls())), "client.tls", CONNECTION_ERROR),
    "connect timeout": (
        requests.ConnectTimeout(retried(connect_timeout())),
        "client.connect_timeout",
        TIMEOUT,
    ),
    # NewConnectionError subclasses ConnectTimeoutError: failing at once is not a timeout.
    "network unreachable": (
        requests.ConnectionError(
            retried(
                caused(
                    NewConnectionError(None, "Failed to establish a new connection"),
                    OSError(101, "Network is unreachable"),
                )
            )
        ),
        "client.unreachable",
        CONNECTION_ERROR,
    ),
    "read timeout on a request": (
        requests.ReadTimeout(retried(read_timeout())),
        "client.read_timeout",
        TIMEOUT,
    ),
    # requests wraps a timeout while reading a non-streamed body in a ConnectionError.
    "read timeout in a body": (
        requests.ConnectionError(read_timeout()),
        "client.read_timeout",
        TIMEOUT,
    ),
    "read timeout in a stream": (read_timeout(), "client.read_timeout", TIMEOUT),
    "invalid url": (requests.exceptions.InvalidURL("bad"), "client.bad_url", CONNECTION_ERROR),
    "missing schema": (
        requests.exceptions.MissingSchema("no scheme"),
        "client.bad_url",
        CONNECTION_ERROR,
    ),
    "closed without an answer": (
        requests.ConnectionError(
            ProtocolError("Connection aborted.", http.client.RemoteDisconnected("closed"))
        ),
        "client.reset",
        CONNECTION_ERROR,
    ),
    "reset": (
        requests.ConnectionError(
            ProtocolError("Connection aborted.", ConnectionResetError(104, "reset by peer"))
        ),
        "client.reset",
        CONNECTION_ERROR,
    ),
    "a body cut off by a reset": (
        requests.exceptions.ChunkedEncodingError(
            ProtocolError("Connection broken", ConnectionResetError(104, "reset by peer"))
        ),
        "client.dropped",
        CONNECTION_ERROR,
    ),
    "connection aborted": (
        requests.ConnectionError(ProtocolError("Connection aborted.", OSError("broken"))),
        "client.unreachable",
        CONNECTION_ERROR,
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_classified_by_type(name: str) -> None:
    exc, key, error_type = CASES[name]
    err = network_error(ENDPOINT, exc)
    assert (err.key, err.type, err.status) == (key, error_type, None)


def test_every_map_entry_has_a_case() -> None:
    assert {key for _, key in NETWORK_ERROR_MAP} <= {key for _, key, _ in CASES.values()}


def test_parameters_and_english_text() -> None:
    dns = network_error(ENDPOINT, CASES["dns"][0])
    assert dns.params == {"host": HOST}
    assert str(dns) == f"Could not find the host {HOST} (DNS lookup failed)."
    slow = network_error(ENDPOINT, CASES["connect timeout"][0])
    assert slow.params == {"host": HOST, "seconds": "3.5"}
    assert str(slow) == f"Timed out connecting to {HOST} after 3.5 s."
    silent = network_error(ENDPOINT, CASES["read timeout in a body"][0])
    assert silent.params == {"host": HOST, "seconds": "42"}
    unreachable = network_error(ENDPOINT, CASES["connection aborted"][0])
    assert unreachable.params == {"host": HOST, "reason": "ConnectionError"}
    assert network_error(ENDPOINT, CASES["invalid url"][0]).params == {}


def test_words_in_a_message_do_not_classify_it() -> None:
    words = "NameResolutionError: Name or service not known; Connection refused; Read timed out"
    for exc in (OSError(words), requests.ConnectionError(words), ProtocolError(words)):
        err = network_error(ENDPOINT, exc)
        assert err.key == "client.unreachable", exc
        assert err.params["reason"] == type(exc).__name__


def test_chain_is_nearest_first_and_survives_loops() -> None:
    inner = refused()
    outer = requests.ConnectionError(retried(inner))
    chain = exception_chain(outer)
    assert chain[0] is outer and isinstance(chain[1], MaxRetryError)
    assert inner in chain and isinstance(chain[-1], ConnectionRefusedError)
    first, second = OSError("a"), OSError("b")
    first.__context__, second.__context__ = second, first
    assert exception_chain(first) == [first, second]
    assert network_error(ENDPOINT, first).key == "client.unreachable"
