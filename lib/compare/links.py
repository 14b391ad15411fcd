"""A comparison's columns in a share link: numbered fields, `c1.model=A&c2.temperature=1.5`.

Each column writes `cN.model` (empty: the form's model), so a column that changes nothing still
travels, then `cN.conn` unless it is CURRENT, then each override under its field name, its value
written as share.py writes that field (an empty value: the column leaves the field out). The
rest of the link is share.py's. A connection travels only as a saved connection's *name*
(or `local` / `current`): a value that looks like a URL or a key is refused when read and never
written, so a link can neither send a column's requests elsewhere nor carry anyone's key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from lib.compare.columns import CURRENT, MAX_COLUMNS, OVERRIDABLE, Column, override_problems
from lib.config.connection import MODEL_LENGTH
from lib.config.text import BadJson, read_json, shorten
from lib.i18n import Message
from lib.request.fields import FIELDS, TOKEN_MAP
from lib.request.share import decode_field, encode_field

CONN, MODEL = "conn", "model"
NAME_LENGTH = 80  # a saved connection's name is kept to this many characters
_PARAM = re.compile(r"c(\d{1,3})\.(.{1,40})", re.DOTALL)
# What a connection's name must not look like (`cN.conn` is a name, never where or how to send).
_URL_LIKE = re.compile(r"[a-z][a-z0-9+.-]*:|[/\\@]|^www\.|^\d{1,3}(\.\d{1,3}){3}", re.IGNORECASE)
_KEY_PREFIX = re.compile(r"^(sk|pk|rk|ak|key|api|bearer)[-_ ]", re.IGNORECASE)
_LONG_WORD = re.compile(r"\S{32,}")
_MIXED = (re.compile(r"[a-z]"), re.compile(r"[A-Z]"), re.compile(r"\d"))


def conn_ok(name: str) -> bool:
    """Whether a link may carry `name` as a column's connection: a plain name, no URL, no key.

    Keys are long runs of letters and digits, usually mixed case, or carry a vendor prefix
    (`sk-`); a name people give a connection ("Team relay", "vllm-8b") is neither.
    """
    if not name.strip() or len(name) > NAME_LENGTH or not name.isprintable():
        return False
    if _URL_LIKE.search(name) or _KEY_PREFIX.search(name) or _LONG_WORD.search(name):
        return False
    word = max(name.split(), key=len)
    return not (len(word) >= 20 and all(p.search(word) for p in _MIXED))


def _text(name: str, value: Any) -> str:
    if value is None:
        return ""
    if FIELDS[name].kind == TOKEN_MAP:  # a JSON object in the body, typed as JSON on the form
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return encode_field(name, value)


def to_query(columns: list[Column]) -> dict[str, str]:
    """The link parameters of a comparison's columns (at most MAX_COLUMNS)."""
    params: dict[str, str] = {}
    for number, column in enumerate(columns[:MAX_COLUMNS], 1):
        if column.conn != CURRENT and conn_ok(column.conn):
            params[f"c{number}.{CONN}"] = column.conn
        params[f"c{number}.{MODEL}"] = column.model
        for name in OVERRIDABLE:
            if name in column.overrides:
                params[f"c{number}.{name}"] = _text(name, column.overrides[name])
    return params


def is_column_param(name: str) -> bool:
    return _PARAM.fullmatch(name) is not None


def without_columns(params: Mapping[str, str]) -> dict[str, str]:
    """The link's other parameters, for share.from_query."""
    return {name: text for name, text in params.items() if not is_column_param(name)}


_BAD = object()  # a link text that stands for no value of its field


def _value(name: str, text: str) -> Any:
    """The body value a column's link text stands for (None: left out), or _BAD."""
    if text == "":
        return None
    if FIELDS[name].kind == TOKEN_MAP:
        try:
            value = read_json(text)
        except BadJson:
            return _BAD
    else:
        value = decode_field(name, text)
        if value is None:
            return _BAD
        if name == "logprobs" and value == "off":
            return None
    return _BAD if override_problems(name, value) else value


def override_text(name: str, value: Any) -> str:
    """An override's value as a person types it (as a link writes it; "" leaves it out)."""
    return _text(name, value)


def override_from_text(name: str, text: str) -> tuple[Any, bool]:
    """The value `text` stands for as field `name`'s override, and whether it is a valid one."""
    value = _value(name, text)
    return (None, False) if value is _BAD else (value, True)


def from_query(params: Mapping[str, str]) -> tuple[list[Column], list[Message]]:
    """The columns a link describes, in column order, and notes on what it could not use.

    A bad value is a note and the column follows the form there; nothing else is lost.
    """
    found: dict[int, dict[str, Any]] = {}
    notes: list[Message] = []
    for param, text in params.items():
        match = _PARAM.fullmatch(param)
        if match is None:
            continue
        number, name = int(match.group(1)), match.group(2)
        if not 1 <= number <= MAX_COLUMNS:
            notes.append(Message("share.unknown", {"name": param[:40]}))
            continue
        column = found.setdefault(number, {"overrides": {}})
        note = _read(column, number, name, text)
        if note is not None:
            notes.append(note)
    columns = [Column(**found[n]) for n in sorted(found)]
    return columns, notes


def _read(column: dict[str, Any], number: int, name: str, text: str) -> Message | None:
    """Put one `cN.name=text` into `column`; a note when it cannot be used."""
    where = {"column": number, "name": name}
    if name == CONN:
        if conn_ok(text):
            column[CONN] = text
            return None
        return Message("compare.bad_conn", {"column": number})  # never echo a key or URL
    if name == MODEL:
        if len(text) <= MODEL_LENGTH and text.isprintable():
            column[MODEL] = text.strip()
            return None
        return Message("compare.bad_value", {**where, "value": shorten(text)})
    if name not in OVERRIDABLE:
        key = "compare.not_overridable" if name in FIELDS else "share.unknown"
        return Message(key, {**where, "name": f"c{number}.{name}"[:40]})
    value = _value(name, text)
    if value is _BAD:
        return Message("compare.bad_value", {**where, "value": shorten(text)})
    column["overrides"][name] = value
    return None
