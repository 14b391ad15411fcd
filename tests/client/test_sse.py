"""The event-stream parser on raw bytes, split at every possible network-read boundary."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.client import ApiError, accumulate
from lib.client.sse import iter_chunks


def event(obj, *, prefix="data: ", eol="\n"):
    return f"{prefix}{json.dumps(obj, ensure_ascii=False)}{eol}{eol}".encode()


def chunk(text, index=0, finish=None, **extra):
    return {
        "id": "cmpl-1",
        "object": "text_completion",
        "created": 1,
        "model": "m",
        "choices": [{"text": text, "index": index, "logprobs": None, "finish_reason": finish}],
        **extra,
    }


def texts(body: bytes, splits=None):
    pieces = [body] if splits is None else split_at(body, splits)
    return accumulate(iter_chunks(pieces))


def split_at(body: bytes, points):
    cuts = sorted({p % (len(body) + 1) for p in points})
    out, last = [], 0
    for cut in cuts:
        out.append(body[last:cut])
        last = cut
    out.append(body[last:])
    return [p for p in out if p]


UNICODE = "你好,世界 — café 😀 line\u2028sep\u0085nel\x0bvt\x0cff"


@pytest.mark.parametrize("eol", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("prefix", ["data: ", "data:"])
def test_line_endings_and_prefix(eol, prefix):
    body = (
        event(chunk("Hello"), prefix=prefix, eol=eol)
        + event(chunk(" world", finish="stop"), prefix=prefix, eol=eol)
        + f"{prefix}[DONE]{eol}{eol}".encode()
    )
    result = texts(body)
    assert result["choices"][0]["text"] == "Hello world"
    assert result["choices"][0]["finish_reason"] == "stop"


@settings(max_examples=300, deadline=None)
@given(
    eol=st.sampled_from(["\n", "\r\n", "\r"]),
    splits=st.lists(st.integers(min_value=0, max_value=10_000), max_size=12),
)
def test_any_split_of_the_bytes_gives_the_same_text(eol, splits):
    body = (
        f": ping{eol}{eol}".encode()
        + event(chunk(UNICODE[:9]), eol=eol)
        + f"event: completion{eol}id: 7{eol}".encode()
        + event(chunk(UNICODE[9:]), eol=eol)
        + event(chunk("", finish="length"), eol=eol)
        + f"data: [DONE]{eol}{eol}".encode()
    )
    result = texts(body, splits)
    assert result["choices"][0]["text"] == UNICODE
    assert result["choices"][0]["finish_reason"] == "length"


def test_every_byte_in_its_own_read():
    body = event(chunk(UNICODE)) + b"data: [DONE]\n\n"
    pieces = [body[i : i + 1] for i in range(len(body))]
    assert accumulate(iter_chunks(pieces))["choices"][0]["text"] == UNICODE


def test_json_spread_over_several_data_lines():
    doc = json.dumps(chunk("multi"), indent=2)
    body = "".join(f"data: {line}\n" for line in doc.splitlines()) + "\ndata: [DONE]\n\n"
    assert texts(body.encode())["choices"][0]["text"] == "multi"


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
def test_a_multi_line_event_split_after_a_cr_stays_one_event(eol):
    """A read that ends in CR, the LF opening the next: one line end, not a blank line.

    Forgetting the CR would cut the multi-line event in two halves that are not JSON.
    """
    doc = json.dumps(chunk("multi", finish="stop"), indent=2)
    body = ("".join(f"data: {line}{eol}" for line in doc.splitlines()) + eol).encode()
    body += f"data: [DONE]{eol}{eol}".encode()
    cuts = [i + 1 for i in range(len(body)) if body[i : i + 1] == b"\r"]
    for cut in cuts:
        assert texts(body, [cut])["choices"][0]["text"] == "multi", cut
    assert texts(body, cuts)["choices"][0]["text"] == "multi"  # every CR ends a read


def test_stops_at_first_done_and_ignores_what_follows():
    body = event(chunk("a")) + b"data: [DONE]\n\ndata: [DONE]\n\n" + event(chunk("zzz"))
    assert texts(body)["choices"][0]["text"] == "a"


def test_missing_done_is_fine():
    assert texts(event(chunk("a")) + event(chunk("b")))["choices"][0]["text"] == "ab"


def test_last_event_without_blank_line_is_kept():
    assert (
        texts(event(chunk("a")) + b'data: {"choices":[{"text":"b"}]}')["choices"][0]["text"] == "ab"
    )


def test_empty_choices_usage_and_missing_text():
    usage = {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}
    body = (
        event({"choices": [], "prompt_filter_results": []})
        + event(chunk("x"))
        + event({"choices": [{"index": 0, "finish_reason": "stop"}]})
        + event({"id": "cmpl-1", "choices": [], "usage": usage})
        + b"data: [DONE]\n\n"
    )
    chunks = list(iter_chunks([body]))
    assert chunks[0]["choices"] == []
    assert chunks[2]["choices"][0]["text"] == ""
    result = accumulate(chunks)
    assert result["choices"] == [
        {"text": "x", "index": 0, "logprobs": None, "finish_reason": "stop"}
    ]
    assert result["usage"] == usage


def test_blank_finish_reason_counts_as_none():
    chunks = list(iter_chunks([event(chunk("a", finish=""))]))
    assert chunks[0]["choices"][0]["finish_reason"] is None


def test_interleaved_choices():
    body = b"".join(event(chunk(t, index=i)) for t, i in [("a", 1), ("b", 0), ("c", 1), ("d", 0)])
    result = texts(body)
    assert [(c["index"], c["text"]) for c in result["choices"]] == [(0, "bd"), (1, "ac")]


def test_error_object_after_text_raises_after_yielding_text():
    body = event(chunk("partial")) + event(
        {"error": {"message": "upstream overloaded", "type": "server_error", "code": "overloaded"}}
    )
    seen = []
    with pytest.raises(ApiError) as info:
        for c in iter_chunks([body]):
            seen.append(c["choices"][0]["text"])
    assert seen == ["partial"]
    assert info.value.message == "upstream overloaded"
    assert info.value.code == "overloaded"


def test_event_error_frame():
    body = event(chunk("x")) + b'event: error\ndata: {"error": {"message": "model crashed"}}\n\n'
    with pytest.raises(ApiError, match="model crashed") as info:
        list(iter_chunks([body]))
    assert info.value.type == "stream_error"


def test_event_error_with_plain_text_data():
    with pytest.raises(ApiError, match="boom"):
        list(iter_chunks([b"event: error\ndata: boom\n\n"]))


def test_bare_json_error_body():
    body = b'{"error": {"message": "Invalid key", "type": "invalid_request_error"}}'
    with pytest.raises(ApiError, match="Invalid key"):
        list(iter_chunks([body]))


def test_bare_json_completion_body():
    doc = chunk("whole", finish="stop")
    assert texts(json.dumps(doc).encode())["choices"][0]["text"] == "whole"


@pytest.mark.parametrize("body", [b"", b": ping\n\n: ping\n\n"])
def test_empty_stream(body):
    with pytest.raises(ApiError, match="empty response"):
        list(iter_chunks([body]))


def test_garbage_body():
    with pytest.raises(ApiError, match="neither an event stream nor JSON"):
        list(iter_chunks([b"this is not json or sse\n"]))


def test_non_json_event():
    with pytest.raises(ApiError, match="not JSON"):
        list(iter_chunks([event(chunk("a")) + b"data: {broken\n\n"]))


def test_invalid_utf8():
    with pytest.raises(ApiError, match="UTF-8"):
        list(iter_chunks([b"data: \xff\xfe\n\n"]))


def test_chat_shaped_chunks_still_give_text():
    body = event({"choices": [{"index": 0, "delta": {"content": "hi"}}]})
    assert texts(body)["choices"][0]["text"] == "hi"


def test_lone_surrogates_in_model_output_become_replacement_characters():
    body = b'data: {"choices": [{"index": 0, "text": "ok \\ud800 tail"}]}\n\ndata: [DONE]\n\n'
    text = accumulate(iter_chunks([body]))["choices"][0]["text"]
    assert text == "ok \ufffd tail"
    text.encode("utf-8")  # what the page must be able to do
