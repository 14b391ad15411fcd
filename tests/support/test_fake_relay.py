"""Self-tests of the fake relay (test infrastructure), with plain requests and sseclient-py.

The client's integration tests trust the relay's bytes; these check that the relay writes what
each scenario promises, independently of lib/.
"""

from __future__ import annotations

import ast
import http.client
import itertools
import json
import re
import subprocess
import sys
import threading
import time
from typing import Any

import pytest
import requests
import sseclient

from tests.support import fake_relay
from tests.support.fake_relay import (
    FakeRelay,
    completion_body,
    dumps,
    expected_text,
    generate,
    sse_frame,
    stream_chunks,
)
from tests.support.paths import ROOT

PAYLOAD: dict[str, Any] = {"model": "fake-instruct", "prompt": "Say this is a test", "stream": True}


def post(relay: FakeRelay, payload: dict[str, Any], **kwargs: Any) -> requests.Response:
    return requests.post(f"{relay.base_url}/completions", json=payload, timeout=10, **kwargs)


def events(body: bytes) -> list[sseclient.Event]:
    return list(sseclient.SSEClient([body]).events())


def stream_docs(body: bytes) -> list[Any]:
    """JSON documents of a stream up to the first [DONE] (or the end)."""
    docs = []
    for event in events(body):
        if event.data == "[DONE]":
            break
        docs.append(json.loads(event.data))
    return docs


def texts_by_index(docs: list[Any]) -> dict[int, str]:
    out: dict[int, str] = {}
    for doc in docs:
        for choice in doc.get("choices", []):
            out[choice["index"]] = out.get(choice["index"], "") + choice.get("text", "")
    return out


def test_models_list(relay: FakeRelay) -> None:
    resp = requests.get(f"{relay.base_url}/models", timeout=10)
    assert resp.status_code == 200
    assert [m["id"] for m in resp.json()["data"]] == list(fake_relay.MODELS)
    assert relay.last["method"] == "GET"
    assert relay.last["path"] == "/v1/models"


def test_normal_stream_is_plain_sse_and_matches_generation(relay: FakeRelay) -> None:
    payload = {**PAYLOAD, "max_tokens": 5}
    resp = post(relay, payload)
    assert resp.headers["content-type"].startswith("text/event-stream")
    assert resp.content.endswith(b"data: [DONE]\n\n")
    docs = stream_docs(resp.content)
    assert texts_by_index(docs) == {0: " Hello world, this is"}
    assert docs[-1]["choices"][0]["finish_reason"] == "length"
    assert all(d["id"] == docs[0]["id"] and d["id"].startswith("cmpl-fake-") for d in docs)
    assert relay.last["body"] == payload
    assert json.loads(relay.last["raw"]) == payload


def test_non_stream_body_shape(relay: FakeRelay) -> None:
    payload = {"model": "gpt-3.5-turbo-instruct", "prompt": "a b c", "max_tokens": 3, "n": 2}
    body = post(relay, payload).json()
    assert body["object"] == "text_completion"
    assert body["model"] == "gpt-3.5-turbo-instruct"
    assert [c["text"] for c in body["choices"]] == [" Hello world,", " world, this"]
    assert body["usage"] == {"prompt_tokens": 3, "completion_tokens": 6, "total_tokens": 9}


@pytest.mark.parametrize("scenario", ["normal", "crlf", "comments", "multiline_data", "no_done"])
def test_the_generator_alone_predicts_the_servers_bytes(relay: FakeRelay, scenario: str) -> None:
    relay.scenario = scenario
    payload = {**PAYLOAD, "n": 2, "max_tokens": 4, "stream_options": {"include_usage": True}}
    body = post(relay, payload).content
    first = stream_docs(body)[0]  # the server picks the id and the time
    docs = stream_chunks(generate(payload), first["id"], first["created"], scenario, True)
    frames = [sse_frame(dumps(doc), scenario, i) for i, doc in enumerate(docs)]
    if scenario != "no_done":
        frames.append(sse_frame("[DONE]", scenario, len(docs)))
    assert body == b"".join(frames)

    answer = post(relay, {**payload, "stream": False}).json()
    assert answer == completion_body(generate(payload), answer["id"], answer["created"])


def test_the_generator_opens_no_sockets() -> None:
    """What a request produces is computed without a server: no network or thread imports."""
    tree = ast.parse((ROOT / "tests/support/fake_relay/generator.py").read_text())
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert not imported & {"socket", "socketserver", "threading", "http.server", "time", "select"}


