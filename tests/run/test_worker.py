"""The request worker against the fake relay: it feeds its run alone, with no page following."""

from __future__ import annotations

import time

import pytest

from lib.client import Endpoint
from lib.run.model import (
    BY_ABANDON,
    BY_IDLE,
    BY_LIMIT,
    BY_USER,
    OK,
    RUNNING,
    STOPPED,
    Run,
    RunLimits,
)
from lib.run.worker import RequestWorker

BODY = {"model": "fake-instruct", "prompt": "Once upon a time", "max_tokens": 20, "stream": True}


def start(relay, body=None, limits=None, **options) -> RequestWorker:
    body = {**BODY, **(body or {})}
    run = Run(request=body, base_url=relay.base_url, limits=limits or RunLimits())
    return RequestWorker(Endpoint(relay.base_url), body, run, **options).start()


def test_a_run_finishes_and_is_timed_with_no_page_reading_it(relay):
    relay.options["token_delay"] = 0.03
    worker = start(relay)
    t0 = time.perf_counter()
    assert worker.done.wait(20)
    seen_done_after = time.perf_counter() - t0
    run = worker.run
    stamped = run.total_s
    run.text(0), run.response(), run.stats()  # what a page reading it later does
    assert run.total_s == stamped  # reading never stamps: only the worker does
    assert run.status == OK
    assert run.text(0) == relay.expected_text(relay.last["body"])
    assert run.total_s is not None and run.total_s <= seen_done_after + 0.05
    assert 0 < run.first_token_s < run.total_s


def test_a_run_nobody_looks_at_is_cancelled_and_the_connection_closed(relay):
    relay.options["token_delay"] = 0.2
    worker = start(relay, {"max_tokens": 200}, abandon_seconds=0.6)
    assert worker.done.wait(10)
    run = worker.run
    assert (run.status, run.stopped_by) == (STOPPED, BY_ABANDON)
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)
    assert run.text(0) and len(run.text(0)) < len(relay.expected_text(relay.last["body"]))


def test_a_run_a_page_keeps_seeing_is_not_abandoned(relay):
    relay.options["token_delay"] = 0.1
    worker = start(relay, {"max_tokens": 15}, abandon_seconds=0.6)
    while not worker.done.wait(0.1):
        worker.run.seen()
    assert worker.run.status == OK
    assert worker.run.stopped_by is None


def test_output_is_cut_at_the_runs_limit_and_the_connection_closed(relay):
    relay.options["token_delay"] = 0.01
    worker = start(relay, {"max_tokens": 2000}, limits=RunLimits(max_chars=100))
    assert worker.done.wait(20)
    run = worker.run
    assert (run.status, run.stopped_by, run.cut) == (STOPPED, BY_LIMIT, True)
    full = relay.expected_text(relay.last["body"])
    assert 100 < len(run.text(0)) < 120 and full.startswith(run.text(0))
    assert run.stats()["cut_at_chars"] == len(run.text(0))
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)


def test_chunk_limit_cuts_too(relay):
    worker = start(relay, {"max_tokens": 500}, limits=RunLimits(max_chunks=10))
    assert worker.done.wait(20)
    assert (worker.run.stopped_by, worker.run.chunk_count) == (BY_LIMIT, 11)


def test_usage_arriving_within_the_grace_period_is_kept(relay):
    relay.options["usage_delay"] = 1.0
    worker = start(relay, {"stream_options": {"include_usage": True}}, grace_seconds=3.0)
    assert worker.done.wait(20)
    run = worker.run
    assert run.status == OK and run.stopped_by is None
    assert run.usage is not None and run.usage["completion_tokens"] == 20
    assert run.stats()["tokens_counted_from"] == "usage"


def test_a_finished_stream_that_never_closes_ends_after_the_grace_period(relay):
    relay.options["usage_delay"] = 30
    worker = start(relay, {"stream_options": {"include_usage": True}}, grace_seconds=0.5)
    assert worker.done.wait(10)
    run = worker.run
    assert run.status == OK
    assert run.usage is None  # it never came
    assert run.text(0) == relay.expected_text(relay.last["body"])
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)


def test_stop_while_running_keeps_the_text_and_closes(relay):
    relay.options["token_delay"] = 0.1
    worker = start(relay, {"max_tokens": 200})
    assert relay.wait_for(lambda: worker.run.chars > 10, timeout=10)
    worker.end(STOPPED, "user")
    assert worker.done.wait(5)
    assert worker.run.status == STOPPED and worker.run.chars > 10
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)


def test_a_running_run_reports_running(relay):
    relay.options["token_delay"] = 0.2
    worker = start(relay, {"max_tokens": 50})
    assert worker.run.status == RUNNING
    worker.end(OK, BY_IDLE)
    assert worker.done.wait(5)


@pytest.mark.parametrize("stream", [True, False])
def test_a_run_stopped_before_the_response_arrives_closes_the_connection(relay, stream):
    relay.scenario = "hang_before_headers"  # a server that takes its time to answer at all
    relay.options["hang_seconds"] = 30
    worker = start(relay, {"stream": stream})
    assert relay.wait_for(lambda: len(relay.received) == 1, timeout=10)
    worker.end(STOPPED, BY_USER)
    assert (worker.run.status, worker.run.stopped_by) == (STOPPED, BY_USER)
    # Seconds, not the 30 s the server would hang: it sees the close, and the thread is free.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)
    assert worker.done.wait(5)
    assert worker.run.status == STOPPED and worker.run.error is None


def test_a_stream_without_usage_is_counted_with_the_servers_tokenizer(relay):
    """llama-cpp-python streams send no usage: the worker counts with /extras/tokenize."""
    from lib.tokens import Counter, detect
    from tests.support.fake_relay.generator import fake_tokens

    relay.options["server_shape"] = "llama-cpp-python"
    endpoint = Endpoint(relay.base_url)
    counter = Counter(endpoint, "fake-instruct", detect(endpoint, "fake-instruct"))
    worker = start(relay, {"stream_options": {"include_usage": True}}, counter=counter)
    assert worker.done.wait(20)
    run = worker.run
    assert run.usage is None  # the server sent none
    stats = run.stats()
    text = run.text(0)
    assert stats["tokens_counted_from"] == "tokenizer"
    assert stats["completion_tokens"] == len(fake_tokens(text, bos=False))
    assert stats["prompt_tokens"] == len(fake_tokens(BODY["prompt"]))
    assert stats["total_tokens"] == stats["prompt_tokens"] + stats["completion_tokens"]


def test_llama_cpp_timings_reach_the_stats(relay):
    relay.options["server_shape"] = "llama.cpp"
    worker = start(relay)
    assert worker.done.wait(20)
    timings = worker.run.stats()["server_timings"]
    assert (timings["prompt_per_s"], timings["generation_per_s"]) == (500.0, 50.0)
