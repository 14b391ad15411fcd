"""HTTP client for an OpenAI-compatible completions server (requests; events in lib.client.sse)."""

from __future__ import annotations

import contextlib
import http.client
import json
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import urllib3

from lib.client.errors import (
    CONNECTION_ERROR,
    INVALID_REQUEST,
    INVALID_RESPONSE,
    STREAM_DROPPED,
    TIMEOUT,
    ApiError,
    error_from_body,
    error_from_http,
    redact,
)
from lib.client.sse import (
    body_without_events,
    iter_available,
    iter_chunks,
    parse_completion_body,
)
from lib.config.text import BadJson, read_json
from lib.config.urls import host_of

USER_AGENT = "completions-playground/1.0"
_SECRET_HEADER_WORDS = ("auth", "key", "token", "secret", "cookie")


@dataclass
class Endpoint:
    """Where to send requests and with which credentials; its repr never shows a secret."""

    base_url: str
    api_key: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 120.0
    headers: dict | None = field(default=None)
    # A body beyond this is refused, not read: a server must not run the app out of memory.
    max_response_bytes: int = 16 * 1024 * 1024

    def url(self, path: str) -> str:
        return self.base_url.strip().rstrip("/") + "/" + path.lstrip("/")

    def request_headers(self, *, stream: bool = False) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if stream:
            # identity: a compressing proxy would otherwise buffer the stream.
            headers["Accept"] = "text/event-stream"
            headers["Accept-Encoding"] = "identity"
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        headers.update({str(k): str(v) for k, v in (self.headers or {}).items()})
        return headers

    def __repr__(self) -> str:
        headers = None
        if self.headers is not None:
            headers = {
                k: "***" if any(w in str(k).lower() for w in _SECRET_HEADER_WORDS) else v
                for k, v in self.headers.items()
            }
        key = "***" if self.api_key else None
        return (
            f"Endpoint(base_url={self.base_url!r}, api_key={key!r}, "
            f"connect_timeout={self.connect_timeout!r}, read_timeout={self.read_timeout!r}, "
            f"headers={headers!r})"
        )

    __str__ = __repr__


# Failures below HTTP, by exception type: the first entry that matches any exception in the
# chain wins, so the most specific cause comes first (as httpx's HTTPCORE_EXC_MAP). Never by
# reading an exception's text: that changes with the platform, the language and the library.
NETWORK_ERROR_MAP: tuple[tuple[tuple[type[BaseException], ...], str], ...] = (
    ((urllib3.exceptions.NameResolutionError, socket.gaierror), "client.dns"),
    ((ConnectionRefusedError,), "client.refused"),
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
_TYPE_OF_KEY = {"client.connect_timeout": TIMEOUT, "client.read_timeout": TIMEOUT}
_CHAIN_LIMIT = 32


def exception_chain(exc: BaseException) -> list[BaseException]:
    """`exc` and every exception behind it, nearest first.

    Python links causes through ``__cause__``/``__context__``; requests wraps urllib3's error in
    its args (``ConnectionError(MaxRetryError(...))``, as does urllib3's ProxyError) and
    urllib3's MaxRetryError keeps the failure in ``reason``.
    """
    chain: list[BaseException] = []
    pending = [exc]
    while pending and len(chain) < _CHAIN_LIMIT:
        current = pending.pop(0)
        if any(current is seen for seen in chain):
            continue  # chains can loop (an exception raised again inside its own handler)
        chain.append(current)
        behind = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        behind += current.args
        pending += [e for e in behind if isinstance(e, BaseException)]
    return chain


def network_error(endpoint: Endpoint, exc: BaseException) -> ApiError:
    """A readable ApiError for a failure below HTTP (DNS, refused, TLS, timeout, dropped)."""
    chain = exception_chain(exc)
    key = next(
        (key for types, key in NETWORK_ERROR_MAP if any(isinstance(e, types) for e in chain)),
        "client.unreachable",
    )
    error_type = _TYPE_OF_KEY.get(key, CONNECTION_ERROR)
    if key == "client.bad_url":
        return ApiError.client(key, type=error_type)
    params = {"host": host_of(endpoint.base_url)}
    if key == "client.connect_timeout":
        params["seconds"] = f"{endpoint.connect_timeout:g}"
    elif key == "client.read_timeout":
        params["seconds"] = f"{endpoint.read_timeout:g}"
    elif key == "client.unreachable":
        params["reason"] = type(exc).__name__
    return ApiError.client(key, type=error_type, **params)


_NETWORK_ERRORS = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
)


