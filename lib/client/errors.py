"""Errors raised by the completions client, as values a person can read.

Hierarchy::

    Exception
     └── ApiError            every failure of a request: HTTP status, network, stream, body

`ApiError.type` says what kind of failure it was, so callers can explain it without parsing
the message. It is the server's own error type when the server sent one
(``invalid_request_error``, ``rate_limit_error``, a relay's own value …), and otherwise one of:

``connection_error``   no answer: the host was not found, refused the connection, failed the
                       TLS handshake or could not be reached, or the base URL is not a URL
``timeout``            connecting took longer than the connect timeout, or the server sent
                       nothing for longer than the read timeout (also in the middle of a stream)
``stream_dropped``     the connection closed before a stream finished
``invalid_response``   an answer that is not a completion: not JSON, not UTF-8, empty, an event
                       that is not an object, a body larger than the cap, a model list without ids
``invalid_request``    the request could not be sent (a header with characters HTTP forbids)
``http_error``         an HTTP error status whose body names no error type (HTML, text, empty,
                       FastAPI's ``{"detail": ...}``)
``stream_error``       an ``error`` event, or an error payload without a type, inside a stream
``bug``                not raised here: lib.run.worker's name for an unexpected exception
``None``               a server error document that names no type (``{"error": "text"}``)

Client-side failures also carry `key` and `params`: ``str(err)`` is their English text
(`CLIENT_TEXT`), and lib.ui.describe says them in the reader's language. The client never
imports the interface catalog.
"""

from __future__ import annotations

import email.utils
import http
import json
import re
import time
from collections.abc import Mapping
from typing import Any

from lib.config.text import BadJson, one_line, read_json

# Client-side kinds, used as ApiError.type when the server did not name the failure.
CONNECTION_ERROR = "connection_error"
TIMEOUT = "timeout"
STREAM_DROPPED = "stream_dropped"
INVALID_RESPONSE = "invalid_response"
INVALID_REQUEST = "invalid_request"
HTTP_ERROR = "http_error"
STREAM_ERROR = "stream_error"
BUG = "bug"

# The English text of every failure the client describes itself, by key; the interface
# catalog (lib.i18n.catalog) has the same keys in every language.
CLIENT_TEXT: dict[str, str] = {
    "client.connect_timeout": "Timed out connecting to {host} after {seconds} s.",
    "client.read_timeout": "{host} sent nothing for {seconds} s (read timeout).",
    "client.dns": "Could not find the host {host} (DNS lookup failed).",
    "client.refused": "{host} refused the connection; is the server running and the port right?",
    "client.tls": "TLS/SSL handshake with {host} failed.",
    "client.bad_url": "The base URL is not a valid http(s) URL.",
    "client.unreachable": "Could not reach {host}: {reason}.",
    "client.reset": "{host} closed the connection without answering (connection reset): the "
    "server may be overloaded or restarting, or a proxy or firewall on the way cut it. Send "
    "again; if it keeps happening, check the base URL and the network.",
    "client.dropped": "The connection to {host} dropped before the answer was complete.",
    "client.header": "The {name} header contains characters that cannot be sent (spaces, line "
    "breaks or non-ASCII); check the API key.",
    "client.too_large": "The server's answer is larger than {most} MiB, the most this app reads "
    "(MAX_RESPONSE_BYTES); it was not read. Ask for less (max_tokens, n, logprobs) or stream.",
    "client.not_json": "The server answered {status} with something other than JSON.",
    "client.models_not_json": "The model list is not JSON; is the base URL right (it usually "
    "ends in /v1)?",
    "client.models_no_data": "The model list has no 'data' array.",
    "client.event_not_json": "The server sent a stream event that is not JSON: {data}",
    "client.event_not_object": "The server sent a stream event that is not an object: {data}",
    "client.empty": "The server returned an empty response.",
    "client.not_sse_or_json": "The server's answer is neither an event stream nor JSON: {data}",
    "client.not_completion": "The server's answer is JSON but not a completion: {data}",
    "client.bad_utf8": "The server sent text that is not valid UTF-8.",
    "client.stream_error": "The server reported an error",
    "client.unexpected": "Unexpected client error: {name}",
    "client.http_empty": "{reason} (empty response body)",
    "client.http_html": "{reason} — the server or a gateway in front of it returned an HTML page",
    "client.http_text": "{reason}: {text}",
}

MAX_MESSAGE = 500
# An echoed prefix this long is taken for the key (shorter ones are too common: "sk-proj-").
MIN_ECHOED_PREFIX = 8
REDACTED = "***"


def redact(text: str, secret: str | None) -> str:
    """`text` with `secret` removed: in any letter case, and any prefix of 8+ characters of it.

    Servers echo a rejected key in different ways: verbatim, upper-cased, or cut short (or a
    message is cut short after it). Every stretch of `text` that matches the start of the
    secret for at least `MIN_ECHOED_PREFIX` characters (the whole secret if shorter) becomes
    "***"; overlapping stretches are removed together.
    """
    if not secret or not text:
        return text
    return replace_spans(text, secret_spans(text, secret))


def secret_spans(text: str, secret: str) -> list[list[int]]:
    """The [start, end) stretches `redact` removes, in order; touching ones are merged."""
    folded = secret.lower()
    head = re.escape(secret[:MIN_ECHOED_PREFIX])
    spans: list[list[int]] = []
    for found in re.finditer(f"(?={head})", text, re.IGNORECASE):
        start = end = found.start()
        while end - start < len(secret) and end < len(text):
            if text[end].lower() != folded[end - start]:
                break
            end += 1
        if end - start < min(len(secret), MIN_ECHOED_PREFIX):
            continue  # the case-insensitive match of the head was not a per-character match
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    return spans


