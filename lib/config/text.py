"""Untrusted text (model output, server messages, imported files): read it and show it safely."""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from lib.i18n import Message, json_error

_SURROGATE = re.compile("[\ud800-\udfff]")
# A JSON escape that can decode to a lone surrogate; JSON text without one cannot hold any.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~&:])")
# Where GFM would find a literal autolink: "scheme://", "www." and the "@" of an e-mail address.
_AUTOLINK_SPOT = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
# From this size on, the cyclic garbage collector is paused while JSON is parsed.
_LARGE_JSON = 1 << 20


def shorten(text: str, limit: int = 40) -> str:
    """`text` if it has at most `limit` characters, else its start and an ellipsis, `limit` in all.

    The default is enough to recognise a value quoted in a one-line note.
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(text: Any, limit: int) -> str:
    """`text` on one line (any run of whitespace, U+2028 included, is one space), shortened."""
    return shorten(" ".join(without_surrogates(str(text)).split()), limit)


def is_plain_int(value: Any) -> bool:
    """An int that is not a bool (JSON has no bools-as-ints; Python does)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_plain_number(value: Any) -> bool:
    """An int or a float that is not a bool."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def escape_markdown(text: str) -> str:
    """`text` shown as written: nothing markdown (or its math, HTML, autolinks) interprets.

    Backslash escapes stop emphasis, links, math and HTML. They cannot stop GFM's literal
    autolinks: Streamlit's markdown (mdast-util-gfm-autolink-literal) looks for "https://",
    "www." and "user@host" in the text *after* escapes are resolved. An invisible word joiner
    (U+2060) after the ":" of "://", after "www" and after "@" breaks those patterns.
    """
    broken = _AUTOLINK_SPOT.sub(WORD_JOINER, str(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", broken)


def markdown_without_images(text: str) -> str:
    """Model output for opt-in markdown rendering, with images disabled.

    An image would make the browser fetch any URL the model wrote (a tracking pixel, or a
    request that carries data out); links at least need a click.
    """
    return text.replace("![", "!\\[")


def without_surrogates(value: Any) -> Any:
    """`value` with lone UTF-16 surrogates (from JSON such as "\\ud800") replaced by U+FFFD.

    Python strings may hold them, but they cannot be encoded as UTF-8, so one would break the
    page the moment Streamlit sends it to the browser. Applied wherever outside text comes in.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def has_surrogates(value: Any) -> bool:
    """Whether `value` (a string, or JSON lists and objects of them) holds a lone surrogate."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, list):
        return any(has_surrogates(item) for item in value)
    if isinstance(value, dict):
        return any(has_surrogates(k) or has_surrogates(v) for k, v in value.items())
    return False


class BadJson(ValueError):
    """JSON text that cannot be read: `detail` says where and why, in either language.

    `detail` stays a key and its parameters until a page shows it: the client reads every
    server answer through `read_json`, and must not load the interface's catalog to fail.
    """

    def __init__(self, detail: Message, *, too_deep: bool = False) -> None:
        super().__init__(f"unreadable JSON ({detail.key})")
        self.detail = detail
        self.too_deep = too_deep


def read_json(text: str, *, replace_surrogates: bool = True) -> Any:
    """The value of untrusted JSON text; every way it can fail is a `BadJson`.

    Besides syntax errors, `json.loads` raises RecursionError for deep nesting and a plain
    ValueError for an integer longer than Python's digit limit (4300 by default). Lone
    surrogates are replaced (see `without_surrogates`) unless the caller wants to see them.
    """
    try:
        with _collector_paused(len(text) >= _LARGE_JSON):
            value = json.loads(text)
        if replace_surrogates and (_SURROGATE_ESCAPE.search(text) or _SURROGATE.search(text)):
            value = without_surrogates(value)
    except json.JSONDecodeError as exc:
        raise BadJson(json_error(exc)) from None
    except RecursionError:
        raise BadJson(Message("json.too_deep"), too_deep=True) from None
    except ValueError as exc:
        raise BadJson(_number_error(text, exc)) from None
    return value


@contextmanager
def _collector_paused(pause: bool) -> Iterator[None]:
    """Pause the cyclic garbage collector (if on) for the duration of the block.

    Parsing a big document creates millions of containers; each 700 of them start a collection
    that walks all those already made, so a 20 MB history file parses several times slower
    with the collector on. Reference counting still frees memory; nothing here makes cycles.
    """
    was_on = pause and gc.isenabled()
    if was_on:
        gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _number_error(text: str, exc: ValueError) -> Message:
    """Where an integer too long for Python to convert starts, as a json.where message."""
    limit = sys.get_int_max_str_digits()
    found = re.search(rf"\d{{{limit + 1},}}", text) if limit else None
    if found is None:  # not a digit limit after all: say what json said
        return Message("json.where", {"line": 1, "column": 1, "reason": str(exc)[:200]})
    start = found.start()
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    reason = Message("json.number_too_long", {"digits": limit})
    return Message("json.where", {"line": line, "column": column, "reason": reason})
