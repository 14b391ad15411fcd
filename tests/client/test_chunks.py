"""accumulate(): streamed chunks folded into the non-streamed response shape."""

from lib.client.chunks import accumulate, normalize_chunk


def lp(tokens, offset):
    return {
        "tokens": tokens,
        "token_logprobs": [-0.5] * len(tokens),
        "top_logprobs": [{t: -0.5} for t in tokens],
        "text_offset": list(range(offset, offset + len(tokens))),
    }


def test_accumulate_texts_logprobs_finish_usage_and_ids():
    chunks = [
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
    result = accumulate(chunks)
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