def replace_spans(text: str, spans: list[list[int]]) -> str:
    """`text` with each span (from `secret_spans`) replaced by REDACTED."""
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], REDACTED]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def unfinished_secret_at(text: str, secret: str) -> int:
    """Where the end of `text` may be the beginning of `secret` (len(text) when it is not).

    The earliest position from which the rest of `text` matches the start of the secret, in
    any case, but is shorter than it: more text could make it an echo `redact` removes.
    """
    folded = secret.lower()
    for start in range(max(0, len(text) - len(secret) + 1), len(text)):
        if text[start].lower() == folded[0] and text[start:].lower() == folded[: len(text) - start]:
            return start
    return len(text)


class ApiError(Exception):
    """A failed request, with the server's error fields when it sent them."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        type: str | None = None,  # mirrors the API field name
        code: str | None = None,
        retry_after: float | None = None,
        key: str | None = None,
        params: dict | None = None,
    ) -> None:
        self.message = one_line(message, MAX_MESSAGE) or "Unknown error"
        self.status = status
        self.type = type
        self.code = code
        self.retry_after = retry_after
        # Client-side failures carry a key (see CLIENT_TEXT), so the page can say them in any
        # language; the server's own messages are shown as sent.
        self.key = key
        self.params = params or {}
        super().__init__(self.message)

    @classmethod
    def client(
        cls, key: str, /, *, type: str, status: int | None = None, **params: Any
    ) -> ApiError:
        """An error the client itself describes, by a key of `CLIENT_TEXT` (English `message`)."""
        text = CLIENT_TEXT[key].format(**params)
        return cls(text, status=status, type=type, key=key, params=params)

    def __str__(self) -> str:
        parts = []
        if self.status is not None:
            parts.append(f"HTTP {self.status}")
        if self.code and self.code not in self.message:
            parts.append(f"[{self.code}]")
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.retry_after is not None:
            text += f" (retry after {self.retry_after:g} s)"
        return text

    def __repr__(self) -> str:
        return (
            f"ApiError(status={self.status!r}, type={self.type!r}, code={self.code!r}, "
            f"message={self.message!r}, retry_after={self.retry_after!r})"
        )

    def record(self) -> dict:
        """This error as a run keeps it in the history, to be described again in any language.

        Saved history files hold these keys: add keys if needed, never rename or drop one.
        """
        return {
            "status": self.status,
            "message": self.message,
            "type": self.type,
            "code": self.code,
            "retry_after": self.retry_after,
            "text": str(self),
            "key": self.key,
            "params": dict(self.params),
        }

    def redacted(self, secret: str | None) -> ApiError:
        """Remove `secret` from every field (servers sometimes echo the key they rejected).

        See `redact`: any letter case, and any prefix of 8+ characters, are removed too.
        """
        if secret:
            self.message = redact(self.message, secret)
            self.params = {
                k: redact(v, secret) if isinstance(v, str) else v for k, v in self.params.items()
            }
            self.type = redact(self.type, secret) if self.type else self.type
            self.code = redact(self.code, secret) if self.code else self.code
            self.args = (self.message,)
        return self


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds to wait, from ``retry-after-ms`` or ``Retry-After`` (seconds or an HTTP date)."""
    ms = headers.get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, round(when.timestamp() - time.time(), 1))


def _as_code(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def error_from_body(
    body: Any, *, status: int | None = None, retry_after: float | None = None
) -> ApiError | None:
    """Build an ApiError from a decoded JSON error document, or None if it is not one.

    Understands OpenAI's ``{"error": {...}}``, ``{"error": "text"}``, vLLM's
    ``{"object": "error", "message": ...}`` and FastAPI's ``{"detail": ...}``.
    """
    if not isinstance(body, dict):
        return None
    err = body.get("error")
    if isinstance(err, dict) and err:
        message = err.get("message") or err.get("msg") or json.dumps(err, ensure_ascii=False)
        return ApiError(
            str(message),
            status=status,
            type=_as_code(err.get("type")),
            code=_as_code(err.get("code")),
            retry_after=retry_after,
        )
    if isinstance(err, str) and err:
        return ApiError(
            err, status=status, type=_as_code(body.get("type")), retry_after=retry_after
        )
    if body.get("object") == "error" and body.get("message"):
        return ApiError(
            str(body["message"]),
            status=status,
            type=_as_code(body.get("type")),
            code=_as_code(body.get("code")),
            retry_after=retry_after,
        )
    if status is not None and status >= 400 and "detail" in body:
        detail = body["detail"]
        text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
        return ApiError(text, status=status, type=HTTP_ERROR, retry_after=retry_after)
    return None


def error_from_http(status: int, headers: Mapping[str, str], content: bytes) -> ApiError:
    """Turn an HTTP error response into an ApiError; never includes a raw HTML page."""
    retry_after = parse_retry_after(headers)
    text = content.decode("utf-8", errors="replace").strip()
    try:
        body = read_json(text) if text else None
    except BadJson:
        body = None
    err = error_from_body(body, status=status, retry_after=retry_after)
    if err is not None:
        return err
    try:
        reason = http.HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    content_type = headers.get("content-type", "")
    if not text:
        key, params = "client.http_empty", {"reason": reason}
    elif "html" in content_type.lower() or text.lstrip().startswith("<"):
        key, params = "client.http_html", {"reason": reason}
    else:
        key, params = "client.http_text", {"reason": reason, "text": one_line(text, 200)}
    err = ApiError.client(key, type=HTTP_ERROR, status=status, **params)
    err.retry_after = retry_after
    return err
