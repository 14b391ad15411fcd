"""One run of a request: what arrived, when, and how it ended; and its record for the history."""

from __future__ import annotations

import math
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lib.client import ApiError
from lib.client.chunks import ResponseFold, normalize_chunk
from lib.config.text import is_plain_int, is_plain_number
from lib.run import speed
from lib.run.redaction import ChunkRedactor
from lib.tokens.speed import CHUNKS, TOKENIZER, Counted, completion_tokens, server_timings

RUNNING, OK, ERROR, STOPPED = "running", "ok", "error", "stopped"


@dataclass(frozen=True)
class RunLimits:
    """What one run may keep before its output is cut and its connection closed."""

    max_chars: int = 400_000
    max_chunks: int = 50_000


# Why a run ended as "stopped". BY_INTERRUPT: its server shut down or was lost mid-run.
BY_USER, BY_LIMIT, BY_ABANDON, BY_IDLE = "user", "limit", "abandoned", "idle"
BY_INTERRUPT = "interrupted"


@dataclass
class Run:
    """A request in flight or finished, folded as it arrives.

    The worker thread writes into it and the page reads it; the lock keeps each read whole.
    Times are stamped by whoever sees the event (the worker), never by the page drawing it.
    """

    request: dict
    base_url: str
    limits: RunLimits = field(default_factory=RunLimits)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    started_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())
    status: str = RUNNING
    error: dict | None = None
    stopped_by: str | None = None
    # Non-streamed (or stream-ignoring) answers, exactly as received.
    raw_response: dict | None = None
    first_token_s: float | None = None
    total_s: float | None = None
    # The RequestWorker behind a running run; kept on the run so one assignment stores both.
    worker: Any = field(default=None, repr=False, compare=False)
    recorded: bool = False  # handed to the history
    chunk_count: int = 0
    last_chunk_at: float | None = None  # perf_counter time of the last chunk
    # Token counts by the connection's tokenizer, for a server that sent no usage (`count`).
    counted: dict | None = None
    cost: dict | None = None  # {"amount", "currency"}, by the browser's prices, once recorded
    # perf_counter time a page last showed this run; the worker gives up on a run nobody sees.
    last_seen: float = field(default_factory=time.perf_counter, repr=False)
    _t0: float = field(default_factory=time.perf_counter, repr=False)
    _fold: ResponseFold = field(default_factory=ResponseFold, repr=False)
    # Takes the key out of what the server sends (lib/run/redaction.py); dropped at the end.
    _redactor: ChunkRedactor | None = field(default=None, repr=False, compare=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def elapsed(self, now: float | None = None) -> float:
        return (time.perf_counter() if now is None else now) - self._t0

    def seen(self) -> None:
        """A page is showing this run (the worker's watchdog reads this)."""
        self.last_seen = time.perf_counter()

    def redact(self, secret: str | None) -> None:
        """Remove `secret` (the key sent) from everything this run takes in from now on."""
        with self._lock:
            self._redactor = ChunkRedactor(secret) if secret else None

    def add_chunk(self, chunk: dict, at: float | None = None) -> bool:
        """Fold in a normalized chunk that arrived at `at`; False once over the run's limits."""
        with self._lock:
            if self.status != RUNNING:
                return False
            if self._redactor is not None:
                chunk = self._redactor.chunk(chunk)
            return self._fold_in(chunk, at)

    def _fold_in(self, chunk: dict, at: float | None) -> bool:
        at = time.perf_counter() if at is None else at
        with self._lock:
            added = self._fold.add(chunk)
            self.chunk_count += 1
            self.last_chunk_at = at
            if added and self.first_token_s is None:
                self.first_token_s = self.elapsed(at)
            return self._fold.chars <= self.limits.max_chars and (
                self.chunk_count <= self.limits.max_chunks
            )

    def set_response(self, response: dict, normalized: dict, at: float | None = None) -> None:
        """A whole (non-streamed) response: keep it as received, index its text like a chunk."""
        with self._lock:
            if self.status != RUNNING:
                return
            if self._redactor is not None:
                response = self._redactor.response(response)
                normalized = normalize_chunk(response)
            self.raw_response = response
            self._fold_in(normalized, at)

    def finish(
        self,
        status: str,
        error: ApiError | None = None,
        *,
        at: float | None = None,
        stopped_by: str | None = None,
    ) -> bool:
        """End the run (once); True if this call ended it."""
        with self._lock:
            if self.status != RUNNING:
                return False
            held = self._redactor.flush() if self._redactor is not None else None
            # Text held back in case it began the key (it did not): part of what arrived.
            if held is not None and self._fold.add(held) and self.first_token_s is None:
                self.first_token_s = self.elapsed(at)
            self._redactor = None  # the key need not outlive the run
            self.status = status
            self.error = error.record() if error is not None else None
            self.stopped_by = stopped_by if status == STOPPED else None
            self.total_s = self.elapsed(at)
            return True

    # Reading -------------------------------------------------------------------------------
    def indexes(self) -> list[int]:
        with self._lock:
            return self._fold.indexes()

    def all_finished(self) -> bool:
        """Every expected choice has arrived with a finish_reason."""
        with self._lock:
            return self._fold.finished_count() >= expected_choices(self.request)

    def text(self, index: int) -> str:
        with self._lock:
            return self._fold.text(index)

    def tail(self, index: int, limit: int) -> tuple[str, int]:
        """The last `limit` characters of a choice and how many come before them."""
        with self._lock:
            return self._fold.tail(index, limit)

    def finish_reason(self, index: int) -> str | None:
        with self._lock:
            return self._fold.finish_reason(index)

    @property
    def usage(self) -> dict | None:
        return plausible_usage(self._fold.usage)

    @property
    def chars(self) -> int:
        return self._fold.chars

    @property
    def cut(self) -> bool:
        """The output was cut at the run's limits."""
        return self.stopped_by == BY_LIMIT

    def received_anything(self) -> bool:
        return self.chunk_count > 0 or self.raw_response is not None

    def response(self) -> dict:
        """The response as received (non-streamed) or folded from the chunks."""
        with self._lock:
            if self.raw_response is not None:
                return self.raw_response
            return self._fold.response()

    def count(self, count: Callable[[str], int | None], count_prompt: Callable[[str], Any]) -> None:
        """Count the tokens with the connection's tokenizer, when the server sent no usage.

        Called by the worker before it ends the run (these are requests to the server).
        """
        response = self.response()
        if completion_tokens(response, self.usage).source != CHUNKS:
            return
        counted = completion_tokens(response, None, count)
        prompt = self.request.get("prompt")
        prompt_tokens = count_prompt(prompt) if isinstance(prompt, str) else None
        with self._lock:
            self.counted = {"completion_tokens": counted.tokens, "prompt_tokens": prompt_tokens}

    def counted_tokens(self) -> Counted:
        """The completion's tokens and where they come from (usage, logprobs, tokenizer)."""
        counted = completion_tokens(self.response(), self.usage)
        if counted.source == CHUNKS and self.counted and self.counted["completion_tokens"]:
            return Counted(self.counted["completion_tokens"], TOKENIZER)
        return counted

    def stats(self) -> dict[str, Any]:
        counted = self.counted_tokens() if self.status != RUNNING else None
        prompt = (self.counted or {}).get("prompt_tokens")
        stats = run_stats(
            self.first_token_s, self.total_s, self.usage, self._fold.text_chunks, counted, prompt
        )
        if self.status != RUNNING and (timings := server_timings(self.response())):
            stats["server_timings"] = timings
        # Too short a span, or too few pieces, is no speed ("10716.4 chunks/s"): None, shown "—".
        if per_s := stats["tokens_per_s"]:
            stats["tokens_per_s"] = speed.rate(stats["tokens"], stats["tokens"] / per_s)
        if self.stopped_by is not None:
            stats["stopped_by"] = self.stopped_by
        if self.cut:
            stats["cut_at_chars"] = self.chars
        return stats

    def interrupted_record(self) -> dict:
        """The entry this run would leave if its server went away now: what arrived so far."""
        with self._lock:
            record = self.record()
            record["status"] = STOPPED
            record["timings"] = {"first_token_s": self.first_token_s, "total_s": self.elapsed()}
            record["stats"] = {**record["stats"], "stopped_by": BY_INTERRUPT}
            return record

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
        } | ({"cost": self.cost} if self.cost is not None else {})


