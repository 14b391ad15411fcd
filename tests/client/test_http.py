"""Integration tests: lib.client against the fake relay, over real HTTP on loopback.

Nothing is mocked: every test sends a request to the fake relay (tests/support/fake_relay) and
checks what the client returned (or raised) and what the server received. Expected texts come
from the relay's own generator, so the tests state rules ("the accumulated text is the
generated text"), not strings.
"""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lib.client import (
    ApiError,
    Endpoint,
    accumulate,
    create_completion,
    list_models,
    stream_completion,
)
from tests.support import fake_relay
from tests.support.fake_relay import FakeRelay

KEY = "sk-test-SECRET-0123456789abcdef"
# Generous bound for "fails quickly" checks; only there so a broken timeout cannot hang the run.
QUICK = 5.0
LOGPROB_ARRAYS = ("tokens", "token_logprobs", "top_logprobs", "text_offset")


@pytest.fixture
def endpoint(relay: FakeRelay) -> Endpoint:
    """An endpoint on the relay with a key; the read timeout keeps a broken test from hanging."""
    return Endpoint(relay.base_url, api_key=KEY, connect_timeout=5.0, read_timeout=10.0)


def payload_for(stream: bool = True, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "model": "fake-instruct",
        "prompt": "Say this is a test",
        "max_tokens": 8,
        "stream": stream,
    }
    return {**base, **fields}


# A payload that exercises n, logprobs, stop and usage; with 5 tokens choice 0 ends by length and
# choice 1 (which starts one word later) reaches " a" and ends by stop.
RICH = {"n": 2, "logprobs": 2, "max_tokens": 5, "stop": [" a"]}
RICH_STREAM = {**RICH, "stream_options": {"include_usage": True}}


def assert_normalized(chunk: dict[str, Any]) -> None:
    """The chunk shape stream_completion promises."""
    assert isinstance(chunk["choices"], list)
    for choice in chunk["choices"]:
        assert isinstance(choice["index"], int) and not isinstance(choice["index"], bool)
        assert isinstance(choice["text"], str)
        assert choice["logprobs"] is None or isinstance(choice["logprobs"], dict)
        finish = choice["finish_reason"]
        assert finish is None or (isinstance(finish, str) and finish)


def collect(endpoint: Endpoint, payload: dict[str, Any]) -> list[dict[str, Any]]:
    chunks = list(stream_completion(endpoint, payload))
    for chunk in chunks:
        assert_normalized(chunk)
    return chunks


def collect_until_error(
    endpoint: Endpoint, payload: dict[str, Any]
) -> tuple[list[dict[str, Any]], ApiError]:
    """Chunks yielded before the stream failed, and the error (the stream must fail)."""
    chunks: list[dict[str, Any]] = []
    try:
        for chunk in stream_completion(endpoint, payload):
            chunks.append(chunk)
    except ApiError as err:
        return chunks, err
    pytest.fail(f"stream ended without ApiError after {len(chunks)} chunks")


def text_of(chunks: list[dict[str, Any]], index: int = 0) -> str:
    return "".join(c["text"] for ch in chunks for c in ch["choices"] if c["index"] == index)


def by_index(response: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {c["index"]: c for c in response["choices"]}


def assert_readable(err: ApiError) -> None:
    """One line, non-empty, and no trace of the key."""
    text = str(err)
    assert text.strip()
    assert "\n" not in text and "\r" not in text
    assert KEY not in text and KEY not in repr(err) and KEY not in err.message


def assert_matches_generation(relay: FakeRelay, response: dict[str, Any], payload: dict) -> None:
    """Every choice of `response` has the generated text, finish_reason and logprobs."""
    gen = relay.generate(payload)
    got = by_index(response)
    assert sorted(got) == [c.index for c in gen.choices]
    for expected in gen.choices:
        choice = got[expected.index]
        assert choice["text"] == expected.text
        assert choice["finish_reason"] == expected.finish_reason
        assert choice["logprobs"] == expected.logprobs()


# ---------------------------------------------------------------------------------------------
# Wire variants: the same completion written differently must accumulate to the same result
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [{}, RICH_STREAM], ids=["simple", "rich"])
@pytest.mark.parametrize("scenario", sorted(fake_relay.WIRE_SCENARIOS))
def test_wire_variant_accumulates_exactly(
    relay: FakeRelay, endpoint: Endpoint, scenario: str, extra: dict[str, Any]
) -> None:
    relay.scenario = scenario
    relay.options.update(keepalive_total=0.4, keepalive_interval=0.1)
    payload = payload_for(**extra)
    acc = accumulate(collect(endpoint, payload))

    assert_matches_generation(relay, acc, payload)
    assert acc["model"] == "fake-instruct"
    assert acc["id"].startswith("cmpl-fake-")
    assert isinstance(acc["created"], int) and acc["created"] > 0
    if "stream_options" in payload or scenario == "empty_choices":
        assert acc["usage"] == relay.generate(payload).usage


