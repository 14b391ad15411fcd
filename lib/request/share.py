"""Share links: the playground's widget values as URL query parameters, and back.

Only values that differ from the defaults go into the link, each under its widget's name
(`temperature=0.2&stop=["\\n"]`), so short requests stay readable. A prompt too long for a
comfortable URL travels zlib-compressed and base64url-encoded as `prompt_z`. The base URL and
the API key are never part of a link: a link must not be able to send someone's key elsewhere.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import zlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode

from lib.config.text import BadJson, has_surrogates, read_json, shorten, without_surrogates
from lib.i18n import Message
from lib.request.fields import (
    CHECKBOX,
    DECIMAL,
    DEFAULTS,
    FIELDS,
    HIDDEN,
    JSON,
    NUMBER,
    PROMPT_MODES,
    SELECT,
    SHARED_FIELDS,
    SLIDER,
    TAGS,
    TOGGLE,
)
from lib.request.form import widget_value_ok

COMPRESSED_PROMPT = "prompt_z"
# Above this many URL characters the prompt is compressed (browsers and proxies cope with
# much longer URLs, but people reading a link do not).
PLAIN_PROMPT_LIMIT = 1500
_MAX_COMPRESSED = 2 * 1024 * 1024  # refuse zip bombs: at most 2 MiB of prompt text
_INT = re.compile(r"-?\d{1,18}")
_BOOLS = {"true": True, "false": False, "1": True, "0": False}
# The prompt is JSON the form will parse in its list forms.
_JSON_PROMPT_MODES = tuple(mode for mode in PROMPT_MODES if mode != "text")


def _encode(name: str, value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, "g")
    if FIELDS[name].widget in (TAGS, HIDDEN):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def encode_field(name: str, value: Any) -> str:
    """One field's value as a link writes it (other links reuse it: a column's `c2.temperature`)."""
    return _encode(name, value)


def decode_field(name: str, text: str) -> Any:
    """The typed value one field's link text stands for, unchecked (see `widget_value_ok`)."""
    return without_surrogates(_decode(name, text))


def compress(text: str) -> str:
    raw = zlib.compress(text.encode("utf-8"), 9)
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decompress(token: str) -> str:
    """The text of a `compress` token; ValueError (or a zlib/base64 error) when damaged."""
    padded = token + "=" * (-len(token) % 4)
    raw = base64.b64decode(padded, altchars=b"-_", validate=True)
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, _MAX_COMPRESSED)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("prompt too large or cut short")
    return data.decode("utf-8")


def to_query(values: Mapping[str, Any]) -> dict[str, str]:
    """Query parameters for the widget values that differ from the defaults."""
    params = {}
    for name in SHARED_FIELDS:
        value = values.get(name, DEFAULTS[name])
        if value == DEFAULTS[name] or value is None:
            continue
        text = _encode(name, value)
        if name == "prompt" and len(quote(text)) > PLAIN_PROMPT_LIMIT:
            params[COMPRESSED_PROMPT] = compress(text)
        else:
            params[name] = text
    return params


def link(app_url: str, values: Mapping[str, Any], extra: Mapping[str, str] | None = None) -> str:
    """The shareable URL of the playground with these values (and `extra` parameters)."""
    query = urlencode({**to_query(values), **(extra or {})}, quote_via=quote)
    return f"{app_url.rstrip('/')}/?{query}" if query else app_url


def _decode(name: str, text: str) -> Any:
    """The typed value a parameter's text stands for (checked by the caller)."""
    row = FIELDS[name]
    if row.widget in (TOGGLE, CHECKBOX):
        return _BOOLS.get(text.lower())
    if row.widget == NUMBER:
        return int(text) if _INT.fullmatch(text) else None
    if row.widget in (SLIDER, DECIMAL):
        try:
            number = float(text)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    if row.widget == SELECT:
        return text if text in row.choices else int(text) if _INT.fullmatch(text) else None
    if row.widget in (TAGS, HIDDEN):
        try:
            return read_json(text)
        except BadJson:
            return [text]  # a single sequence (or name) typed straight into the URL
    return text


def _lone_surrogate_in_json(text: str) -> bool:
    """Whether JSON text escapes a lone surrogate ("\\ud800"), which no request can carry.

    Such a value would reach the page as a string UTF-8 cannot encode; invalid JSON is left
    to the form, which explains it.
    """
    try:
        return has_surrogates(read_json(text, replace_surrogates=False))
    except BadJson:
        return False


def from_query(params: Mapping[str, str]) -> tuple[dict[str, Any], list[Message]]:
    """Widget values from a link, and notes on parameters that were ignored or reset."""
    values: dict[str, Any] = {}
    notes: list[Message] = []
    for name, text in params.items():
        if name == COMPRESSED_PROMPT:
            try:
                values["prompt"] = without_surrogates(decompress(text))
            except (ValueError, zlib.error, binascii.Error, UnicodeDecodeError):
                notes.append(Message("share.damaged_prompt"))
            continue
        if name not in SHARED_FIELDS:
            notes.append(Message("share.unknown", {"name": name[:40]}))
            continue
        json_field = FIELDS[name].widget == JSON or (
            name == "prompt" and params.get("prompt_mode") in _JSON_PROMPT_MODES
        )
        value = without_surrogates(_decode(name, text))
        if widget_value_ok(name, value) and not (json_field and _lone_surrogate_in_json(text)):
            values[name] = value
        else:
            notes.append(Message("share.bad_value", {"name": name, "value": shorten(text)}))
    return values, notes
