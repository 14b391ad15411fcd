"""Streamed completion chunks: normalizing what servers send, and folding them into a response.

One accumulator, `ResponseFold`, serves both `accumulate()` and a live run (lib.run.model): a
run adds chunks as they arrive and can read text, finish reasons and usage at any moment
without refolding.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

LOGPROB_ARRAYS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")
_HEAD_FIELDS = ("id", "model", "created", "system_fingerprint")


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


def normalize_owned_chunk(chunk: dict) -> dict:
    """`normalize_chunk` for a chunk nobody else holds (fresh from json): changed in place.

    A stream's chunks are nearly always already in shape; checking that costs a fraction of
    copying every chunk and choice, and the result is the same.
    """
    choices = chunk.get("choices")
    if type(choices) is not list:
        chunk["choices"] = choices = []
    for position, choice in enumerate(choices):
        if (
            type(choice) is dict
            and type(choice.get("index")) is int
            and type(choice.get("text")) is str
        ):
            logprobs = choice.get("logprobs")
            finish = choice.get("finish_reason")
            if (logprobs is None or type(logprobs) is dict) and (
                finish is None or (type(finish) is str and finish)
            ):
                if logprobs is None:
                    choice["logprobs"] = None
                if finish is None:
                    choice["finish_reason"] = None
                continue
        choices[position] = normalize_choice(choice, position)
    if "usage" in chunk and type(chunk["usage"]) is not dict:
        del chunk["usage"]
    return chunk


class ResponseFold:
    """A response being assembled from normalized chunks (see `normalize_chunk`)."""

    def __init__(self) -> None:
        self.head: dict[str, Any] = {}
        self.usage: dict | None = None
        self.timings: dict | None = None
        self.text_chunks = 0  # chunks that carried text, for a speed without usage
        self.chars = 0
        self._pieces: dict[int, list[str]] = {}
        self._finish: dict[int, str | None] = {}
        self._logprobs: dict[int, dict[str, list]] = {}
        self._head_missing = _HEAD_FIELDS

    def add(self, chunk: dict) -> int:
        """Fold one normalized chunk in; returns how many characters of text it added."""
        if self._head_missing:
            # Content-filter preambles carry "" and 0 here; take the first real value.
            for name in self._head_missing:
                if chunk.get(name):
                    self.head[name] = chunk[name]
            self._head_missing = tuple(n for n in self._head_missing if n not in self.head)
        usage = chunk.get("usage")
        if isinstance(usage, dict):
            self.usage = usage
        timings = chunk.get("timings")  # llama.cpp's server: prompt and generation speed
        if isinstance(timings, dict):
            self.timings = timings
        added = 0
        for choice in chunk["choices"]:
            index = choice["index"]
            pieces = self._pieces.get(index)
            if pieces is None:
                pieces = self._pieces[index] = []
                self._finish[index] = None
            text = choice["text"]
            if text:
                pieces.append(text)
                added += len(text)
                self.text_chunks += 1
            if choice["finish_reason"] is not None:
                self._finish[index] = choice["finish_reason"]
            piece = choice["logprobs"]
            if piece is not None:
                merged = self._logprobs.setdefault(index, {name: [] for name in LOGPROB_ARRAYS})
                for name in LOGPROB_ARRAYS:
                    values = piece.get(name)
                    if isinstance(values, list):
                        merged[name].extend(values)
        self.chars += added
        return added

    def indexes(self) -> list[int]:
        return sorted(self._pieces)

    def text(self, index: int) -> str:
        pieces = self._pieces.get(index)
        if pieces is None:
            return ""
        if len(pieces) > 1:
            # Join once and keep the result: later reads and appends start from one piece.
            pieces[:] = ["".join(pieces)]
        return pieces[0] if pieces else ""

    def tail(self, index: int, limit: int) -> tuple[str, int]:
        """The last `limit` characters of a choice, and how many characters come before them."""
        text = self.text(index)
        if len(text) <= limit:
            return text, 0
        return text[-limit:], len(text) - limit

    def finish_reason(self, index: int) -> str | None:
        return self._finish.get(index)

    def finished_count(self) -> int:
        return sum(1 for reason in self._finish.values() if reason is not None)

    def response(self) -> dict:
        result: dict[str, Any] = {"object": "text_completion", **self.head}
        result["choices"] = [
            {
                "text": self.text(index),
                "index": index,
                "logprobs": self._logprobs.get(index),
                "finish_reason": self._finish[index],
            }
            for index in self.indexes()
        ]
        if self.usage is not None:
            result["usage"] = self.usage
        if self.timings is not None:
            result["timings"] = self.timings
        return result


def accumulate(chunks: Iterable[dict]) -> dict:
    """Fold streamed chunks into one response of the non-streamed shape."""
    fold = ResponseFold()
    for chunk in chunks:
        fold.add(normalize_chunk(chunk))
    return fold.response()