def test_each_event_is_one_chunk_in_order(relay: FakeRelay, endpoint: Endpoint) -> None:
    payload = payload_for(max_tokens=6)
    chunks = collect(endpoint, payload)
    assert [c["choices"][0]["text"] for c in chunks] == relay.expected_pieces(payload)
    assert [c["choices"][0]["finish_reason"] for c in chunks] == [None] * 5 + ["length"]


def test_n_choices_interleave_and_keep_their_texts(relay: FakeRelay, endpoint: Endpoint) -> None:
    payload = payload_for(n=3, max_tokens=3)
    chunks = collect(endpoint, payload)
    assert [c["choices"][0]["index"] for c in chunks] == [0, 1, 2] * 3
    for index in range(3):
        assert text_of(chunks, index) == relay.expected_text(payload, index)
    assert_matches_generation(relay, accumulate(chunks), payload)


def test_fewer_choices_than_n(relay: FakeRelay, endpoint: Endpoint) -> None:
    relay.options["max_choices"] = 2
    payload = payload_for(n=4)
    assert sorted(by_index(accumulate(collect(endpoint, payload)))) == [0, 1]
    response = create_completion(endpoint, payload_for(stream=False, n=4))
    assert sorted(by_index(response)) == [0, 1]


def test_stream_and_non_stream_agree(relay: FakeRelay, endpoint: Endpoint) -> None:
    streamed = accumulate(collect(endpoint, payload_for(**RICH_STREAM)))
    whole = create_completion(endpoint, payload_for(stream=False, **RICH))
    assert streamed["choices"] == whole["choices"]
    assert streamed["usage"] == whole["usage"]


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "non-stream"])
@pytest.mark.parametrize(
    "extra",
    [
        {"echo": True, "prompt": "Echo me "},
        {"stop": ["zzz", " this"], "max_tokens": 10},
        {"stop": "\n", "max_tokens": 30},
        {"max_tokens": 0},
        {"prompt": ["first prompt", "second"], "n": 2, "max_tokens": 2},
        {"prompt": [1, 2, 3], "max_tokens": 2},
    ],
    ids=["echo", "stop-list", "stop-newline", "zero-tokens", "prompt-list", "token-prompt"],
)
def test_request_fields_shape_the_result(
    relay: FakeRelay, endpoint: Endpoint, extra: dict[str, Any], stream: bool
) -> None:
    payload = payload_for(stream=stream, **extra)
    if stream:
        response = accumulate(collect(endpoint, payload))
    else:
        response = create_completion(endpoint, payload)
        assert response["usage"] == relay.generate(payload).usage
    assert_matches_generation(relay, response, payload)


@pytest.mark.parametrize("k", [0, 1, 5])
def test_logprobs_arrays_line_up(relay: FakeRelay, endpoint: Endpoint, k: int) -> None:
    payload = payload_for(logprobs=k, max_tokens=7)
    choice = accumulate(collect(endpoint, payload))["choices"][0]
    lp = choice["logprobs"]
    assert all(len(lp[name]) == 7 for name in LOGPROB_ARRAYS)
    assert "".join(lp["tokens"]) == choice["text"]
    for j, offset in enumerate(lp["text_offset"]):
        assert offset == len("".join(lp["tokens"][:j]))
    assert all(isinstance(x, float) and x < 0 for x in lp["token_logprobs"])
    for token, top in zip(lp["tokens"], lp["top_logprobs"], strict=True):
        assert token in top and len(top) <= k + 1


