"""The run history: its export format, import validation, merging, capping and filtering.

Export document (format "completions-playground-history", version 1)::

    {
      "format": "completions-playground-history",
      "version": 1,
      "exported_at": "2026-11-25T17:00:00+00:00",
      "entries": [
        {
          "id": "9f1c…",                      # unique; import skips ids it already has
          "created_at": "2026-11-25T16:59:58.123+00:00",
          "base_url": "https://api.gptnb.me/v1",   # never the key, never a header
          "request": {...},                   # the body exactly as sent
          "response": {...},                  # as received, or accumulated from the stream
          "status": "ok" | "error" | "stopped",
          "error": null | {"status", "message", "type", "code", "retry_after", "text", ...},
          "timings": {"first_token_s": 0.21, "total_s": 1.9},
          "stats": {...},                     # tokens, tokens/s, usage counts
          "cost": {"amount": 0.0004, "currency": "USD"},   # when the model was priced
          "imported": true,                   # only on entries that came from a file
          "comparison": {"group": "…", "column": 2, "conn": "Team relay"}  # a Compare run
        }
      ]
    }

An import is all or nothing: one bad entry and none is taken. Of a file's new entries only the
newest `HISTORY_LIMIT` can be kept, so only those are copied and marked `imported` (the page
labels them: their text may say anything).
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from typing import Any, NamedTuple

from lib.config.text import (
    BadJson,
    is_plain_int,
    is_plain_number,
    one_line,
    read_json,
    without_surrogates,
)
from lib.config.urls import without_credentials
from lib.i18n import Message
from lib.run.model import BY_INTERRUPT, STOPPED

FORMAT_NAME = "completions-playground-history"
FORMAT_VERSION = 1
HISTORY_LIMIT = 500
MAX_IMPORT_BYTES = 20 * 1024 * 1024
STATUSES = ("ok", "error", "stopped")
REQUIRED = {
    "id": str,
    "created_at": str,
    "base_url": str,
    "request": dict,
    "status": str,
    "timings": dict,
}
OPTIONAL = {
    "response": (dict, type(None)),
    "error": (dict, type(None)),
    "stats": dict,
    "cost": (dict, type(None)),  # {"amount", "currency"} by the browser's price table (#21)
    "imported": bool,
    # One column's run of a comparison (lib/compare/export.py): kept, so History can group it.
    "comparison": dict,
}
ENTRY_KEYS = (*REQUIRED, *OPTIONAL)
IMPORTED = "imported"
_MAX_PROBLEMS = 5


def export_document(entries: list[dict], now: datetime | None = None) -> dict:
    """The export document for `entries` (oldest first, as kept)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": (now or datetime.now(UTC)).isoformat(),
        "entries": [
            {key: entry[key] for key in ENTRY_KEYS if key in entry}
            | {"base_url": without_credentials(entry["base_url"])}
            for entry in entries
        ],
    }


def export_bytes(entries: list[dict], now: datetime | None = None) -> bytes:
    return json.dumps(export_document(entries, now), ensure_ascii=False, indent=2).encode()


def _well_formed(entry: Any) -> bool:
    """Whether `entry` passes every check of `entry_problems`: its fast path, for big files."""
    try:
        if type(entry) is not dict:
            return False
        for key, kind in REQUIRED.items():
            value = entry[key]
            if not isinstance(value, kind) or (kind is str and not value):
                return False
        for key, kinds in OPTIONAL.items():
            if key in entry and not isinstance(entry[key], kinds):
                return False
        datetime.fromisoformat(entry["created_at"])
    except (KeyError, ValueError):
        return False
    return entry["status"] in STATUSES and all(_seconds(v) for v in entry["timings"].values())


