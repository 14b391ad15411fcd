"""Errors raised by the completions client, as values a person can read.

Hierarchy::

    Exception
     └── ApiError            every failure of a request: HTTP status, network, stream, body

`ApiError.type` holds the server's error type when it sent one (``invalid_request_error``,
``rate_limit_error``, a relay's own value …) and otherwise one of the client-side kinds below,
so callers can explain a failure without parsing the message.
"""

from __future__ import annotations

import contextlib
import email.utils
import http
import json
import math
import re
import time
from collections.abc import Mapping
from typing import Any

from lib.config.text import BadJson, read_json, without_surrogates
from lib.i18n import t
from lib.i18n.catalog import CATALOG

# Client-side kinds, used as ApiError.type when the server did not name the failure.
CONNECTION_ERROR = "connection_error"
TIMEOUT = "timeout"
STREAM_DROPPED = "stream_dropped"
INVALID_RESPONSE = "invalid_response"
INVALID_REQUEST = "invalid_request"
HTTP_ERROR = "http_error"
STREAM_ERROR = "stream_error"

_MAX_MESSAGE = 500
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
    if not spans:
        return text
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], REDACTED]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def one_line(text: str, limit: int = _MAX_MESSAGE) -> str:
    """Collapse whitespace (including U+2028 and friends) and cut to `limit` characters."""
    flat = " ".join(without_surrogates(str(text)).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


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
        self.message = one_line(message) or "Unknown error"
        self.status = status
        self.type = type
        self.code = code
        self.retry_after = retry_after
        # Client-side failures carry a catalog key, so the page can say them in any language;
        # the server's own messages are shown as sent.
        self.key = key
        self.params = params or {}
        super().__init__(self.message)

    @classmethod
    def client(
        cls, key: str, /, *, type: str, status: int | None = None, **params: Any
    ) -> ApiError:
        """An error the client itself describes, by catalog key (English `message`)."""
        return cls(t("en", key, **params), status=status, type=type, key=key, params=params)

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


_EXPLAINED_STATUSES = (400, 401, 402, 403, 404, 408, 413, 422, 429)
_EXPLAINED_TYPES = (CONNECTION_ERROR, TIMEOUT, STREAM_DROPPED, INVALID_RESPONSE, INVALID_REQUEST)


def explanation_key(status: int | None, error_type: str | None) -> str:
    """The catalog key of a plain-words reason for a failure."""
    if status is not None:
        if status in _EXPLAINED_STATUSES:
            return f"error.{status}"
        return "error.5xx" if status >= 500 else "error.4xx"
    return f"error.{error_type}" if error_type in _EXPLAINED_TYPES else "error.other"


def describe(fields: Mapping[str, Any], lang: str) -> str:
    """One line for a person: the translated reason, then status, code and the message.

    `fields` is an error as kept with a run (see lib.run.error_fields), possibly read back from
    an imported file, so every field is checked. A server's message passes through
    untranslated; the client's own messages are translated.
    """
    status = fields.get("status")
    status = status if isinstance(status, int) and not isinstance(status, bool) else None
    params = fields.get("params")
    detail = str(fields.get("message") or "")
    key = fields.get("key")
    if isinstance(key, str) and key in CATALOG and isinstance(params, dict | type(None)):
        # Params that do not fit the message (an edited file): keep the English text.
        with contextlib.suppress(KeyError, IndexError, ValueError, TypeError):
            detail = t(lang, key, **(params or {}))
    head = [f"HTTP {status}"] if status is not None else []
    code = fields.get("code")
    if code not in (None, "") and str(code) not in detail:
        head.append(f"[{code}]")
    line = f"{' '.join(head)}: {detail}" if head else detail
    retry = fields.get("retry_after")
    if isinstance(retry, int | float) and not isinstance(retry, bool) and math.isfinite(retry):
        line += " " + t(lang, "client.retry_after", seconds=f"{retry:g}")
    error_type = fields.get("type") if isinstance(fields.get("type"), str) else None
    reason = t(lang, explanation_key(status, error_type))
    return t(lang, "error.line", reason=reason, detail=one_line(line))