# Token counts beyond this are not a real server's usage (a billion tokens in one request).
_MAX_PLAUSIBLE_TOKENS = 10**9


def plausible_usage(usage: Any) -> dict | None:
    """The server's usage, or None when its numbers cannot be real (absent, negative, huge)."""
    if not isinstance(usage, dict):
        return None
    for name in ("prompt_tokens", "completion_tokens", "total_tokens"):
        value = usage.get(name)
        if value is None:
            continue
        if not is_plain_int(value) or not 0 <= value <= _MAX_PLAUSIBLE_TOKENS:
            return None
    return usage


def prompt_count(request: dict) -> int:
    """How many prompts a request sends: the length of a batch, else one."""
    prompt = request.get("prompt")
    if isinstance(prompt, list) and prompt and all(isinstance(p, str | list) for p in prompt):
        return len(prompt)
    return 1


def choices_per_prompt(request: dict) -> int:
    n = request.get("n", 1)
    return n if is_plain_int(n) and n > 0 else 1


def expected_choices(request: dict) -> int:
    """How many choices a request asks for: n for each prompt in a batch."""
    return choices_per_prompt(request) * prompt_count(request)


def run_stats(
    first_token_s: float | None,
    total_s: float | None,
    usage: dict | None,
    text_chunks: int,
    counted: Counted | None = None,
    prompt_counted: int | None = None,
) -> dict[str, Any]:
    """Speed and token counts: from usage when the server sent it, else from the tokens
    `counted` (logprobs, the tokenizer), else chunks."""
    usage = plausible_usage(usage)
    completion = usage.get("completion_tokens") if usage else None
    if is_plain_int(completion):
        count, counted_from = completion, "usage"
    elif counted is not None and counted.tokens:
        count, counted_from = counted.tokens, counted.source
        completion = counted.tokens
        usage = {"prompt_tokens": prompt_counted, "completion_tokens": completion}
        if is_plain_int(prompt_counted):
            usage["total_tokens"] = prompt_counted + completion
    else:
        count, counted_from = text_chunks, "chunks"
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
        "tokens_counted_from": counted_from,
        "tokens_per_s": rate,
        "prompt_tokens": usage.get("prompt_tokens") if usage else None,
        "completion_tokens": completion,
        "total_tokens": usage.get("total_tokens") if usage else None,
    }


def as_logprob(value: Any) -> float | None:
    """A finite float logprob, or None for anything a server might send instead."""
    if not is_plain_number(value):
        return None
    try:
        number = float(value)
    except OverflowError:  # a huge integer
        return None
    return number if math.isfinite(number) else None


def probability(logprob: Any) -> float | None:
    """The probability a logprob stands for (at most 1), or None for anything else."""
    number = as_logprob(logprob)
    return None if number is None else math.exp(min(number, 0.0))


def alternatives(top: Any) -> list[tuple[str, float | None]]:
    """A position's top alternatives (a `top_logprobs` entry), most likely first."""
    if not isinstance(top, dict):
        return []
    pairs = [(str(token), probability(lp)) for token, lp in top.items()]
    return sorted(pairs, key=lambda pair: (pair[1] is None, -(pair[1] or 0.0)))


def logprob_summary(token_logprobs: list) -> tuple[float | None, float | None]:
    """Mean log-probability and perplexity of a choice (None when there is nothing to average)."""
    items = token_logprobs if isinstance(token_logprobs, list) else []
    values = [v for v in map(as_logprob, items) if v is not None]
    if not values:
        return None, None
    mean = sum(values) / len(values)
    return mean, math.exp(-mean)
