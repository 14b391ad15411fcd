"""The run model: chunks folded as they arrive, limits, one ending, stats and the history record."""

from __future__ import annotations

import json
import math
import time
from datetime import datetime

import pytest

from lib.client import ApiError, Endpoint
from lib.history.entries import ENTRY_KEYS, export_bytes, parse_import
from lib.run.model import (
    BY_LIMIT,
    BY_USER,
    ERROR,
    OK,
    RUNNING,
    STOPPED,
    Run,
    RunLimits,
    choices_per_prompt,
    expected_choices,
    logprob_summary,
    plausible_usage,
    prompt_count,
)
from lib.run.worker import RequestWorker

BASE_URL = "https://relay.example/v1"
REQUEST = {"model": "fake-instruct", "prompt": "Once upon a time", "stream": True}
USAGE = {"prompt_tokens": 4, "completion_tokens": 6, "total_tokens": 10}
HISTORY_KEYS = {
    "id",
    "created_at",
    "base_url",
    "request",
    "response",
    "status",
    "error",
    "timings",
    "stats",
}


def chunk(
    text: str = "",
    index: int = 0,
    finish: str | None = None,
    logprobs: dict | None = None,
    **head: object,
) -> dict:
    """A normalized stream chunk carrying one choice's piece."""
    choice = {"index": index, "text": text, "finish_reason": finish, "logprobs": logprobs}
    return {**head, "choices": [choice]}


def new_run(request: dict | None = None, **limits: int) -> Run:
    return Run(request=request or REQUEST, base_url=BASE_URL, limits=RunLimits(**limits))


# -- folding ------------------------------------------------------------------------------------


def test_interleaved_chunks_fold_into_one_text_per_choice():
    run = new_run({**REQUEST, "n": 2})
    run.add_chunk(chunk("Hel", 0, id="cmpl-1", model="fake-instruct", created=1700000000))
    run.add_chunk(chunk("Wor", 1))
    run.add_chunk(chunk("lo", 0, "stop"))
    assert not run.all_finished()  # choice 1 has not finished yet
    run.add_chunk(chunk("ld", 1, "length"))
    run.add_chunk({"choices": [], "usage": USAGE})

    assert run.all_finished()
    assert run.indexes() == [0, 1]
    assert (run.text(0), run.text(1)) == ("Hello", "World")
    assert (run.finish_reason(0), run.finish_reason(1)) == ("stop", "length")
    assert (run.chars, run.chunk_count) == (10, 5)
    assert run.tail(0, 3) == ("llo", 2)
    response = run.response()
    assert (response["id"], response["model"], response["created"]) == (
        "cmpl-1",
        "fake-instruct",
        1700000000,
    )
    assert [(c["index"], c["text"], c["finish_reason"]) for c in response["choices"]] == [
        (0, "Hello", "stop"),
        (1, "World", "length"),
    ]
    assert response["usage"] == USAGE
    assert run.usage == USAGE


def test_logprobs_of_the_pieces_are_joined_per_choice():
    run = new_run()
    first = {"tokens": ["He"], "token_logprobs": [-0.5], "top_logprobs": [None], "text_offset": [0]}
    second = {"tokens": ["y"], "token_logprobs": [-1.5], "top_logprobs": [None], "text_offset": [2]}
    run.add_chunk(chunk("He", logprobs=first))
    run.add_chunk(chunk("y", finish="stop", logprobs=second))
    logprobs = run.response()["choices"][0]["logprobs"]
    assert logprobs == {
        "tokens": ["He", "y"],
        "token_logprobs": [-0.5, -1.5],
        "top_logprobs": [None, None],
        "text_offset": [0, 2],
    }


