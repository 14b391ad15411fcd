"""Streamed completion chunks: normalizing what servers send, and folding chunks into a response."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LOGPROB_ARRAYS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")


def _choice_text(choice: dict) -> str:
    text = choice.get("text")
    if text is None:
        # Some relays answer a completions request in the chat shape.
        delta = choice.get("delta") or choice.get("message")
        if isinstance(delta, dict):
            text = delta.get("content")
    if text is None:
        return ""
    return text if isinstance(text, str) else str(text)


def _as_index(value: Any, position: int) -> int:
    """A choice index; servers send 1, 1.0 or "1", and some send none at all."""
    if isinstance(value, bool):
        return position
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)
    return position


def normalize_choice(choice: Any, position: int) -> dict:
    """One choice with `index`, `text`, `logprobs` and `finish_reason` always present."""
    if not isinstance(choice, dict):
        choice = {}
    index = _as_index(choice.get("index"), position)
    logprobs = choice.get("logprobs")
    finish = choice.get("finish_reason")
    return {
        **choice,
        "index": index,
        "text": _choice_text(choice),
        "logprobs": logprobs if isinstance(logprobs, dict) else None,
        # Several relays send "" instead of null while a choice is still running.
        "finish_reason": finish if isinstance(finish, str) and finish else None,
    }


def normalize_chunk(chunk: dict) -> dict:
    """A chunk whose `choices` is always a list of normalized choices."""
    choices = chunk.get("choices")
    if not isinstance(choices, list):
        choices = []
    out = {**chunk, "choices": [normalize_choice(c, i) for i, c in enumerate(choices)]}
    if not isinstance(out.get("usage"), dict):
        out.pop("usage", None)
    return out


def accumulate(chunks: Iterable[dict]) -> dict:
    """Fold streamed chunks into one response of the non-streamed shape."""
    texts: dict[int, list[str]] = {}
    finish: dict[int, str | None] = {}
    logprobs: dict[int, dict[str, list]] = {}
    result: dict[str, Any] = {"object": "text_completion"}
    usage = None
    for chunk in chunks:
        for field in ("id", "model", "created", "system_fingerprint"):
            # Content-filter preambles carry "" and 0 here; take the first real value.
            if chunk.get(field) and field not in result:
                result[field] = chunk[field]
        if isinstance(chunk.get("usage"), dict):
            usage = chunk["usage"]
        for position, raw in enumerate(chunk.get("choices") or []):
            choice = normalize_choice(raw, position)
            index = choice["index"]
            texts.setdefault(index, []).append(choice["text"])
            finish.setdefault(index, None)
            if choice["finish_reason"] is not None:
                finish[index] = choice["finish_reason"]
            piece = choice["logprobs"]
            if piece is not None:
                merged = logprobs.setdefault(index, {name: [] for name in LOGPROB_ARRAYS})
                for name in LOGPROB_ARRAYS:
                    values = piece.get(name)
                    if isinstance(values, list):
                        merged[name].extend(values)
    result["choices"] = [
        {
            "text": "".join(texts[index]),
            "index": index,
            "logprobs": logprobs.get(index),
            "finish_reason": finish[index],
        }
        for index in sorted(texts)
    ]
    if usage is not None:
        result["usage"] = usage
    return result
