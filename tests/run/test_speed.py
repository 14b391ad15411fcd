"""Speeds worth showing (issue #18: "10716.4 chunks/s" for a 0.01 s run)."""

from __future__ import annotations

import time

import pytest

from lib.run.model import OK, Run
from lib.run.speed import MIN_COUNT, MIN_SECONDS, rate
from lib.ui.run.view import live_rate


def piece(text: str) -> dict:
    return {"choices": [{"index": 0, "text": text, "finish_reason": None, "logprobs": None}]}


def run_of(chunks: int, seconds: float, usage: dict | None = None) -> Run:
    """A finished run whose `chunks` text chunks arrived evenly over `seconds` from its start."""
    run = Run(request={"model": "m", "prompt": "p", "stream": True}, base_url="http://x/v1")
    start = -run.elapsed(0)  # the perf_counter() time the run started
    for i in range(chunks):
        run.add_chunk(piece("a"), start + seconds * (i + 1) / chunks)
    if usage:
        run.add_chunk({"choices": [], "usage": usage}, start + seconds)
    run.finish(OK, at=start + seconds)
    return run


def test_a_rate_needs_time_and_pieces_behind_it():
    assert rate(107, 0.01) is None
    assert rate(MIN_COUNT - 1, 10.0) is None
    assert rate(100, MIN_SECONDS - 0.001) is None
    assert rate(100, None) is None
    assert rate(MIN_COUNT, MIN_SECONDS) == pytest.approx(MIN_COUNT / MIN_SECONDS)
    assert rate(50, 2.0) == 25.0


def test_a_run_of_a_hundredth_of_a_second_has_no_speed():
    stats = run_of(107, 0.01).stats()
    assert stats["tokens"] == 107 and stats["tokens_per_s"] is None
    # Counted from usage, the same: the time is too short to measure anything.
    assert run_of(3, 0.01, {"completion_tokens": 90}).stats()["tokens_per_s"] is None


def test_a_single_chunk_is_no_speed_but_usage_over_it_is():
    assert run_of(1, 1.0).stats()["tokens_per_s"] is None
    assert run_of(1, 1.0, {"completion_tokens": 40}).stats()["tokens_per_s"] == pytest.approx(40)


def test_a_run_long_enough_keeps_its_speed():
    assert run_of(20, 2.0).stats()["tokens_per_s"] == pytest.approx(20 / (2.0 - 0.1))


def test_the_live_rate_waits_for_the_first_token_and_enough_time():
    run = Run(request={"model": "m", "prompt": "p", "stream": True}, base_url="http://x/v1")
    now = time.perf_counter()
    assert live_rate(run, now) is None  # nothing yet
    run.add_chunk(piece("a"), now)
    assert live_rate(run, now + 0.001) is None  # one chunk a millisecond ago: no speed yet
    run.add_chunk(piece("b"), now + 0.05)
    assert live_rate(run, now + 0.1) is None  # still too short
    for i in range(8):
        run.add_chunk(piece("c"), now + 0.1 * (i + 1))
    assert live_rate(run, now + 1.0) == pytest.approx(10 / 1.0, rel=0.01)