def test_a_whole_response_is_kept_as_received_and_its_text_indexed():
    run = new_run({**REQUEST, "stream": False})
    raw = {
        "id": "cmpl-9",
        "object": "text_completion",
        "choices": [{"index": 0, "text": "Hi", "logprobs": None, "finish_reason": "stop"}],
        "system_fingerprint": "fp_1",
        "x_relay_extra": {"kept": True},
    }
    run.set_response(raw, chunk("Hi", finish="stop"))
    assert run.response() == raw  # as received, extra fields included
    assert run.text(0) == "Hi" and run.received_anything()


# -- limits -------------------------------------------------------------------------------------


def test_add_chunk_says_false_once_the_text_passes_max_chars():
    run = new_run(max_chars=10)
    assert run.add_chunk(chunk("12345"))
    assert run.add_chunk(chunk("67890"))  # exactly at the limit is still within it
    assert not run.add_chunk(chunk("x"))
    assert run.chars == 11  # what arrived is kept; the worker then cuts the run there


def test_add_chunk_says_false_beyond_max_chunks_even_when_they_carry_no_text():
    run = new_run(max_chunks=3)
    assert all(run.add_chunk(chunk("")) for _ in range(3))
    assert not run.add_chunk(chunk(""))
    assert run.chunk_count == 4


def test_an_ended_run_takes_no_more_chunks_or_responses():
    run = new_run()
    run.add_chunk(chunk("kept"))
    run.finish(STOPPED, stopped_by=BY_USER)
    assert not run.add_chunk(chunk(" late"))
    run.set_response({"choices": [{"index": 0, "text": "late"}]}, chunk("late"))
    assert (run.text(0), run.chunk_count, run.raw_response) == ("kept", 1, None)


# -- ending -------------------------------------------------------------------------------------


def test_a_run_ends_once_and_keeps_its_first_ending():
    run = new_run()
    at = time.perf_counter()
    assert run.status == RUNNING
    assert run.finish(STOPPED, at=at, stopped_by=BY_USER)
    assert not run.finish(ERROR, ApiError("late failure", status=500), at=at + 5)
    assert not run.finish(OK, at=at + 9)
    assert (run.status, run.stopped_by, run.error) == (STOPPED, BY_USER, None)
    assert run.total_s == run.elapsed(at)


def test_an_error_is_kept_as_readable_fields():
    run = new_run()
    err = ApiError(
        "Rate limit reached", status=429, type="rate_limit_error", code="rate", retry_after=7
    )
    run.finish(ERROR, err)
    assert run.status == ERROR
    assert run.error is not None
    assert {k: run.error[k] for k in ("status", "message", "type", "code", "retry_after")} == {
        "status": 429,
        "message": "Rate limit reached",
        "type": "rate_limit_error",
        "code": "rate",
        "retry_after": 7,
    }
    assert run.error["text"] == str(err)
    json.dumps(run.error)  # it goes into the history file as it is


def test_only_a_stopped_run_says_what_stopped_it():
    run = new_run()
    run.finish(OK, stopped_by=BY_USER)
    assert run.stopped_by is None and "stopped_by" not in run.stats()


# -- timing and stats ---------------------------------------------------------------------------


def test_first_token_is_stamped_at_the_time_given_not_when_read():
    run = new_run()
    arrived = time.perf_counter() + 0.5
    run.add_chunk(chunk(""), arrived - 0.2)  # no text yet: not a token
    assert run.first_token_s is None
    run.add_chunk(chunk("Hi"), arrived)
    run.add_chunk(chunk(" there"), arrived + 1)
    assert run.first_token_s == run.elapsed(arrived)
    assert run.first_token_s == pytest.approx(0.5, abs=0.1)
    assert run.last_chunk_at == arrived + 1


def test_stats_count_tokens_from_usage_and_speed_from_the_first_token():
    run = new_run()
    start = time.perf_counter()
    run.add_chunk(chunk("a"), start + 1)
    run.add_chunk(chunk("b"), start + 2)
    run.add_chunk({"choices": [], "usage": USAGE}, start + 3)
    run.finish(OK, at=start + 3)
    stats = run.stats()
    assert (stats["tokens"], stats["tokens_counted_from"]) == (6, "usage")
    assert stats["tokens_per_s"] == pytest.approx(6 / 2)  # 6 tokens between 1 s and 3 s
    assert (stats["prompt_tokens"], stats["completion_tokens"], stats["total_tokens"]) == (4, 6, 10)
    assert (stats["first_token_s"], stats["total_s"]) == (run.first_token_s, run.total_s)
    assert "stopped_by" not in stats and "cut_at_chars" not in stats


