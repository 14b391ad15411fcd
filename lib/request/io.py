"""Example request JSON: export a body in the seed's key order, import JSON or a curl command."""

from __future__ import annotations

import json
import shlex

from lib.config.text import BadJson, read_json
from lib.i18n import Message
from lib.request.fields import ordered

_DATA_FLAGS = ("-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json")


def export_json(body: dict) -> str:
    """The body as pretty JSON, known fields in the order of the relay's own example."""
    return json.dumps(ordered(body), ensure_ascii=False, indent=2)


def _curl_data(command: str) -> tuple[str | None, Message | None]:
    """The data argument of a curl command, or a problem."""
    # Backslash-newline continues a shell line (the relay's docs use it); shlex would keep
    # the newline as part of the next word.
    command = command.replace("\\\r\n", " ").replace("\\\n", " ")
    try:
        words = shlex.split(command)
    except ValueError as exc:
        return None, Message("import.curl_unreadable", {"reason": str(exc)})
    for i, word in enumerate(words):
        for flag in _DATA_FLAGS:
            if word == flag and i + 1 < len(words):
                return words[i + 1], None
            if word.startswith(flag + "="):
                return word[len(flag) + 1 :], None
    return None, Message("import.curl_no_data")


def body_from_text(text: str) -> tuple[dict | None, list[Message]]:
    """A request body from pasted JSON or a curl command, or problems in plain words."""
    text = text.strip()
    if not text:
        return None, [Message("import.empty")]
    if text.startswith("curl"):
        data, problem = _curl_data(text)
        if problem:
            return None, [problem]
        text = data or ""
        if text.startswith("@"):
            return None, [Message("import.curl_file")]
    try:
        body = read_json(text)
    except BadJson as exc:
        if exc.too_deep:
            return None, [Message("import.nested")]
        return None, [Message("import.not_json", {"detail": exc.detail})]
    if not isinstance(body, dict):
        return None, [Message("import.not_object")]
    return body, []
