"""Connections: a second request to an endpoint reuses the first one's, and runs stay apart.

The relay's `keep_alive` option keeps a connection open after an answer and records each
request's client port: two requests with the same port came over one TCP connection.
"""

from __future__ import annotations

import threading
import time

import pytest

from lib.client import ApiError, Endpoint, accumulate, create_completion, list_models
from lib.client import stream_completion as stream
from lib.client.cancel import Canceller
from tests.support.fake_relay import FakeRelay

PAYLOAD = {"model": "fake-instruct", "prompt": "Say this is a test", "max_tokens": 8}
STREAMED = {**PAYLOAD, "stream": True}


@pytest.fixture
def kept(relay: FakeRelay) -> FakeRelay:
    relay.options["keep_alive"] = True
    return relay


def _endpoint(relay: FakeRelay, name: str) -> Endpoint:
    # Connections are pooled for the whole process: a key of its own gives each test fresh ones.
    return Endpoint(relay.base_url, api_key=f"sk-{name}-0123456789abcdef")


def _ports(relay: FakeRelay) -> list[int]:
    return [request["client_port"] for request in relay.received]


def _text(chunks: list[dict]) -> str:
    return accumulate(chunks)["choices"][0]["text"]


def test_a_second_request_reuses_the_connection(kept: FakeRelay) -> None:
    endpoint = _endpoint(kept, "reuse")
    assert list_models(endpoint)
    create_completion(endpoint, PAYLOAD)
    texts = [_text(list(stream(endpoint, STREAMED))) for _ in range(2)]
    create_completion(endpoint, PAYLOAD)
    assert texts == [kept.expected_text(STREAMED)] * 2
    ports = _ports(kept)
    assert len(ports) == 5 and len(set(ports)) == 1, ports


def test_each_key_gets_connections_of_its_own(kept: FakeRelay) -> None:
    ann, bob = _endpoint(kept, "ann"), _endpoint(kept, "bob")
    for endpoint in (ann, bob, ann, bob):
        list_models(endpoint)
    auth = [request["headers"]["authorization"] for request in kept.received]
    assert auth == [f"Bearer {e.api_key}" for e in (ann, bob, ann, bob)]
    ports = _ports(kept)
    assert ports[0] == ports[2] and ports[1] == ports[3] and ports[0] != ports[1]


def test_a_pooled_connection_keeps_no_cookie(kept: FakeRelay) -> None:
    # A cookie set in one person's answer must never travel with anyone's next request.
    kept.options["set_cookie"] = "relay_session=ann-only; Path=/"
    endpoint = _endpoint(kept, "cookie")
    list_models(endpoint)
    create_completion(endpoint, PAYLOAD)
    assert [("cookie" in request["headers"]) for request in kept.received] == [False, False]
    assert len(set(_ports(kept))) == 1


def test_a_late_cancel_of_a_finished_run_leaves_the_next_run_alone(kept: FakeRelay) -> None:
    """Stop (or the watchdog) reaching a run that is over must not cut the connection the
    next run now uses."""
    endpoint = _endpoint(kept, "late")
    first = Canceller()
    assert _text(list(stream(endpoint, STREAMED, canceller=first))) == kept.expected_text(STREAMED)
    kept.options["token_delay"] = 0.05
    second = Canceller()
    chunks = stream(endpoint, STREAMED, canceller=second)
    got = [next(chunks)]
    first.cancel()
    got += list(chunks)
    assert _text(got) == kept.expected_text(STREAMED)
    assert len(set(_ports(kept))) == 1  # the second run had the first one's connection


def test_cancelling_one_run_leaves_a_concurrent_run_alone(kept: FakeRelay) -> None:
    kept.options["token_delay"] = 0.05
    endpoint = _endpoint(kept, "both")
    payload = {**STREAMED, "max_tokens": 20}
    cancellers = {"stopped": Canceller(), "kept": Canceller()}
    results: dict[str, object] = {}
    started = threading.Barrier(3)

    def run(name: str) -> None:
        chunks = stream(endpoint, payload, canceller=cancellers[name])
        got = [next(chunks)]
        started.wait(5)
        try:
            got += list(chunks)
            results[name] = _text(got)
        except ApiError as err:
            results[name] = err

    threads = [threading.Thread(target=run, args=(name,)) for name in cancellers]
    for thread in threads:
        thread.start()
    started.wait(5)
    cancellers["stopped"].cancel()
    for thread in threads:
        thread.join(10)
    assert results["kept"] == kept.expected_text(payload)
    assert isinstance(results["stopped"], ApiError)
    assert len(set(_ports(kept))) == 2


@pytest.mark.parametrize("reused", [False, True], ids=["new connection", "reused connection"])
def test_cancel_before_the_response_has_begun(kept: FakeRelay, reused: bool) -> None:
    endpoint = _endpoint(kept, f"early-{reused}")
    if reused:
        list_models(endpoint)  # leaves an idle connection the hanging request picks up
    kept.scenario = "hang_before_headers"
    canceller = Canceller()
    threading.Timer(0.3, canceller.cancel).start()
    began = time.monotonic()
    with pytest.raises(ApiError):
        list(stream(endpoint, STREAMED, canceller=canceller))
    assert time.monotonic() - began < 10  # the relay would hang for 30 s
    assert kept.wait_for(lambda: kept.disconnects == 1)
    ports = _ports(kept)
    assert len(set(ports)) == 1 and len(ports) == (2 if reused else 1)
    kept.scenario = "normal"  # and the endpoint still works: the cut connection is not reused
    assert _text(list(stream(endpoint, STREAMED))) == kept.expected_text(STREAMED)