def test_echo_logprobs_keep_the_null_first_entry(relay: FakeRelay, endpoint: Endpoint) -> None:
    payload = payload_for(echo=True, logprobs=1, max_tokens=3, prompt="Hi there")
    choice = accumulate(collect(endpoint, payload))["choices"][0]
    assert choice["text"] == "Hi there Hello world,"
    assert choice["logprobs"]["token_logprobs"][0] is None
    assert choice["logprobs"]["top_logprobs"][0] is None
    assert choice["logprobs"] == relay.generate(payload).choices[0].logprobs()


# Text the SSE layer could trip over: line breaks of every kind, SSE syntax, JSON syntax,
# HTML, CJK, emoji, combining marks.
_AWKWARD = st.sampled_from(
    [
        "\n",
        "\r",
        "\r\n",
        "\n\n",
        "\u2028",
        "\u2029",
        "\u0085",
        "\x0b",
        "\x0c",
        "\x1c",
        "data: ",
        "data: [DONE]",
        "[DONE]",
        ": ",
        "event: error",
        '{"error": 1}',
        "\\",
        '"',
        "<img src=x onerror=alert(1)>",
        "你好",
        "😀",
        "e\u0301",
        "\x00",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.lists(st.one_of(st.text(max_size=6), _AWKWARD), max_size=8).map("".join),
    scenario=st.sampled_from(["normal", "crlf", "cr", "no_space", "multiline_data", "split_utf8"]),
)
def test_any_text_survives_the_stream(
    relay: FakeRelay, endpoint: Endpoint, text: str, scenario: str
) -> None:
    relay.scenario = scenario
    relay.options["text"] = text
    chunks = collect(endpoint, payload_for())
    assert text_of(chunks) == text
    assert accumulate(chunks)["choices"][0]["finish_reason"] == "stop"


def test_chunks_arrive_while_the_server_is_still_sending(
    relay: FakeRelay, endpoint: Endpoint
) -> None:
    # The server sends one chunk and then nothing for 30 s; a client that buffers the body would
    # only return after its read timeout.
    relay.scenario = "hang_midstream"
    relay.options["drop_after"] = 1
    payload = payload_for()
    started = time.monotonic()
    stream = stream_completion(endpoint, payload)
    try:
        first = next(stream)
        assert time.monotonic() - started < QUICK
        assert first["choices"][0]["text"] == relay.expected_pieces(payload)[0]
    finally:
        stream.close()


# ---------------------------------------------------------------------------------------------
# What the server receives
# ---------------------------------------------------------------------------------------------


def test_stream_request_headers_and_body(relay: FakeRelay, endpoint: Endpoint) -> None:
    payload = payload_for(prompt="你好 \u2028 😀 <b>&amp;</b>", temperature=0, top_p=1, n=1)
    collect(endpoint, payload)
    got = relay.last
    assert got["method"] == "POST" and got["path"] == "/v1/completions"
    assert "text/event-stream" in got["headers"]["accept"]
    assert got["headers"]["accept-encoding"] == "identity"
    assert got["headers"]["authorization"] == f"Bearer {KEY}"
    assert got["headers"]["content-type"].startswith("application/json")
    assert got["body"] == payload
    assert list(got["body"]) == list(payload)  # key order as the user built it


def test_non_stream_request_headers_and_body(relay: FakeRelay, endpoint: Endpoint) -> None:
    payload = payload_for(stream=False, stop=["\n", "END"], logit_bias={"50256": -100})
    create_completion(endpoint, payload)
    got = relay.last
    assert got["headers"]["authorization"] == f"Bearer {KEY}"
    assert got["body"] == payload


def test_no_key_sends_no_authorization(relay: FakeRelay) -> None:
    ep = Endpoint(relay.base_url, read_timeout=10.0)
    assert list_models(ep) == list(fake_relay.MODELS)
    assert "authorization" not in relay.last["headers"]


def test_extra_headers_reach_the_server(relay: FakeRelay) -> None:
    ep = Endpoint(relay.base_url, api_key=KEY, read_timeout=10.0, headers={"X-Team": "blue"})
    create_completion(ep, payload_for(stream=False))
    assert relay.last["headers"]["x-team"] == "blue"


def test_list_models(relay: FakeRelay, endpoint: Endpoint) -> None:
    relay.options["require_key"] = KEY
    assert list_models(endpoint) == list(fake_relay.MODELS)
    assert relay.last["path"] == "/v1/models"
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"


def test_trailing_slash_in_base_url(relay: FakeRelay) -> None:
    ep = Endpoint(relay.base_url + "/", api_key=KEY, read_timeout=10.0)
    assert list_models(ep) == list(fake_relay.MODELS)
    assert relay.last["path"] == "/v1/models"


def test_closing_the_generator_closes_the_connection(relay: FakeRelay, endpoint: Endpoint) -> None:
    relay.options["token_delay"] = 0.05
    stream = stream_completion(endpoint, payload_for(max_tokens=200))
    first = next(stream)
    assert first["choices"][0]["text"]
    stream.close()
    # The server notices when a later write fails; it would otherwise write for 10 s.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=QUICK)


def test_breaking_out_of_a_loop_closes_the_connection(relay: FakeRelay, endpoint: Endpoint) -> None:
    relay.options["token_delay"] = 0.05
    stream = stream_completion(endpoint, payload_for(max_tokens=200))
    for _chunk in stream:
        break
    del stream  # CPython finalizes the generator at once, which runs its finally
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=QUICK)


