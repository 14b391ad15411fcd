"""HTTP client for an OpenAI-compatible completions server (requests; events in lib.client.sse).

requests itself is imported with the first request (`_transport`), not with this module.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from lib.client.cancel import Canceller
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

if TYPE_CHECKING:
    import requests

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


def _transport() -> ModuleType:
    """lib.client.transport (requests, urllib3, the pools), imported when first needed."""
    from lib.client import transport

    return transport


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
    error_map = _transport().NETWORK_ERROR_MAP  # by type: see lib.client.transport
    key = next(
        (key for types, key in error_map if any(isinstance(e, types) for e in chain)),
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


def _send(
    endpoint: Endpoint,
    method: str,
    path: str,
    body: Any = None,
    *,
    stream: bool = False,
    canceller: Canceller | None = None,
) -> requests.Response:
    data = None
    headers = endpoint.request_headers(stream=stream)
    if body is not None:
        data = json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")
        headers["Content-Type"] = "application/json"
    for name, value in headers.items():
        if not (value.isascii() and value.isprintable()):
            # http.client would raise with the whole header (the key) in its message.
            raise ApiError.client("client.header", type=INVALID_REQUEST, name=name)
    transport = _transport()
    session = transport.session_for(endpoint)  # one per endpoint: the connection is reused
    try:
        with canceller.watching() if canceller else contextlib.nullcontext():
            response = session.request(
                method,
                endpoint.url(path),
                data=data,
                headers=headers,
                stream=stream,
                timeout=(endpoint.connect_timeout, endpoint.read_timeout),
            )
    except transport.NETWORK_ERRORS as exc:
        raise network_error(endpoint, exc).redacted(endpoint.api_key) from None
    if response.status_code >= 400:
        try:
            # An error page is read only as far as a message can be; the rest is dropped.
            content = _read_capped(response, min(endpoint.max_response_bytes, _ERROR_BYTES))
        except (*transport.NETWORK_ERRORS, _TooLarge) as exc:
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
    except _transport().NETWORK_ERRORS as exc:
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


def call_json(endpoint: Endpoint, method: str, path: str, body: Any = None) -> Any:
    """Any JSON ``{method} {base_url}/{path}`` (a tokenizer, a server's props); its parsed body."""
    content = _read_body(endpoint, _send(endpoint, method, path, body))
    try:
        return read_json(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, BadJson):
        raise ApiError.client("client.not_json", type=INVALID_RESPONSE, status=200) from None


def create_completion(
    endpoint: Endpoint, payload: dict, *, canceller: Canceller | None = None
) -> dict:
    """Non-streamed ``POST {base_url}/completions``; the parsed response as received.

    `canceller.cancel()`, from any thread, ends the request at any point (lib.client.cancel).
    """
    response = _send(endpoint, "POST", "completions", payload, canceller=canceller)
    content = _read_body(endpoint, response)
    try:
        return parse_completion_body(content)
    except ApiError as err:
        raise err.redacted(endpoint.api_key) from None


def stream_completion(
    endpoint: Endpoint, payload: dict, *, canceller: Canceller | None = None
) -> Iterator[dict]:
    """Streamed ``POST {base_url}/completions``, yielding normalized chunks.

    Closing the generator closes the HTTP response; `canceller.cancel()` ends the request from
    any thread, also before the response has begun (lib.client.cancel). Nothing is retried:
    text already yielded has reached the caller before any error.
    """
    response = _send(endpoint, "POST", "completions", payload, stream=True, canceller=canceller)
    try:
        content_type = response.headers.get("content-type", "").lower()
        if "json" in content_type:
            # The server ignored stream=true and answered with one document.
            yield body_without_events(_read_body(endpoint, response))
            return
        yield from iter_chunks(iter_available(response.raw))
        _finish_body(response)
    except ApiError as err:
        raise err.redacted(endpoint.api_key) from None
    except _transport().NETWORK_ERRORS as exc:
        err = network_error(endpoint, exc)
        if err.type != TIMEOUT:
            host = host_of(endpoint.base_url)
            err = ApiError.client("client.dropped", type=STREAM_DROPPED, host=host)
        raise err.redacted(endpoint.api_key) from None
    finally:
        response.close()


# After [DONE], how long the end of the body may take to arrive, and how much may come.
_FINISH_SECONDS = 0.1
_FINISH_BYTES = 64 * 1024


def _finish_body(response: requests.Response) -> None:
    """Read the end of a stream that has said [DONE], so its connection goes back to the pool.

    A server ends the body right after [DONE] (the last, empty chunk); once it is read, the
    next request reuses the connection. One that keeps sending (keep-alives, events after
    [DONE]) gets a tenth of a second, then the connection is closed instead (the caller's
    `response.close()`), as if never read.
    """
    raw, deadline, left = response.raw, time.monotonic() + _FINISH_SECONDS, _FINISH_BYTES
    with contextlib.suppress(*_transport().NETWORK_ERRORS):
        # `_connection` is cleared when the body has ended and the connection went back.
        while left > 0 and (conn := raw._connection) is not None and conn.sock is not None:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return
            conn.sock.settimeout(wait)  # the next request sets its own timeouts
            data = raw.read1(left)
            if not data:
                return
            left -= len(data)