@pytest.mark.parametrize(
    ("options", "payload", "text", "finish"),
    [
        ({}, {"max_tokens": 2}, " Hello world", "length"),
        ({}, {"max_tokens": 0}, "", "length"),
        ({"natural_length": 3}, {"max_tokens": 10}, " Hello world,", "stop"),
        ({}, {"max_tokens": 10, "stop": ["is", "zzz"]}, " Hello world, th", "stop"),
        ({}, {"max_tokens": 10, "stop": " Hello"}, "", "stop"),
        (
            {},
            {"max_tokens": 2, "echo": True, "prompt": "Hi there"},
            "Hi there Hello world",
            "length",
        ),
        ({"text": "exact <b>x</b>"}, {"max_tokens": 1, "stop": "x"}, "exact <b>x</b>", "stop"),
    ],
)
def test_generation_rules(
    options: dict[str, Any], payload: dict[str, Any], text: str, finish: str
) -> None:
    payload = {"model": "m", **payload}
    choice = generate(payload, options).choices[0]
    assert choice.text == text
    assert choice.finish_reason == finish


def test_logprobs_are_consistent() -> None:
    payload = {"model": "m", "max_tokens": 6, "logprobs": 3, "echo": True, "prompt": "one two"}
    lp = generate(payload).choices[0].logprobs()
    assert lp is not None
    text = expected_text(payload)
    assert "".join(lp["tokens"]) == text
    assert lp["token_logprobs"][0] is None and lp["top_logprobs"][0] is None  # first echo token
    assert all(x < 0 for x in lp["token_logprobs"][1:])
    for tok, off in zip(lp["tokens"], lp["text_offset"], strict=True):
        assert text[off : off + len(tok)] == tok
    for tok, top in zip(lp["tokens"][1:], lp["top_logprobs"][1:], strict=True):
        assert tok in top and 1 <= len(top) <= 4


def test_n_interleaves_and_max_choices_caps(relay: FakeRelay) -> None:
    relay.options["max_choices"] = 2
    docs = stream_docs(post(relay, {**PAYLOAD, "n": 3, "max_tokens": 2}).content)
    assert [d["choices"][0]["index"] for d in docs] == [0, 1, 0, 1]


@pytest.mark.parametrize(
    ("scenario", "marker"),
    [
        ("crlf", b"\r\n\r\n"),
        ("no_space", b"data:{"),
        ("comments", b": ping\n"),
        ("multiline_data", b"data:  "),
    ],
)
def test_wire_variants_keep_the_text(relay: FakeRelay, scenario: str, marker: bytes) -> None:
    relay.scenario = scenario
    body = post(relay, {**PAYLOAD, "max_tokens": 4}).content
    assert marker in body
    assert texts_by_index(stream_docs(body)) == {0: " Hello world, this"}


def test_cr_only_has_no_line_feed(relay: FakeRelay) -> None:
    relay.scenario = "cr"
    body = post(relay, {**PAYLOAD, "max_tokens": 4}).content
    assert b"\n" not in body and body.endswith(b"data: [DONE]\r\r")


def test_double_done_has_bogus_after_done(relay: FakeRelay) -> None:
    relay.scenario = "double_done"
    body = post(relay, {**PAYLOAD, "max_tokens": 2}).content
    assert body.count(b"data: [DONE]") == 2
    assert body.rstrip().endswith(b"}") and b"BOGUS" in body


def test_unicode_separators_are_raw_on_the_wire(relay: FakeRelay) -> None:
    relay.scenario = "unicode_separators"
    body = post(relay, PAYLOAD).content
    assert "\u2028".encode() in body and "\u0085".encode() in body
    assert texts_by_index(stream_docs(body)) == {0: fake_relay.UNICODE_SEPARATORS_TEXT}


def test_split_utf8_text(relay: FakeRelay) -> None:
    relay.scenario = "split_utf8"
    assert texts_by_index(stream_docs(post(relay, PAYLOAD).content)) == {
        0: fake_relay.SPLIT_UTF8_TEXT
    }


def test_drop_midstream_is_a_truncated_chunked_transfer(relay: FakeRelay) -> None:
    relay.scenario = "drop_midstream"
    resp = post(relay, {**PAYLOAD, "max_tokens": 10}, stream=True)
    assert resp.headers["transfer-encoding"] == "chunked"
    received = b""
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        for piece in resp.iter_content(None):
            received += piece
    assert texts_by_index(stream_docs(received)) == {0: " Hello world,"}


def test_http_errors(relay: FakeRelay) -> None:
    relay.scenario = "http_429"
    resp = post(relay, PAYLOAD)
    assert resp.status_code == 429 and resp.headers["retry-after"] == "7"
    assert resp.json()["error"]["code"] == "rate_limit_exceeded"
    relay.scenario = "http_502_html"
    resp = requests.get(f"{relay.base_url}/models", timeout=10)
    assert resp.status_code == 502 and resp.headers["content-type"].startswith("text/html")
    assert len(resp.content) > 5000


