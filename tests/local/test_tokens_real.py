"""Tokens against the real local model (llama-cpp-python's server, started by the app's code)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import lib.local
import lib.ui.playground.connection as connection_ui
from lib.client import Endpoint, create_completion
from lib.local import MODEL_ALIAS, LocalServer
from lib.local.server import CONTEXT
from lib.request.fields import DEFAULTS
from lib.request.form import build_body
from lib.run.model import Run
from lib.run.worker import RequestWorker
from lib.tokens import LLAMA_CPP_PYTHON, Counter, detect, root_url
from tests.support.app import APP, plain, prompt_box
from tests.support.local import NEEDS_LOCAL_MODEL
from tests.support.waiting import wait_until

pytestmark = NEEDS_LOCAL_MODEL
TEXT = "The capital of France is Paris. 巴黎是法国的首都。"


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LocalServer]:
    log = Path(tmp_path_factory.mktemp("local")) / "server.log"
    local = LocalServer(log=log)
    local.ensure_started()
    wait_until(local.ready, 240, "the local model did not answer /v1/models")
    yield local
    local.stop()


@pytest.fixture(scope="module")
def counter(server) -> Counter:
    endpoint = Endpoint(server.base_url)
    return Counter(endpoint, MODEL_ALIAS, detect(endpoint, MODEL_ALIAS))


def extras_tokenize(server: LocalServer, text: str) -> list[int]:
    request = urllib.request.Request(
        f"{root_url(server.base_url)}/extras/tokenize",
        data=json.dumps({"input": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)["tokens"]


def test_the_local_server_is_detected_and_counts_like_extras_tokenize(server, counter):
    assert counter.info.kind == LLAMA_CPP_PYTHON
    counted = counter.count(TEXT)
    assert counted.exact and counted.tokens == len(extras_tokenize(server, TEXT))


@pytest.fixture
def page(server, monkeypatch) -> AppTest:
    """The playground with nothing configured (the local model), its server this real one."""
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "LOCK_BASE_URL", "ALLOW_LOCAL_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(lib.local, "installed", lambda: True)
    monkeypatch.setattr(connection_ui, "local_server", lambda: server)
    monkeypatch.setattr(connection_ui, "ensure_ready", lambda: True)
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert at.radio(key="connection_kind").value == "local"
    return at


def test_the_page_shows_the_servers_count_and_warns_over_the_context(server, page):
    prompt_box(page).set_value(TEXT).run()
    count = len(extras_tokenize(server, TEXT))
    line = next(plain(c.value) for c in page.caption if plain(c.value).startswith("Prompt:"))
    assert (
        line == f"Prompt: {count} tokens · context {count + 256} / {CONTEXT} (prompt + max_tokens)"
    )
    assert not page.warning
    long = "hello " * 1900
    prompt_box(page).set_value(long).run()
    used = len(extras_tokenize(server, long)) + 256
    warning = " ".join(plain(w.value) for w in page.warning)
    assert f"is {used} tokens, more than this model's context of {CONTEXT}" in warning


def test_counted_completion_tokens_equal_the_tokenizers_count(server, counter):
    body = {"model": MODEL_ALIAS, "prompt": "Write a list of fruits:", "max_tokens": 24,
            "temperature": 0, "seed": 1, "stream": True}  # fmt: skip
    run = Run(request=body, base_url=server.base_url)
    worker = RequestWorker(Endpoint(server.base_url), body, run, counter=counter).start()
    assert worker.done.wait(120)
    assert run.usage is None  # llama-cpp-python streams never carry usage
    stats = run.stats()
    text = run.text(0)
    overhead = len(extras_tokenize(server, ""))  # the BOS any text gets
    assert stats["tokens_counted_from"] == "tokenizer"
    assert stats["completion_tokens"] == len(extras_tokenize(server, text)) - overhead
    assert stats["prompt_tokens"] == len(extras_tokenize(server, body["prompt"]))


def _sampled(server: LocalServer, **fields) -> str:
    """One completion of a body the form builds for the local server (what the page sends)."""
    values = {**DEFAULTS, "model": MODEL_ALIAS, "prompt": "My favourite animal is the",
              "max_tokens": 12, "temperature": 1.0, "stream": False, **fields}  # fmt: skip
    body, problems = build_body(values, None, LLAMA_CPP_PYTHON)
    assert problems == []
    return create_completion(Endpoint(server.base_url), body)["choices"][0]["text"]


def test_top_k_1_gives_the_same_text_twice_at_temperature_1(server):
    # Without it the samples differ from seed to seed.
    assert len({_sampled(server, seed=seed) for seed in (1, 2, 3, 4)}) > 1
    # The first request of a prompt is evaluated afresh, later ones reuse the server's prompt
    # cache, and the two can differ in the last digits of near-tied logits: warm it first.
    _sampled(server, top_k=1, seed=5)
    first = _sampled(server, top_k=1, seed=6)
    assert first.strip() and _sampled(server, top_k=1, seed=7) == first


def test_a_gbnf_grammar_constrains_the_output(server):
    for _ in range(2):
        text = _sampled(server, prompt="Is the sky green?", grammar='root ::= "yes" | "no"')
        assert text in ("yes", "no"), text
