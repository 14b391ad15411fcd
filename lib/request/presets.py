"""Presets: a named request (and optionally a document), their export file, and built-in examples.

Export document (format "completions-playground-presets", version 1)::

    {"format": "completions-playground-presets", "version": 1,
     "presets": [{"name": "…", "request": {...}, "document": "…" | null}]}

A request is a body as the form builds it (`request`), loaded back with `values_from_body`, so a
preset opens exactly like a history entry or an imported request. Never a key or a base URL.
"""

from __future__ import annotations

import json
from typing import Any

from lib.config.text import BadJson, read_json
from lib.i18n import Message

FORMAT_NAME = "completions-playground-presets"
FORMAT_VERSION = 1
MAX_PRESETS = 100
MAX_NAME = 100
MAX_DOCUMENT = 200_000
LINK_PARAM = "preset"  # ?preset=<built-in id or a saved name>

# Built-in examples, by id (a link names them so): the relay documentation's example first.
BUILT_IN: dict[str, dict[str, Any]] = {
    "relay-example": {
        "name": "preset.builtin.relay",
        "request": {
            "model": "gpt-3.5-turbo-instruct",
            "prompt": "Say this is a test",
            "max_tokens": 7,
            "temperature": 0,
            "top_p": 1,
            "n": 1,
            "stream": False,
            "logprobs": None,
            "stop": "\n",
        },
        "document": "Say this is a test",
    },
    "story": {
        "name": "preset.builtin.story",
        "request": {
            "model": "gpt-3.5-turbo-instruct",
            "max_tokens": 200,
            "temperature": 0.9,
            "top_p": 1,
            "stream": True,
            "stop": ["\n\n\n"],
        },
        "document": "Once upon a time, in a village by the sea,",
    },
    "poem-zh": {
        "name": "preset.builtin.poem_zh",
        "request": {
            "model": "gpt-3.5-turbo-instruct",
            "max_tokens": 120,
            "temperature": 0.8,
            "top_p": 1,
            "stream": True,
        },
        "document": "秋夜\n\n",
    },
}


def preset(name: str, request: dict, document: str | None) -> dict:
    return {"name": name.strip()[:MAX_NAME], "request": request, "document": document}


def valid_preset(item: Any) -> dict | None:
    """The preset `item` stands for, or None when it is not one."""
    if not isinstance(item, dict):
        return None
    name, request, document = item.get("name"), item.get("request"), item.get("document")
    if not (isinstance(name, str) and name.strip() and len(name) <= MAX_NAME):
        return None
    if not isinstance(request, dict):
        return None
    if document is not None and not (isinstance(document, str) and len(document) <= MAX_DOCUMENT):
        return None
    return preset(name, request, document)


def valid_presets(value: Any) -> list[dict]:
    """What the browser kept: the presets that are well formed (ValueError: not a list)."""
    if not isinstance(value, list):
        raise ValueError("not a list")
    return [p for p in map(valid_preset, value[:MAX_PRESETS]) if p is not None]


def saved_with(presets: list[dict], new: dict) -> list[dict]:
    """`presets` with `new` in it; one of the same name is replaced."""
    return [p for p in presets if p["name"] != new["name"]] + [new]


def renamed(presets: list[dict], old: str, new: str) -> list[dict]:
    new = new.strip()[:MAX_NAME]
    if not new or new == old:
        return presets
    kept = [p for p in presets if p["name"] != new]
    return [{**p, "name": new} if p["name"] == old else p for p in kept]


def export_bytes(presets: list[dict]) -> bytes:
    doc = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "presets": presets}
    return json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8")


def parse_import(text: str) -> tuple[list[dict], list[Message]]:
    """Presets from an exported file (or a bare list of them), or why none can be taken."""
    try:
        data = read_json(text)
    except BadJson:
        return [], [Message("preset.not_json")]
    if isinstance(data, dict) and data.get("format") == FORMAT_NAME:
        data = data.get("presets")
    if not isinstance(data, list) or len(data) > MAX_PRESETS:
        return [], [Message("preset.not_presets", {"most": MAX_PRESETS})]
    presets = []
    for position, item in enumerate(data):
        checked = valid_preset(item)
        if checked is None:
            return [], [Message("preset.bad_entry", {"n": position + 1})]
        presets.append(checked)
    return presets, []
