"""The real local model, started by the app's own code (lib.local.LocalServer), kept warm.

Skipped when requirements-local.txt is not installed; CI (.ci/run) installs it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.client import ApiError, Endpoint, accumulate, create_completion, stream_completion
from lib.local import MODEL_ALIAS, LocalServer
from tests.support.local import NEEDS_LOCAL_MODEL
from tests.support.waiting import wait_until

pytestmark = NEEDS_LOCAL_MODEL


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LocalServer]:
    """One server for the module: loading the model once keeps the suite within minutes."""
    log = Path(tmp_path_factory.mktemp("local")) / "server.log"
    local = LocalServer(log=log)
    local.ensure_started()

    def ready() -> bool:
        assert local.alive(), log.read_text(errors="replace")[-2000:]
        return local.ready()

    wait_until(ready, 240, "the local model did not answer /v1/models")
    yield local
    local.stop()
    assert not local.alive()


@pytest.fixture
def endpoint(server) -> Endpoint:
    return Endpoint(server.base_url, None)


def body(**fields) -> dict:
    return {"model": MODEL_ALIAS, "prompt": "The capital of France is", "max_tokens": 16,
            "temperature": 0, "seed": 1, **fields}  # fmt: skip


def test_it_listens_on_loopback_only(server):
    assert server.base_url.startswith("http://127.0.0.1:")


def test_streamed_text_equals_the_whole_answer_at_temperature_zero(endpoint):
    whole = create_completion(endpoint, body())
    chunks = list(stream_completion(endpoint, body(stream=True)))
    streamed = accumulate(chunks)
    assert whole["choices"][0]["text"].strip()
    assert streamed["choices"][0]["text"] == whole["choices"][0]["text"]
    assert len(chunks) > 2  # it really streamed


def test_logprobs_arrive_per_token(endpoint):
    answer = create_completion(endpoint, body(logprobs=2, max_tokens=5))
    logprobs = answer["choices"][0]["logprobs"]
    assert len(logprobs["tokens"]) == len(logprobs["token_logprobs"]) >= 1
    assert all(p <= 0 for p in logprobs["token_logprobs"] if p is not None)
    assert all(len(top) >= 1 for top in logprobs["top_logprobs"] if top)


def test_stop_sequences_and_echo_work(endpoint):
    echoed = create_completion(endpoint, body(echo=True, max_tokens=4))
    assert echoed["choices"][0]["text"].startswith("The capital of France is")
    stopped = create_completion(endpoint, body(prompt="1, 2, 3, 4,", stop=[","], max_tokens=8))
    assert "," not in stopped["choices"][0]["text"]


def _client_connections(port: int) -> int:
    """Established TCP connections to `port` seen from the client side (/proc/net/tcp)."""
    count = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        remote_port = int(fields[2].split(":")[1], 16)
        if remote_port == port and fields[3] == "01":
            count += 1
    return count


def test_stop_closes_the_connection(endpoint, server):
    stream = stream_completion(endpoint, body(stream=True, max_tokens=400, prompt="Once upon"))
    next(stream)
    next(stream)
    assert _client_connections(server.port) == 1
    stream.close()  # what Stop does
    wait_until(
        lambda: not _client_connections(server.port), 10, "the connection stayed open after Stop"
    )
    # The server is free for the next request at once.
    assert create_completion(endpoint, body(max_tokens=2))["choices"]


def test_a_context_overflow_is_a_readable_error(endpoint):
    with pytest.raises(ApiError) as caught:
        create_completion(endpoint, body(prompt="hello " * 3000))
    err = caught.value
    assert err.status == 400
    assert "context" in err.message.lower()


def test_tokens_per_second(endpoint, capsys):
    started = time.monotonic()
    answer = create_completion(endpoint, body(max_tokens=64, prompt="Write a story:"))
    tokens = answer["usage"]["completion_tokens"]
    with capsys.disabled():
        print(f"\nlocal model: {tokens / (time.monotonic() - started):.0f} tokens/s")
    assert tokens > 0


def test_a_server_that_died_is_started_again(server):
    # Last in the module: it replaces the process the other tests share.
    server._process.kill()
    server._process.wait(10)
    assert not server.alive()
    assert server.ensure_started() is True
    wait_until(server.ready, 120, "the restarted server never answered")
    body = {"model": MODEL_ALIAS, "prompt": "Hello", "max_tokens": 4, "temperature": 0}
    assert create_completion(Endpoint(server.base_url), body)["choices"][0]["text"]