def entry_problems(entry: Any, position: int) -> list[Message]:
    """What is wrong with one imported entry."""
    if _well_formed(entry):
        return []
    n = position + 1
    if not isinstance(entry, dict):
        return [Message("histfile.entry_not_object", {"n": n})]
    problems = []
    for key, kind in REQUIRED.items():
        if key not in entry:
            problems.append(Message("histfile.entry_missing", {"n": n, "key": key}))
        elif not isinstance(entry[key], kind) or (kind is str and not entry[key]):
            problems.append(Message("histfile.entry_type", {"n": n, "key": key}))
    for key, kinds in OPTIONAL.items():
        if key in entry and not isinstance(entry[key], kinds):
            problems.append(Message("histfile.entry_type", {"n": n, "key": key}))
    if isinstance(entry.get("status"), str) and entry["status"] not in STATUSES:
        problems.append(Message("histfile.entry_status", {"n": n, "statuses": ", ".join(STATUSES)}))
    timings = entry.get("timings")
    if isinstance(timings, dict) and not all(_seconds(v) for v in timings.values()):
        problems.append(Message("histfile.entry_type", {"n": n, "key": "timings"}))
    if isinstance(entry.get("created_at"), str) and entry["created_at"]:
        try:
            datetime.fromisoformat(entry["created_at"])
        except ValueError:
            problems.append(Message("histfile.entry_date", {"n": n}))
    return problems