def _send(
    endpoint: Endpoint,
    method: str,
    path: str,
    body: Any = None,
    *,
    stream: bool = False,
    session: requests.Session | None = None,
):
    data = None
    headers = endpoint.request_headers(stream=stream)
    if body is not None:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    for name, value in headers.items():
        if not (value.isascii() and value.isprintable()):
            # http.client would raise with the whole header (the key) in its message.
            raise ApiError.client("client.header", type=INVALID_REQUEST, name=name)
    send = session.request if session is not None else requests.request  # see lib/client/cancel
    try:
        response = send(
            method,
            endpoint.url(path),
            data=data,
            headers=headers,
            stream=stream,
            timeout=(endpoint.connect_timeout, endpoint.read_timeout),
        )
    except _NETWORK_ERRORS as exc:
        raise network_error(endpoint, exc).redacted(endpoint.api_key) from None
    if response.status_code >= 400:
        try:
            # An error page is read only as far as a message can be; the rest is dropped.
            content = _read_capped(response, min(endpoint.max_response_bytes, _ERROR_BYTES))
        except (*_NETWORK_ERRORS, _TooLarge) as exc:
            content = exc.partial if isinstance(exc, _TooLarge) else b""
        finally:
            response.close()
        # Redact before parsing: a message cut to length could keep part of an echoed key.
        if endpoint.api_key:
            text = content.decode("utf-8", errors="replace")
            content = redact(text, endpoint.api_key).encode("utf-8")
        raise error_from_http(response.status_code, response.headers, content).redacted(
            endpoint.api_key
        )
    return response


_ERROR_BYTES = 1024 * 1024


class _TooLarge(Exception):
    def __init__(self, partial: bytes) -> None:
        self.partial = partial


def _read_capped(response: requests.Response, limit: int) -> bytes:
    """The body, read piece by piece; _TooLarge (with what fits) once it passes `limit`."""
    parts, size = [], 0
    for part in response.iter_content(64 * 1024):
        parts.append(part)
        size += len(part)
        if size > limit:
            raise _TooLarge(b"".join(parts)[:limit])
    return b"".join(parts)


def _read_body(endpoint: Endpoint, response: requests.Response) -> Any:
    try:
        content = _read_capped(response, endpoint.max_response_bytes)
    except _TooLarge:
        most = f"{endpoint.max_response_bytes / (1024 * 1024):g}"
        raise ApiError.client(
            "client.too_large", type=INVALID_RESPONSE, status=response.status_code, most=most
        ) from None
    except _NETWORK_ERRORS as exc:
        raise network_error(endpoint, exc).redacted(endpoint.api_key) from None
    finally:
        response.close()
    return content


def list_models(endpoint: Endpoint) -> list[str]:
    """Model ids from ``GET {base_url}/models``."""
    content = _read_body(endpoint, _send(endpoint, "GET", "models"))
    try:
        body = read_json(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, BadJson):
        raise ApiError.client("client.models_not_json", type=INVALID_RESPONSE, status=200) from None
    err = error_from_body(body, status=200)
    if err is not None:
        raise err.redacted(endpoint.api_key)
    items = body.get("data") if isinstance(body, dict) else body
    if isinstance(body, dict) and items is None:
        items = body.get("models")
    if not isinstance(items, list):
        raise ApiError.client("client.models_no_data", type=INVALID_RESPONSE, status=200)
    ids = []
    for item in items:
        model_id = (item.get("id") or item.get("name")) if isinstance(item, dict) else item
        if isinstance(model_id, str) and model_id:
            ids.append(model_id)
    return ids


def create_completion(
    endpoint: Endpoint, payload: dict, *, session: requests.Session | None = None
) -> dict:
    """Non-streamed ``POST {base_url}/completions``; the parsed response as received."""
    content = _read_body(endpoint, _send(endpoint, "POST", "completions", payload, session=session))
    try:
        return parse_completion_body(content)
    except ApiError as err:
        raise err.redacted(endpoint.api_key) from None


def abort(response: requests.Response) -> None:
    """Close a streaming response from another thread, waking a read blocked on it.

    close() alone does not interrupt a recv() already waiting in another thread on Linux;
    shutdown() does.
    """
    sock = getattr(getattr(response.raw, "_connection", None), "sock", None)
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
    response.close()


def stream_completion(
    endpoint: Endpoint,
    payload: dict,
    *,
    on_response: Callable[[requests.Response], None] | None = None,
    session: requests.Session | None = None,
) -> Iterator[dict]:
    """Streamed ``POST {base_url}/completions``, yielding normalized chunks.

    Closing the generator closes the HTTP response, which is how a caller cancels a run;
    `on_response` hands the response to a caller that must `abort` it from another thread;
    a `session` from lib.client.cancel lets it cancel before the response has begun.
    Nothing is retried: text already yielded has reached the caller before any error.
    """
    response = _send(endpoint, "POST", "completions", payload, stream=True, session=session)
    if on_response is not None:
        on_response(response)
    try:
        content_type = response.headers.get("content-type", "").lower()
        if "json" in content_type:
            # The server ignored stream=true and answered with one document.
            yield body_without_events(_read_body(endpoint, response))
            return
        yield from iter_chunks(iter_available(response.raw))
    except ApiError as err:
        raise err.redacted(endpoint.api_key) from None
    except _NETWORK_ERRORS as exc:
        err = network_error(endpoint, exc)
        if err.type != TIMEOUT:
            host = host_of(endpoint.base_url)
            err = ApiError.client("client.dropped", type=STREAM_DROPPED, host=host)
        raise err.redacted(endpoint.api_key) from None
    finally:
        response.close()