# ---------------------------------------------------------------------------------------------
# HTTP failures
# ---------------------------------------------------------------------------------------------

FAILURES = [
    # scenario, status, type, code, retry_after, message fragment
    ("http_401", 401, "invalid_request_error", "invalid_api_key", None, "Incorrect API key"),
    ("http_404", 404, "invalid_request_error", "model_not_found", None, "does not exist"),
    ("http_429", 429, "rate_limit_error", "rate_limit_exceeded", 7, "Rate limit reached"),
    ("http_500", 500, "server_error", None, None, "The server had an error"),
    ("http_503", 503, "server_error", None, None, "currently overloaded"),
    ("newapi_error", 500, "new_api_error", "model_not_found", None, "当前分组上游负载已饱和"),
]


def call(mode: str, endpoint: Endpoint) -> Any:
    """Run one client call the way a page would, so errors surface where the user sees them."""
    if mode == "models":
        return list_models(endpoint)
    if mode == "create":
        return create_completion(endpoint, payload_for(stream=False))
    return accumulate(stream_completion(endpoint, payload_for()))


MODES = ["stream", "create", "models"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("scenario", "status", "type_", "code", "retry", "fragment"), FAILURES)
def test_http_error_fields(
    relay: FakeRelay,
    endpoint: Endpoint,
    mode: str,
    scenario: str,
    status: int,
    type_: str,
    code: str | None,
    retry: float | None,
    fragment: str,
) -> None:
    relay.scenario = scenario
    with pytest.raises(ApiError) as info:
        call(mode, endpoint)
    err = info.value
    assert (err.status, err.type, err.code, err.retry_after) == (status, type_, code, retry)
    assert fragment in err.message and fragment in str(err)
    assert_readable(err)


@pytest.mark.parametrize("mode", MODES)
def test_html_gateway_page_is_summarized(relay: FakeRelay, endpoint: Endpoint, mode: str) -> None:
    relay.scenario = "http_502_html"
    with pytest.raises(ApiError) as info:
        call(mode, endpoint)
    err = info.value
    assert err.status == 502
    assert "502" in str(err)
    assert "<html" not in str(err).lower() and "<!doctype" not in str(err).lower()
    assert len(str(err)) < 300
    assert_readable(err)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("scenario", ["empty_body", "garbage"])
def test_unusable_bodies_raise(
    relay: FakeRelay, endpoint: Endpoint, mode: str, scenario: str
) -> None:
    relay.scenario = scenario
    with pytest.raises(ApiError) as info:
        call(mode, endpoint)
    assert_readable(info.value)