def _seconds(value: Any) -> bool:
    """None or a plain, finite number of seconds."""
    if value is None:
        return True
    if not is_plain_number(value):
        return False
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def parse_import(data: bytes, limit: int = MAX_IMPORT_BYTES) -> tuple[list[dict], list[Message]]:
    """Entries from an exported file, or problems (and no entries) when it cannot be used.

    The entries are checked, not copied: `import_entries` copies the ones it keeps.
    """
    if len(data) > limit:
        sizes = {"size": len(data) // 1024, "most": limit // 1024}
        return [], [Message("histfile.too_large", sizes)]
    try:
        doc = read_json(data.decode("utf-8"))
    except UnicodeDecodeError:
        return [], [Message("histfile.not_utf8")]
    except BadJson as exc:
        if exc.too_deep:
            return [], [Message("histfile.nested")]
        return [], [Message("histfile.not_json", {"detail": exc.detail})]
    if not isinstance(doc, dict):
        return [], [Message("histfile.not_object")]
    if doc.get("format") != FORMAT_NAME:
        return [], [Message("histfile.wrong_format", {"name": FORMAT_NAME})]
    if doc.get("version") != FORMAT_VERSION:
        found = repr(doc.get("version"))[:20]
        return [], [Message("histfile.wrong_version", {"found": found, "expected": FORMAT_VERSION})]
    entries = doc.get("entries")
    if not isinstance(entries, list):
        return [], [Message("histfile.no_entries")]
    problems = [p for i, entry in enumerate(entries) for p in entry_problems(entry, i)]
    if problems:
        more = len(problems) - _MAX_PROBLEMS
        tail = [Message("histfile.more", {"count": more})] if more > 0 else []
        return [], problems[:_MAX_PROBLEMS] + tail
    return entries, []


def valid_entries(entries: Any) -> list[dict]:
    """The well-formed entries of an untrusted list (e.g. browser storage); others are skipped."""
    if not isinstance(entries, list):
        return []
    entries = without_surrogates(entries)
    return [
        {key: e[key] for key in ENTRY_KEYS if key in e}
        for i, e in enumerate(entries)
        if not entry_problems(e, i)
    ]


class Imported(NamedTuple):
    """What importing a file did to the history."""

    entries: list[dict]  # the history afterwards, oldest first
    added: list[dict]  # the file's entries that are in it now, as kept (marked imported)
    skipped: int  # the file's entries whose id the history had (or the file repeated)
    new: int  # the file's other entries, of which only the newest could be kept
    dropped: int  # entries the history had before and lost to the cap


def _created(entry: dict) -> str:
    return entry["created_at"]


def _new_ids(existing: list[dict], incoming: list[dict]) -> list[dict]:
    """The incoming entries whose ids are neither in `existing` nor earlier in `incoming`."""
    known = {e["id"] for e in existing}
    fresh = []
    for entry in incoming:
        if entry["id"] not in known:
            known.add(entry["id"])
            fresh.append(entry)
    return fresh


def import_entries(
    existing: list[dict], incoming: list[dict], limit: int = HISTORY_LIMIT
) -> Imported:
    """The history with checked `incoming` entries merged in, capped at the newest `limit`.

    Only the newest `limit` new entries can survive the cap, so only they are copied and
    marked imported: a file of 100,000 entries costs a sort, not 100,000 copies.
    """
    fresh = _new_ids(existing, incoming)
    newest = sorted(fresh, key=_created)[-limit:] if limit > 0 else []
    marked = [{key: e[key] for key in ENTRY_KEYS if key in e} | {IMPORTED: True} for e in newest]
    kept, _ = cap(sorted([*existing, *marked], key=_created), limit)
    kept_ids = {id(e) for e in kept}
    added = [e for e in marked if id(e) in kept_ids]
    dropped = sum(1 for e in existing if id(e) not in kept_ids)
    return Imported(kept, added, len(incoming) - len(fresh), len(fresh), dropped)


def merge(existing: list[dict], incoming: list[dict]) -> tuple[list[dict], int, int]:
    """Existing plus incoming entries with new ids, oldest first: (merged, added, skipped)."""
    added = _new_ids(existing, incoming)
    merged = sorted([*existing, *added], key=_created)
    return merged, len(added), len(incoming) - len(added)


def cap(entries: list[dict], limit: int = HISTORY_LIMIT) -> tuple[list[dict], int]:
    """The newest `limit` entries and how many older ones were dropped."""
    dropped = max(0, len(entries) - limit)
    return entries[dropped:], dropped


# Reading entries --------------------------------------------------------------------------


def prompt_text(request: dict) -> str:
    prompt = request.get("prompt")
    if prompt is None:
        return ""
    return prompt if isinstance(prompt, str) else json.dumps(prompt, ensure_ascii=False)


def preview(text: str, length: int = 80) -> str:
    return one_line(text, length)


def choice_texts(entry: dict) -> list[str]:
    response = entry.get("response") or {}
    choices = response.get("choices") if isinstance(response, dict) else None
    if not isinstance(choices, list):
        return []
    return [str(c.get("text") or "") for c in choices if isinstance(c, dict)]


def interrupted(entry: dict) -> bool:
    """A run its server never finished (a restart, a lost replica): stopped, by interruption."""
    stats = entry.get("stats")
    return (
        entry.get("status") == STOPPED
        and isinstance(stats, dict)
        and (stats.get("stopped_by") == BY_INTERRUPT)
    )


def model_of(entry: dict) -> str:
    model = entry["request"].get("model")
    return model if isinstance(model, str) else ""


def token_count(entry: dict) -> int | None:
    stats = entry.get("stats") or {}
    for key in ("total_tokens", "completion_tokens", "tokens"):
        value = stats.get(key)
        if is_plain_int(value):
            return value
    return None


def filter_entries(
    entries: list[dict], text: str = "", models: list[str] | None = None,
    statuses: list[str] | None = None, priced: bool = False,
) -> list[dict]:  # fmt: skip
    """Entries whose prompt or output contains `text` (any case), of the given models/statuses
    (and with a cost, when `priced`)."""
    needle = text.strip().casefold()
    out = []
    for entry in entries:
        if models and model_of(entry) not in models:
            continue
        if statuses and entry["status"] not in statuses:
            continue
        if priced and cost_amount(entry) is None:
            continue
        if needle:
            haystack = prompt_text(entry["request"]) + "\n" + "\n".join(choice_texts(entry))
            if needle not in haystack.casefold():
                continue
        out.append(entry)
    return out


SORTS = ("newest", "cost")


def cost_amount(entry: dict) -> float | None:
    """An entry's cost as a number (None: not priced)."""
    cost = entry.get("cost")
    amount = cost.get("amount") if isinstance(cost, dict) else None
    return float(amount) if is_plain_number(amount) else None


def sorted_entries(entries: list[dict], by: str = "newest") -> list[dict]:
    """Entries in the order `page_of` shows last-first: by time, or by cost (unpriced last)."""
    if by != "cost":
        return entries
    return sorted(entries, key=lambda e: (cost_amount(e) is not None, cost_amount(e) or 0.0))


def page_of(entries: list[dict], page: int, size: int) -> list[dict]:
    """One page (1-based) of entries, newest first."""
    newest_first = entries[::-1]
    start = (max(page, 1) - 1) * size
    return newest_first[start : start + size]


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))
