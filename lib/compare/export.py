"""A comparison in History and in one JSON document.

Each column's run is an ordinary history entry (Run.record()) tagged with its comparison:
``"comparison": {"group": id, "column": n, "conn": saved name | "local" | "current"}``. The
group id is shared by the runs of one send, so History can group them, filter them and reopen
them as the same comparison. The export document (format "completions-playground-comparison")
holds every column's entry exactly as the history export writes it: never a key, a base URL
without credentials, a connection only by name.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from lib.compare.columns import CURRENT, OVERRIDABLE, Column
from lib.compare.links import conn_ok
from lib.config.text import is_plain_int
from lib.history.entries import export_document as history_document

FORMAT_NAME = "completions-playground-comparison"
FORMAT_VERSION = 1
COMPARISON = "comparison"  # the history entry's key (lib/history/entries.py OPTIONAL)


def new_group() -> str:
    """A fresh id for the runs of one comparison."""
    return uuid.uuid4().hex


def tagged(record: dict, group: str, column: int, conn: str) -> dict:
    """A run's history entry marked as column `column` of comparison `group`."""
    name = conn if conn_ok(conn) else CURRENT  # a name only, never a URL or a key
    return {**record, COMPARISON: {"group": group, "column": column, "conn": name}}


def _tag(entry: Any) -> dict | None:
    """An entry's comparison tag when it is well formed (entries come from browser storage)."""
    tag = entry.get(COMPARISON) if isinstance(entry, dict) else None
    if not isinstance(tag, dict) or not isinstance(tag.get("group"), str) or not tag["group"]:
        return None
    return tag if is_plain_int(tag.get("column")) and isinstance(tag.get("conn"), str) else None


def group_of(entry: dict) -> str | None:
    tag = _tag(entry)
    return tag["group"] if tag else None


def groups(entries: list[dict]) -> dict[str, list[dict]]:
    """The comparisons among `entries`: group id -> its runs in column order (first seen first)."""
    found: dict[str, list[dict]] = {}
    for entry in entries:
        group = group_of(entry)
        if group is not None:
            found.setdefault(group, []).append(entry)
    return {
        group: sorted(runs, key=lambda e: e[COMPARISON]["column"]) for group, runs in found.items()
    }


def in_comparisons(entries: list[dict], wanted: bool = True) -> list[dict]:
    """The entries that are (or, with `wanted` False, are not) a comparison's runs."""
    return [entry for entry in entries if (group_of(entry) is not None) == wanted]


def reopened(runs: list[dict]) -> tuple[dict, list[Column]]:
    """A comparison's runs (in column order) as the form's body and columns that send them again.

    The first column's request becomes the form's body; every column names its model and the
    fields where its request differs (None: its request left the field out), so
    `column_body(body, column)` gives back each run's request.
    """
    if not runs:
        return {}, []
    body = dict(runs[0]["request"])
    columns = []
    for entry in runs:
        request = entry["request"]
        overrides = {
            name: request.get(name)
            for name in OVERRIDABLE
            if (name in request) != (name in body) or request.get(name) != body.get(name)
        }
        model = request.get("model") if isinstance(request.get("model"), str) else ""
        conn = (_tag(entry) or {}).get("conn", CURRENT)
        columns.append(Column(conn=conn, model=model, overrides=overrides))
    return body, columns


def export_document(runs: list[dict], now: datetime | None = None) -> dict:
    """One JSON document for a comparison: every column's request and response."""
    entries = history_document(runs, now)["entries"]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": (now or datetime.now(UTC)).isoformat(),
        "group": group_of(runs[0]) if runs else None,
        "columns": [
            {"column": n, "conn": (_tag(entry) or {}).get("conn", CURRENT), "entry": entry}
            for n, entry in enumerate(entries, 1)
        ],
    }


def export_bytes(runs: list[dict], now: datetime | None = None) -> bytes:
    return json.dumps(export_document(runs, now), ensure_ascii=False, indent=2).encode()