def test_models_not_json(relay: FakeRelay, endpoint: Endpoint) -> None:
    relay.scenario = "models_garbage"
    with pytest.raises(ApiError) as info:
        list_models(endpoint)
    assert_readable(info.value)


def test_per_request_scenario_via_model_id(relay: FakeRelay, endpoint: Endpoint) -> None:
    with pytest.raises(ApiError) as info:
        list(stream_completion(endpoint, payload_for(model="scenario/http_500")))
    assert info.value.status == 500
    assert accumulate(collect(endpoint, payload_for()))["choices"][0]["text"]


def test_rejected_key_is_not_shown_back(relay: FakeRelay) -> None:
    # Some relays quote the rejected key verbatim; the client must not pass it on.
    relay.options.update(require_key="sk-the-right-one", echo_key=True)
    for mode in MODES:
        with pytest.raises(ApiError) as info:
            call(mode, Endpoint(relay.base_url, api_key=KEY, read_timeout=10.0))
        assert info.value.status == 401
        assert_readable(info.value)


def test_key_not_in_endpoint_repr(relay: FakeRelay) -> None:
    ep = Endpoint(relay.base_url, api_key=KEY)
    assert KEY not in repr(ep) and KEY not in str(ep)
    assert relay.base_url in repr(ep)


# Each header name is caught by one word of the secret-header list alone, so dropping any word
# from the list makes one case fail.
@pytest.mark.parametrize(
    "name", ["Authorization", "X-Api-Key", "X-Access-Token", "X-Client-Secret", "Cookie"]
)
def test_secret_headers_not_in_endpoint_repr(relay: FakeRelay, name: str) -> None:
    secret = f"{name}-value-{KEY}"
    ep = Endpoint(relay.base_url, headers={name: secret, "X-Team": "blue"})
    assert secret not in repr(ep) and secret not in str(ep) and KEY not in repr(ep)
    assert "'X-Team': 'blue'" in repr(ep)  # other headers stay readable
    create_completion(ep, payload_for(stream=False))
    assert relay.last["headers"][name.lower()] == secret  # hidden in the repr, still sent


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("leaked", [3, 7, 13])
def test_an_echoed_key_at_the_length_cut_leaves_no_prefix(
    relay: FakeRelay, endpoint: Endpoint, mode: str, leaked: int
) -> None:
    # The message is cut to 500 characters (499 and "…"). With the key starting `leaked`
    # characters before the cut, redacting only after the cut would leave that much of it.
    relay.scenario = "http_401"
    relay.options["error_message"] = "x" * (499 - leaked) + KEY + " was rejected"
    with pytest.raises(ApiError) as info:
        call(mode, endpoint)
    err = info.value
    assert err.message.startswith("x" * (499 - leaked) + "***")
    assert KEY[:3] not in err.message and KEY[:3] not in str(err)


@pytest.mark.parametrize("echoed", [KEY.upper(), KEY[:12] + "…", KEY[:9] + "****" + KEY[-4:]])
def test_an_echoed_key_in_another_case_or_cut_short_is_removed(
    relay: FakeRelay, endpoint: Endpoint, echoed: str
) -> None:
    relay.scenario = "http_401"
    relay.options["error_message"] = f"Incorrect API key provided: {echoed}."
    with pytest.raises(ApiError) as info:
        create_completion(endpoint, payload_for(stream=False))
    assert info.value.message.startswith("Incorrect API key provided: ***")
    assert KEY[:8].lower() not in str(info.value).lower()


# ---------------------------------------------------------------------------------------------
# Failures inside a stream: the text that arrived is delivered before the error
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "error"),
    [
        ("stream_error_object", fake_relay.STREAM_ERROR_OBJECT["error"]),
        ("event_error", fake_relay.EVENT_ERROR_OBJECT["error"]),
    ],
)
def test_error_inside_stream_after_text(
    relay: FakeRelay, endpoint: Endpoint, scenario: str, error: dict[str, Any]
) -> None:
    relay.scenario = scenario
    payload = payload_for()
    chunks, err = collect_until_error(endpoint, payload)
    assert text_of(chunks) == "".join(relay.expected_pieces(payload)[:3])
    assert err.message == error["message"]
    assert (err.type, err.code) == (error["type"], error["code"])
    assert_readable(err)


