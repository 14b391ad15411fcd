"""Chunks: normalizing what servers send, and the one fold behind accumulate() and a live run."""

from lib.client import accumulate
from lib.client.chunks import ResponseFold, normalize_chunk


def lp(tokens, offset):
    return {
        "tokens": tokens,
        "token_logprobs": [-0.5] * len(tokens),
        "top_logprobs": [{t: -0.5} for t in tokens],
        "text_offset": list(range(offset, offset + len(tokens))),
    }


def chunks_of_two_choices() -> list[dict]:
    return [
        {
            "id": "cmpl-9",
            "model": "m",
            "created": 5,
            "choices": [
                {"index": 1, "text": "B", "logprobs": lp(["B"], 0), "finish_reason": None},
                {"index": 0, "text": "A", "logprobs": lp(["A"], 0), "finish_reason": None},
            ],
        },
        {
            "id": "cmpl-9",
            "choices": [
                {"index": 0, "text": "a", "logprobs": lp(["a"], 1), "finish_reason": "length"},
            ],
        },
        {"choices": [{"index": 1, "text": "", "finish_reason": "stop"}]},
        {"choices": [{"index": 1, "text": "b", "finish_reason": None}]},
        {"choices": [], "usage": {"total_tokens": 4}},
    ]


def test_accumulate_texts_logprobs_finish_usage_and_ids():
    result = accumulate(chunks_of_two_choices())
    assert result["id"] == "cmpl-9" and result["model"] == "m" and result["created"] == 5
    assert result["object"] == "text_completion"
    assert [c["index"] for c in result["choices"]] == [0, 1]
    first, second = result["choices"]
    assert first["text"] == "Aa" and first["finish_reason"] == "length"
    assert first["logprobs"]["tokens"] == ["A", "a"]
    assert first["logprobs"]["text_offset"] == [0, 1]
    assert first["logprobs"]["top_logprobs"] == [{"A": -0.5}, {"a": -0.5}]
    # The last non-null finish_reason wins, even when text follows it.
    assert second["text"] == "Bb" and second["finish_reason"] == "stop"
    assert second["logprobs"]["tokens"] == ["B"]
    assert result["usage"] == {"total_tokens": 4}


def test_accumulate_nothing():
    assert accumulate([]) == {"object": "text_completion", "choices": []}


def test_normalize_fills_every_choice_field():
    out = normalize_chunk({"choices": [{"text": None}, "junk", {"index": True, "logprobs": 3}]})
    assert out["choices"] == [
        {"text": "", "index": 0, "logprobs": None, "finish_reason": None},
        {"text": "", "index": 1, "logprobs": None, "finish_reason": None},
        {"index": 2, "text": "", "logprobs": None, "finish_reason": None},
    ]
    assert normalize_chunk({"choices": None, "usage": None}) == {"choices": []}


def test_a_live_fold_reads_what_accumulate_returns_at_every_step():
    chunks = chunks_of_two_choices()
    fold = ResponseFold()
    added = []
    for count, chunk in enumerate(chunks, start=1):
        added.append(fold.add(normalize_chunk(chunk)))
        assert fold.response() == accumulate(chunks[:count])
    assert added == [2, 1, 0, 1, 0]
    assert (fold.chars, fold.text_chunks) == (4, 4)
    assert [fold.text(i) for i in fold.indexes()] == ["Aa", "Bb"]
    assert fold.tail(0, 1) == ("a", 1) and fold.tail(1, 5) == ("Bb", 0)
    assert (fold.finish_reason(0), fold.finish_reason(1), fold.finished_count()) == (
        "length",
        "stop",
        2,
    )
    assert fold.usage == {"total_tokens": 4}


def test_accumulate_normalizes_what_it_folds():
    raw = [
        {
            "choices": [
                {"delta": {"content": "y"}},  # the chat shape, and no index: its position
                {"index": "1", "text": "x", "finish_reason": ""},
            ]
        },
        {"choices": [{"index": 1.0, "text": 5}], "usage": "junk"},
    ]
    assert accumulate(raw) == {
        "object": "text_completion",
        "choices": [
            {"text": "y", "index": 0, "logprobs": None, "finish_reason": None},
            {"text": "x5", "index": 1, "logprobs": None, "finish_reason": None},
        ],
    }


def test_the_last_finish_reason_and_the_first_real_head_win():
    chunks = [
        {
            "id": "",
            "model": "",
            "created": 0,
            "choices": [{"text": "a", "finish_reason": "length"}],
        },
        {"id": "cmpl-1", "model": "m", "choices": [{"text": "b", "finish_reason": None}]},
        {"id": "cmpl-2", "model": "n", "created": 7, "choices": [{"finish_reason": "stop"}]},
    ]
    result = accumulate(chunks)
    assert (result["id"], result["model"], result["created"]) == ("cmpl-1", "m", 7)
    assert result["choices"][0]["text"] == "ab" and result["choices"][0]["finish_reason"] == "stop"
