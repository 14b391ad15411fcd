"""A failed request in words a person reads: the reason, then status, code and the message.

On the interface's side: it knows the client's errors and the catalog, so neither of those has
to know the other (the client stays usable without the catalog, the catalog without a client).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from typing import Any

from lib.client import ApiError, errors
from lib.client.errors import MAX_MESSAGE
from lib.config.text import is_plain_int, is_plain_number, one_line
from lib.i18n import t
from lib.i18n.catalog import CATALOG

_EXPLAINED_STATUSES = (400, 401, 402, 403, 404, 408, 413, 422, 429)
# Client-side kinds with a reason of their own (the others read "The server reported an error").
_EXPLAINED_TYPES = (
    errors.CONNECTION_ERROR,
    errors.TIMEOUT,
    errors.STREAM_DROPPED,
    errors.INVALID_RESPONSE,
    errors.INVALID_REQUEST,
)


def explanation_key(status: int | None, error_type: str | None) -> str:
    """The catalog key of a plain-words reason for a failure."""
    if status is not None:
        if status in _EXPLAINED_STATUSES:
            return f"error.{status}"
        return "error.5xx" if status >= 500 else "error.4xx"
    return f"error.{error_type}" if error_type in _EXPLAINED_TYPES else "error.other"


def describe(error: ApiError | Mapping[str, Any], lang: str) -> str:
    """One line for a person: the translated reason, then status, code and the message.

    `error` is an ApiError or its `record()` as kept with a run, possibly read back from an
    imported file, so every field is checked. A server's message passes through
    untranslated; the client's own messages are translated.
    """
    fields = error.record() if isinstance(error, ApiError) else error
    status = fields.get("status")
    status = status if is_plain_int(status) else None
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
    if is_plain_number(retry) and math.isfinite(retry):
        line += " " + t(lang, "client.retry_after", seconds=f"{retry:g}")
    error_type = fields.get("type") if isinstance(fields.get("type"), str) else None
    reason = t(lang, explanation_key(status, error_type))
    return t(lang, "error.line", reason=reason, detail=one_line(line, MAX_MESSAGE))
