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
          "stats": {...}                      # tokens, tokens/s, usage counts
        }
      ]
    }
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lib.urls import without_credentials

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
OPTIONAL = {"response": (dict, type(None)), "error": (dict, type(None)), "stats": dict}
ENTRY_KEYS = (*REQUIRED, *OPTIONAL)
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


def entry_problems(entry: Any, position: int) -> list[str]:
    """What is wrong with one imported entry, in plain words."""
    where = f"Entry {position + 1}"
    if not isinstance(entry, dict):
        return [f"{where} is not an object."]
    problems = []
    for key, kind in REQUIRED.items():
        if key not in entry:
            problems.append(f"{where} has no '{key}'.")
        elif not isinstance(entry[key], kind) or (kind is str and not entry[key]):
            problems.append(f"{where}: '{key}' must be a non-empty {kind.__name__}.")
    for key, kinds in OPTIONAL.items():
        if key in entry and not isinstance(entry[key], kinds):
            problems.append(f"{where}: '{key}' has the wrong type.")
    if isinstance(entry.get("status"), str) and entry["status"] not in STATUSES:
        problems.append(f"{where}: status must be one of {', '.join(STATUSES)}.")
    if isinstance(entry.get("created_at"), str) and entry["created_at"]:
        try:
            datetime.fromisoformat(entry["created_at"])
        except ValueError:
            problems.append(f"{where}: created_at is not a date and time.")
    return problems


def parse_import(data: bytes, limit: int = MAX_IMPORT_BYTES) -> tuple[list[dict], list[str]]:
    """Entries from an exported file, or problems (and no entries) when it cannot be used."""
    if len(data) > limit:
        return [], [
            f"The file is too large ({len(data) // 1024} KiB; at most {limit // 1024} KiB)."
        ]
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return [], ["The file is not UTF-8 text."]
    except ValueError as exc:
        return [], [f"The file is not JSON ({exc})."]
    if not isinstance(doc, dict):
        return [], ["The file is JSON but not a history export (expected an object)."]
    if doc.get("format") != FORMAT_NAME:
        return [], [f"The file is not a history export (format is not '{FORMAT_NAME}')."]
    if doc.get("version") != FORMAT_VERSION:
        return [], [
            f"The file is version {doc.get('version')!r} of the history format; "
            f"this app reads version {FORMAT_VERSION}."
        ]
    entries = doc.get("entries")
    if not isinstance(entries, list):
        return [], ["The file has no 'entries' list."]
    problems = [p for i, entry in enumerate(entries) for p in entry_problems(entry, i)]
    if problems:
        more = len(problems) - _MAX_PROBLEMS
        shown = problems[:_MAX_PROBLEMS] + ([f"…and {more} more problems."] if more > 0 else [])
        return [], shown
    return [{key: e[key] for key in ENTRY_KEYS if key in e} for e in entries], []


def valid_entries(entries: Any) -> list[dict]:
    """The well-formed entries of an untrusted list (e.g. browser storage); others are skipped."""
    if not isinstance(entries, list):
        return []
    return [
        {key: e[key] for key in ENTRY_KEYS if key in e}
        for i, e in enumerate(entries)
        if not entry_problems(e, i)
    ]


def merge(existing: list[dict], incoming: list[dict]) -> tuple[list[dict], int, int]:
    """Existing plus incoming entries with new ids, oldest first: (merged, added, skipped)."""
    seen = {e["id"] for e in existing}
    added = []
    for entry in incoming:
        if entry["id"] not in seen:
            seen.add(entry["id"])
            added.append(entry)
    merged = sorted([*existing, *added], key=lambda e: e["created_at"])
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
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


def choice_texts(entry: dict) -> list[str]:
    response = entry.get("response") or {}
    choices = response.get("choices") if isinstance(response, dict) else None
    if not isinstance(choices, list):
        return []
    return [str(c.get("text") or "") for c in choices if isinstance(c, dict)]


def model_of(entry: dict) -> str:
    model = entry["request"].get("model")
    return model if isinstance(model, str) else ""


def token_count(entry: dict) -> int | None:
    stats = entry.get("stats") or {}
    for key in ("total_tokens", "completion_tokens", "tokens"):
        value = stats.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return None


def filter_entries(
    entries: list[dict], text: str = "", models: list[str] | None = None,
    statuses: list[str] | None = None,
) -> list[dict]:  # fmt: skip
    """Entries whose prompt or output contains `text` (any case), of the given models/statuses."""
    needle = text.strip().casefold()
    out = []
    for entry in entries:
        if models and model_of(entry) not in models:
            continue
        if statuses and entry["status"] not in statuses:
            continue
        if needle:
            haystack = prompt_text(entry["request"]) + "\n" + "\n".join(choice_texts(entry))
            if needle not in haystack.casefold():
                continue
        out.append(entry)
    return out


def page_of(entries: list[dict], page: int, size: int) -> list[dict]:
    """One page (1-based) of entries, newest first."""
    newest_first = entries[::-1]
    start = (max(page, 1) - 1) * size
    return newest_first[start : start + size]


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))
