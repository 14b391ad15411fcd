"""One run of a request: what arrived, when, and how it ended; and its record for the history."""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lib.chunks import accumulate
from lib.errors import ApiError
from lib.logprobs_view import as_logprob

RUNNING, OK, ERROR, STOPPED = "running", "ok", "error", "stopped"


def error_fields(err: ApiError) -> dict:
    return {
        "status": err.status,
        "message": err.message,
        "type": err.type,
        "code": err.code,
        "retry_after": err.retry_after,
        "text": str(err),
        # For showing it again in any language (lib.errors.describe).
        "key": err.key,
        "params": err.params,
    }


@dataclass
class Run:
    """A request in flight or finished; text per choice is kept as it arrives."""

    request: dict
    base_url: str
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    status: str = RUNNING
    error: dict | None = None
    chunks: list[dict] = field(default_factory=list)
    # Non-streamed (or stream-ignoring) answers, exactly as received.
    raw_response: dict | None = None
    first_token_s: float | None = None
    total_s: float | None = None
    # The RequestWorker behind a running run; kept on the run so one assignment stores both.
    worker: Any = field(default=None, repr=False, compare=False)
    recorded: bool = False  # handed to the history
    _t0: float = field(default_factory=time.perf_counter, repr=False)
    _pieces: dict[int, list[str]] = field(default_factory=dict, repr=False)
    _finish: dict[int, str | None] = field(default_factory=dict, repr=False)
    _text_chunks: int = 0
    _usage: dict | None = None

    def elapsed(self) -> float:
        return time.perf_counter() - self._t0

    def add_chunk(self, chunk: dict) -> None:
        self.chunks.append(chunk)
        if isinstance(chunk.get("usage"), dict):
            self._usage = chunk["usage"]
        for choice in chunk["choices"]:
            index = choice["index"]
            pieces = self._pieces.setdefault(index, [])
            self._finish.setdefault(index, None)
            if choice["text"]:
                pieces.append(choice["text"])
                self._text_chunks += 1
                if self.first_token_s is None:
                    self.first_token_s = self.elapsed()
            if choice["finish_reason"] is not None:
                self._finish[index] = choice["finish_reason"]

    def set_response(self, response: dict, normalized: dict) -> None:
        """A whole (non-streamed) response: keep it as received, index its text like a chunk."""
        self.raw_response = response
        self.add_chunk(normalized)

    def finish(self, status: str, error: ApiError | None = None) -> None:
        if self.status != RUNNING:
            return
        self.status = status
        self.error = error_fields(error) if error is not None else None
        self.total_s = self.elapsed()

    # Reading -------------------------------------------------------------------------------
    def indexes(self) -> list[int]:
        return sorted(self._pieces)

    def all_finished(self) -> bool:
        """Every expected choice has arrived with a finish_reason."""
        done = [i for i, reason in self._finish.items() if reason is not None]
        return len(done) >= expected_choices(self.request)

    def text(self, index: int) -> str:
        return "".join(self._pieces.get(index, ()))

    def finish_reason(self, index: int) -> str | None:
        return self._finish.get(index)

    @property
    def usage(self) -> dict | None:
        return self._usage

    def response(self) -> dict:
        """The response as received (non-streamed) or folded from the chunks."""
        if self.raw_response is not None:
            return self.raw_response
        return accumulate(self.chunks)

    def stats(self) -> dict[str, Any]:
        return run_stats(self.first_token_s, self.total_s, self._usage, self._text_chunks)

    def record(self) -> dict:
        """The history entry: request as sent, response, timings, status. Never the key."""
        return {
            "id": self.id,
            "created_at": self.started_at,
            "base_url": self.base_url,
            "request": self.request,
            "response": self.response(),
            "status": self.status,
            "error": self.error,
            "timings": {"first_token_s": self.first_token_s, "total_s": self.total_s},
            "stats": self.stats(),
        }


def expected_choices(request: dict) -> int:
    """How many choices a request asks for: n for each prompt in a batch."""
    n = request.get("n", 1)
    n = n if isinstance(n, int) and not isinstance(n, bool) and n > 0 else 1
    prompt = request.get("prompt")
    batch = (
        len(prompt)
        if isinstance(prompt, list) and prompt and all(isinstance(p, str | list) for p in prompt)
        else 1
    )
    return n * batch


def run_stats(
    first_token_s: float | None, total_s: float | None, usage: dict | None, text_chunks: int
) -> dict[str, Any]:
    """Speed and token counts; tokens come from usage when the server sent it, else chunks."""
    completion = usage.get("completion_tokens") if usage else None
    if isinstance(completion, int) and not isinstance(completion, bool):
        count, counted = completion, "usage"
    else:
        count, counted = text_chunks, "chunks"
    rate = None
    if total_s:
        # Generation speed counts from the first token; when everything came in one burst
        # (a buffered or non-streamed answer) that span means nothing, so use the whole time.
        span = total_s - (first_token_s or 0.0)
        if span < max(0.05, 0.1 * total_s):
            span = total_s
        rate = count / span if count else None
    return {
        "first_token_s": first_token_s,
        "total_s": total_s,
        "tokens": count,
        "tokens_counted_from": counted,
        "tokens_per_s": rate,
        "prompt_tokens": usage.get("prompt_tokens") if usage else None,
        "completion_tokens": completion,
        "total_tokens": usage.get("total_tokens") if usage else None,
    }


def logprob_summary(token_logprobs: list) -> tuple[float | None, float | None]:
    """Mean log-probability and perplexity of a choice (None when there is nothing to average)."""
    items = token_logprobs if isinstance(token_logprobs, list) else []
    values = [v for v in map(as_logprob, items) if v is not None]
    if not values:
        return None, None
    mean = sum(values) / len(values)
    return mean, math.exp(-mean)