@pytest.mark.parametrize("drop_mode", ["fin", "rst"])
def test_drop_midstream_after_text(relay: FakeRelay, endpoint: Endpoint, drop_mode: str) -> None:
    relay.scenario = "drop_midstream"
    relay.options["drop_mode"] = drop_mode
    payload = payload_for()
    chunks, err = collect_until_error(endpoint, payload)
    assert text_of(chunks) == "".join(relay.expected_pieces(payload)[:3])
    assert (err.key, err.type) == ("client.dropped", "stream_dropped")
    assert_readable(err)


@pytest.mark.parametrize("stream", [True, False], ids=["stream", "non-stream"])
def test_status_200_body_that_is_a_json_error(
    relay: FakeRelay, endpoint: Endpoint, stream: bool
) -> None:
    # Stream: an event-stream body holding a bare JSON error; non-stream: 200 + error JSON.
    relay.scenario = "sse_json_error"
    if stream:
        chunks, err = collect_until_error(endpoint, payload_for())
        assert chunks == []
    else:
        with pytest.raises(ApiError) as info:
            create_completion(endpoint, payload_for(stream=False))
        err = info.value
    expected = fake_relay.SSE_JSON_ERROR_OBJECT["error"]
    assert (err.message, err.type, err.code) == (
        expected["message"],
        expected["type"],
        expected["code"],
    )
    assert_readable(err)


# ---------------------------------------------------------------------------------------------
# Network failures and timeouts
# ---------------------------------------------------------------------------------------------


def mentions_timeout(err: ApiError) -> bool:
    return re.search(r"time[d ]?\s*out", str(err).lower()) is not None


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused(dead_base_url: str, mode: str) -> None:
    with pytest.raises(ApiError) as info:
        call(mode, Endpoint(dead_base_url, api_key=KEY, connect_timeout=3.0))
    assert info.value.status is None
    assert (info.value.key, info.value.type) == ("client.refused", "connection_error")
    assert_readable(info.value)


@pytest.mark.parametrize("mode", MODES)
def test_a_connection_reset_without_an_answer_says_so_and_is_not_sent_again(
    relay: FakeRelay, endpoint: Endpoint, mode: str
) -> None:
    relay.scenario = "reset"
    with pytest.raises(ApiError) as info:
        call(mode, endpoint)
    assert info.value.status is None
    assert (info.value.key, info.value.type) == ("client.reset", "connection_error")
    assert "closed the connection without answering" in str(info.value)
    assert_readable(info.value)
    assert len(relay.received) == 1  # a request the server may have taken is not repeated


@pytest.mark.parametrize("mode", MODES)
def test_dns_failure(mode: str) -> None:
    ep = Endpoint("http://nonexistent.invalid/v1", api_key=KEY, connect_timeout=3.0)
    with pytest.raises(ApiError) as info:
        call(mode, ep)
    assert info.value.status is None
    assert (info.value.key, info.value.type) == ("client.dns", "connection_error")
    assert "nonexistent.invalid" in str(info.value)
    assert_readable(info.value)


def test_keepalive_comments_keep_a_short_read_timeout_alive(relay: FakeRelay) -> None:
    # 1.5 s of comments every 0.2 s, read timeout 0.5 s: slow to start but never silent.
    relay.scenario = "keepalive_slow"
    relay.options.update(keepalive_interval=0.2, keepalive_total=1.5)
    ep = Endpoint(relay.base_url, api_key=KEY, read_timeout=0.5)
    payload = payload_for()
    assert text_of(collect(ep, payload)) == relay.expected_text(payload)