def test_per_request_scenario_override(relay: FakeRelay) -> None:
    resp = post(relay, {**PAYLOAD, "model": "scenario/http_404"})
    assert resp.status_code == 404
    assert "scenario/http_404" in resp.json()["error"]["message"]
    assert relay.scenario == "normal"
    assert post(relay, {**PAYLOAD, "model": "scenario/nope"}).status_code == 400


def test_require_key(relay: FakeRelay) -> None:
    relay.options["require_key"] = "sk-test-1234567890"
    assert post(relay, PAYLOAD).status_code == 401
    resp = post(relay, PAYLOAD, headers={"Authorization": "Bearer sk-wrong-000000000"})
    assert resp.status_code == 401 and "sk-wrong-000000000" not in resp.text
    resp = post(relay, PAYLOAD, headers={"Authorization": "Bearer sk-test-1234567890"})
    assert resp.status_code == 200
    assert relay.last["headers"]["authorization"] == "Bearer sk-test-1234567890"


def test_control_and_received_endpoints(relay: FakeRelay) -> None:
    state = requests.post(
        f"{relay.url}/_control",
        json={"scenario": "http_503", "options": {"token_delay": 0.01}},
        timeout=10,
    ).json()
    assert state["scenario"] == "http_503" and relay.options == {"token_delay": 0.01}
    assert post(relay, PAYLOAD).status_code == 503
    got = requests.get(f"{relay.url}/_received", timeout=10).json()
    assert got == [
        {
            "method": "POST",
            "path": "/v1/completions",
            "headers": got[0]["headers"],
            "body": PAYLOAD,
            "client_port": got[0]["client_port"],
        }
    ]
    bad = requests.post(f"{relay.url}/_control", json={"scenario": "bogus"}, timeout=10)
    assert bad.status_code == 400
    requests.post(f"{relay.url}/_control", json={"reset": True}, timeout=10)
    assert relay.scenario == "normal" and relay.options == {} and relay.received == []


def test_hang_is_released_by_reset(relay: FakeRelay) -> None:
    relay.scenario = "hang_before_headers"
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(f"{relay.base_url}/models", timeout=(5, 0.3))
    relay.reset()  # the handler must not keep its thread for hang_seconds
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("batched, pauses", [(True, 4), (False, 16)])
def test_batched_choices_arrive_one_step_of_every_choice_at_a_time(
    relay: FakeRelay, batched: bool, pauses: int
) -> None:
    """n=4, 4 tokens each: a batched server pauses once per step (3 between them, then before
    [DONE]), not before every frame (16)."""
    relay.options.update(token_delay=0.2, batched=batched)
    host, port = relay.base_url.split("//")[1].split("/")[0].split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    body = json.dumps({**PAYLOAD, "n": 4, "max_tokens": 4})
    conn.request("POST", "/v1/completions", body, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    arrivals = []  # (when, how many chunks) as the bytes arrive
    while data := resp.read1(65536):
        arrivals.append((time.monotonic(), data.count(b"data: {")))
    conn.close()
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(arrivals)]
    assert sum(count for _, count in arrivals) == 16
    assert sum(1 for gap in gaps if gap > 0.1) == pauses


def test_client_disconnect_is_counted(relay: FakeRelay) -> None:
    relay.options["token_delay"] = 0.02
    resp = post(relay, {**PAYLOAD, "max_tokens": 200}, stream=True)
    next(resp.iter_content(1))
    resp.close()
    assert relay.wait_for(lambda: relay.disconnects == 1)


def test_a_team_of_streams_arriving_together_all_get_their_text(relay: FakeRelay) -> None:
    # A listen queue of 5 (socketserver's default) reset most of these: a bench page then
    # waited for a stream that never started.
    relay.options.update(text="one two three", token_delay=0.02)
    together = threading.Barrier(60)
    texts: list[str] = []

    def stream() -> None:
        together.wait()
        texts.append(texts_by_index(stream_docs(post(relay, PAYLOAD).content)).get(0, ""))

    threads = [threading.Thread(target=stream) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert texts == ["one two three"] * 60


def test_standalone_server() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.fake_relay", "--port", "0", "--scenario", "crlf"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+/v1)", line)
        assert match, line
        base = match.group(1)
        body = requests.post(f"{base}/completions", json=PAYLOAD, timeout=10).content
        assert b"\r\n\r\n" in body
        root = base.removesuffix("/v1")
        requests.post(f"{root}/_control", json={"scenario": "http_500"}, timeout=10)
        assert requests.get(f"{base}/models", timeout=10).status_code == 500
        received = requests.get(f"{root}/_received", timeout=10).json()
        assert [r["path"] for r in received] == ["/v1/completions", "/v1/models"]
    finally:
        proc.terminate()
        proc.wait(timeout=10)