def test_without_believable_usage_tokens_are_counted_from_text_chunks():
    run = new_run()
    start = time.perf_counter()
    run.add_chunk(chunk("a"), start + 1)
    run.add_chunk(chunk(""), start + 1.5)  # carries no text: not counted
    run.add_chunk(chunk("b"), start + 2)
    run.add_chunk({"choices": [], "usage": {"completion_tokens": -3}}, start + 2)
    run.finish(OK, at=start + 2)
    stats = run.stats()
    assert run.usage is None
    assert (stats["tokens"], stats["tokens_counted_from"]) == (2, "chunks")
    assert stats["prompt_tokens"] is None and stats["completion_tokens"] is None


def test_an_answer_that_came_in_one_burst_is_timed_over_the_whole_run():
    run = new_run()
    start = time.perf_counter()
    run.add_chunk(chunk("a"), start + 2)
    run.add_chunk(chunk("b"), start + 2.001)
    run.finish(OK, at=start + 2.001)
    assert run.stats()["tokens_per_s"] == pytest.approx(2 / run.total_s)


def test_stats_say_who_stopped_a_run_and_where_a_cut_run_was_cut():
    by_user = new_run()
    by_user.add_chunk(chunk("abc"))
    by_user.finish(STOPPED, stopped_by=BY_USER)
    assert by_user.stats()["stopped_by"] == BY_USER
    assert "cut_at_chars" not in by_user.stats() and not by_user.cut

    cut = new_run(max_chars=4)
    cut.add_chunk(chunk("abc"))
    assert not cut.add_chunk(chunk("def"))
    cut.finish(STOPPED, stopped_by=BY_LIMIT)
    assert cut.cut
    assert (cut.stats()["stopped_by"], cut.stats()["cut_at_chars"]) == (BY_LIMIT, 6)


@pytest.mark.parametrize(
    "usage",
    [
        None,
        "10 tokens",
        [10],
        {"completion_tokens": -1},
        {"prompt_tokens": 10**400},  # Python's json reads integers of any size
        {"total_tokens": 10**9 + 1},
        {"completion_tokens": True},
        {"completion_tokens": "12"},
        {"completion_tokens": 1.5},
        {"prompt_tokens": float("nan")},
        {"prompt_tokens": 3, "completion_tokens": 4, "total_tokens": -7},
    ],
)
def test_usage_that_cannot_be_real_is_dropped(usage):
    assert plausible_usage(usage) is None


@pytest.mark.parametrize(
    "usage",
    [
        {},
        {"completion_tokens": 0},
        {"prompt_tokens": 10**9},
        {"prompt_tokens": 3, "completion_tokens": None},
        {**USAGE, "completion_tokens_details": {"reasoning_tokens": 0}},
    ],
)
def test_believable_usage_is_kept_as_sent(usage):
    assert plausible_usage(usage) == usage


# -- how many choices a request asks for --------------------------------------------------------


@pytest.mark.parametrize(
    ("request_", "prompts", "per_prompt"),
    [
        ({"prompt": "a"}, 1, 1),
        ({"prompt": "a", "n": 3}, 1, 3),
        ({"prompt": ["a", "b"], "n": 2}, 2, 2),
        ({"prompt": [[1, 2], [3]]}, 2, 1),  # a batch of token arrays
        ({"prompt": [1, 2, 3]}, 1, 1),  # one token array
        ({"prompt": ["a", 1]}, 1, 1),  # not a batch
        ({"prompt": []}, 1, 1),
        ({}, 1, 1),
        ({"prompt": "a", "n": 0}, 1, 1),
        ({"prompt": "a", "n": -2}, 1, 1),
        ({"prompt": "a", "n": True}, 1, 1),
        ({"prompt": "a", "n": "2"}, 1, 1),
        ({"prompt": "a", "n": 2.0}, 1, 1),
    ],
)
def test_expected_choices_are_n_for_each_prompt(request_, prompts, per_prompt):
    assert prompt_count(request_) == prompts
    assert choices_per_prompt(request_) == per_prompt
    assert type(choices_per_prompt(request_)) is int  # never True standing in for 1
    assert expected_choices(request_) == prompts * per_prompt