@pytest.mark.parametrize(
    ("scenario", "mode"),
    [
        ("hang", "stream"),
        ("hang", "create"),
        ("hang", "models"),
        ("hang_before_headers", "stream"),
    ],
)
def test_silent_server_times_out(relay: FakeRelay, scenario: str, mode: str) -> None:
    relay.scenario = scenario
    ep = Endpoint(relay.base_url, api_key=KEY, read_timeout=0.5)
    started = time.monotonic()
    with pytest.raises(ApiError) as info:
        call(mode, ep)
    assert time.monotonic() - started < QUICK
    assert mentions_timeout(info.value)
    assert (info.value.key, info.value.type) == ("client.read_timeout", "timeout")
    assert_readable(info.value)


def test_silence_midstream_times_out_after_text(relay: FakeRelay) -> None:
    relay.scenario = "hang_midstream"
    ep = Endpoint(relay.base_url, api_key=KEY, read_timeout=0.5)
    payload = payload_for()
    started = time.monotonic()
    chunks, err = collect_until_error(ep, payload)
    assert time.monotonic() - started < QUICK
    assert text_of(chunks) == "".join(relay.expected_pieces(payload)[:3])
    assert mentions_timeout(err)
    assert (err.key, err.type) == ("client.read_timeout", "timeout")
    assert_readable(err)


def test_a_body_larger_than_the_cap_is_refused_unread(relay: FakeRelay) -> None:
    relay.options["padding"] = 300_000
    small = Endpoint(relay.base_url, max_response_bytes=100_000)
    with pytest.raises(ApiError) as caught:
        create_completion(small, {"model": "fake-instruct", "prompt": "hi"})
    assert caught.value.type == "invalid_response"
    assert caught.value.key == "client.too_large"
    assert "larger than 0.0953674 MiB" in str(caught.value)
    # Under the cap the same answer reads whole.
    roomy = Endpoint(relay.base_url, max_response_bytes=1_000_000)
    assert len(create_completion(roomy, {"model": "fake-instruct", "prompt": "hi"})["padding"]) == (
        300_000
    )


# A header value http.client would refuse: it raises with the whole value (the key) in its
# message. ASCII but not printable (control characters) as well as non-ASCII.
@pytest.mark.parametrize(
    "key", ["sk-abc\ndef", "sk-\tabc", "sk-abc\x00", "sk-abc\x7f", "sk-abc\x1b", "sk-ключ"]
)
@pytest.mark.parametrize("mode", ["stream", "once", "models"])
def test_a_key_that_cannot_be_a_header_is_refused_before_sending(
    relay: FakeRelay, key: str, mode: str
) -> None:
    ep = Endpoint(relay.base_url, api_key=key, connect_timeout=QUICK, read_timeout=QUICK)
    with pytest.raises(ApiError) as caught:
        if mode == "stream":
            list(stream_completion(ep, payload_for()))
        elif mode == "once":
            create_completion(ep, payload_for(stream=False))
        else:
            list_models(ep)
    assert (caught.value.key, caught.value.type) == ("client.header", "invalid_request")
    assert "Authorization header contains characters that cannot be sent" in str(caught.value)
    assert key not in str(caught.value) and key not in repr(caught.value)
    assert relay.received == []


def test_an_extra_header_with_a_line_break_is_refused_before_sending(relay: FakeRelay) -> None:
    ep = Endpoint(relay.base_url, read_timeout=QUICK, headers={"X-Team": "blue\r\nX-Evil: 1"})
    with pytest.raises(ApiError) as caught:
        create_completion(ep, payload_for(stream=False))
    assert caught.value.key == "client.header" and "X-Team" in str(caught.value)
    assert relay.received == []


def test_the_response_cap_holds_a_body_of_exactly_its_size(relay: FakeRelay) -> None:
    """A body of `max_response_bytes` bytes is read; one byte more is refused."""
    size = len(requests.get(f"{relay.base_url}/models", timeout=QUICK).content)
    exact = Endpoint(relay.base_url, max_response_bytes=size, read_timeout=QUICK)
    assert list_models(exact) == list(fake_relay.MODELS)
    short = Endpoint(relay.base_url, max_response_bytes=size - 1, read_timeout=QUICK)
    with pytest.raises(ApiError) as caught:
        list_models(short)
    assert caught.value.key == "client.too_large"
