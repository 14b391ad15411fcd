"""Counted completion tokens when the server sends no usage, and llama.cpp's timings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from lib.config.text import is_plain_int, is_plain_number

USAGE, LOGPROBS, TOKENIZER, CHUNKS = "usage", "logprobs", "tokenizer", "chunks"


class Counted(NamedTuple):
    """Completion tokens and how they were known: USAGE, LOGPROBS, TOKENIZER (or CHUNKS: none)."""

    tokens: int | None
    source: str


def completion_tokens(
    response: dict, usage: dict | None, count: Callable[[str], int | None] | None = None
) -> Counted:
    """The completion's tokens: the server's usage, else its logprobs tokens, else `count`.

    `count(text)` is the connection's tokenizer; without one (or when it fails), CHUNKS: the
    caller shows chunks instead of tokens.
    """
    completion = (usage or {}).get("completion_tokens")
    if is_plain_int(completion) and completion > 0:
        return Counted(completion, USAGE)
    choices = [c for c in response.get("choices") or [] if isinstance(c, dict)]
    if not choices:
        return Counted(None, CHUNKS)
    per_choice = []
    for choice in choices:
        tokens = (choice.get("logprobs") or {}).get("tokens")
        per_choice.append(len(tokens) if isinstance(tokens, list) else None)
    if all(n is not None for n in per_choice):
        return Counted(sum(per_choice), LOGPROBS)
    if count is not None:
        counts = [count(str(c.get("text") or "")) for c in choices]
        if all(n is not None for n in counts):
            return Counted(sum(counts), TOKENIZER)
    return Counted(None, CHUNKS)


def server_timings(response: dict) -> dict | None:
    """llama.cpp's `timings` (prompt and generation speed, tokens per second), when sent."""
    timings = response.get("timings")
    if not isinstance(timings, dict):
        return None
    prompt = timings.get("prompt_per_second")
    generation = timings.get("predicted_per_second")
    out: dict[str, Any] = {}
    if is_plain_number(prompt) and prompt > 0:
        out["prompt_per_s"] = float(prompt)
    if is_plain_number(generation) and generation > 0:
        out["generation_per_s"] = float(generation)
    for name in ("prompt_n", "predicted_n"):
        if is_plain_int(timings.get(name)):
            out[name] = timings[name]
    return out or None