def test_all_finished_waits_for_every_choice_of_a_batch():
    run = new_run({"model": "m", "prompt": ["a", "b"], "n": 2})
    for index in range(3):
        run.add_chunk(chunk("x", index, "stop"))
    assert not run.all_finished()
    run.add_chunk(chunk("x", 3, "length"))
    assert run.all_finished()


# -- the history record -------------------------------------------------------------------------


def test_the_record_has_the_history_keys_and_survives_export_and_import():
    run = new_run()
    run.add_chunk(chunk("Hello", finish="stop"))
    run.finish(OK)
    record = run.record()
    assert set(record) == HISTORY_KEYS
    assert set(record) <= set(ENTRY_KEYS)
    assert record["request"] == REQUEST and record["base_url"] == BASE_URL
    assert record["response"]["choices"][0]["text"] == "Hello"
    assert record["status"] == OK and record["error"] is None
    assert record["timings"] == {"first_token_s": run.first_token_s, "total_s": run.total_s}
    assert record["stats"] == run.stats()
    datetime.fromisoformat(record["created_at"])
    assert record["id"] != new_run().record()["id"]

    entries, problems = parse_import(export_bytes([record]))
    assert problems == []
    assert entries[0]["response"] == record["response"]


def test_the_record_never_contains_the_key_sent(relay):
    key = "sk-live-0123456789abcdefKEY"
    relay.options["require_key"] = key
    run = new_run({**REQUEST, "max_tokens": 5})
    worker = RequestWorker(Endpoint(relay.base_url, api_key=key), run.request, run).start()
    assert worker.done.wait(20)
    assert relay.last["headers"]["authorization"] == f"Bearer {key}"  # it was sent
    assert run.status == OK and run.text(0)
    assert key not in json.dumps(run.record())


def test_the_record_of_a_rejected_key_does_not_quote_it(relay):
    wrong = "sk-wrong-0123456789abcdefKEY"
    relay.options.update(require_key="sk-right", echo_key=True)  # the 401 quotes the key
    run = new_run({**REQUEST, "max_tokens": 5})
    worker = RequestWorker(Endpoint(relay.base_url, api_key=wrong), run.request, run).start()
    assert worker.done.wait(20)
    assert run.status == ERROR and run.error is not None and run.error["status"] == 401
    assert "Incorrect API key" in run.error["message"]
    assert wrong[:8] not in json.dumps(run.record())


# -- logprob summary ----------------------------------------------------------------------------


def test_logprob_summary_is_the_mean_and_its_perplexity():
    mean, perplexity = logprob_summary([-1.0, -3])
    assert mean == pytest.approx(-2.0)
    assert perplexity == pytest.approx(math.exp(2.0))


def test_logprob_summary_skips_what_is_not_a_finite_number():
    junk = [None, "x", True, float("nan"), float("inf"), -float("inf"), 10**400, {}]
    assert logprob_summary([*junk, -1.0, -3.0]) == logprob_summary([-1.0, -3.0])


def test_a_certain_token_has_perplexity_one():
    assert logprob_summary([0.0]) == (0.0, 1.0)


@pytest.mark.parametrize("values", [[], [None], [None, "x"], None, "-1.0", {"a": -1.0}])
def test_logprob_summary_of_nothing_is_none(values):
    assert logprob_summary(values) == (None, None)
