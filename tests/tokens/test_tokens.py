"""Token counts, context and speeds: pure logic, and the probes against the fake relay's shapes."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from lib.client import Endpoint, create_completion, stream_completion
from lib.client.chunks import accumulate
from lib.tokens import (
    ESTIMATE,
    LLAMA_CPP,
    LLAMA_CPP_PYTHON,
    VLLM,
    Counter,
    ServerInfo,
    completion_tokens,
    detect,
    estimate,
    openai_ids,
    root_url,
    server_timings,
)
from tests.support.fake_relay.generator import fake_tokens

TEXT = "Once upon a time, there was a fox."


def test_root_url_drops_v1():
    assert root_url("http://127.0.0.1:8080/v1/") == "http://127.0.0.1:8080"
    assert root_url("http://h/api") == "http://h/api"


def test_estimate_counts_ascii_by_four_and_other_characters_one_each():
    assert estimate("abcdefgh") == 2
    assert estimate("你好") == 2
    assert estimate("") == 0


def test_openai_ids_have_an_encoding_and_a_context():
    assert openai_ids.encoding_name("gpt-3.5-turbo-instruct-0914") == "cl100k_base"
    assert openai_ids.context_length("openai/davinci-002") == 16384
    assert openai_ids.context_length("gpt-4o") is None  # o200k: not shipped
    assert openai_ids.encoding_name("llama-3") is None


@pytest.mark.parametrize(
    ("shape", "kind", "context"),
    [
        ("llama-cpp-python", LLAMA_CPP_PYTHON, None),
        ("llama.cpp", LLAMA_CPP, 4096),
        ("vllm", VLLM, 4096),
        (None, None, None),
    ],
)
def test_detect_each_server_shape(relay, shape, kind, context):
    relay.options.update({"server_shape": shape, "n_ctx": 4096})
    info = detect(Endpoint(relay.base_url), "fake-instruct")
    assert (info.kind, info.context) == (kind, context)
    paths = [r["path"] for r in relay.probes]
    assert paths and all(not p.startswith("/v1") for p in paths)  # probes go to the root
    assert relay.received == []


@pytest.mark.parametrize("shape", ["llama-cpp-python", "llama.cpp", "vllm"])
def test_the_count_is_the_servers(relay, shape):
    relay.options["server_shape"] = shape
    endpoint = Endpoint(relay.base_url)
    counter = Counter(endpoint, "fake-instruct", detect(endpoint, "fake-instruct"))
    counted = counter.count(TEXT)
    assert counted.tokens == len(fake_tokens(TEXT))  # with the BOS the server adds
    assert counted.source == "server" and counted.exact
    # A completion's count leaves out the BOS that any text gets.
    assert counter.count_generated(TEXT).tokens == len(fake_tokens(TEXT, bos=False))
    assert relay.probes[-1]["path"] in ("/extras/tokenize", "/tokenize")
    assert TEXT in str(relay.probes[-1]["body"])


def test_no_tokenizer_and_an_unknown_model_gives_an_estimate(relay):
    endpoint = Endpoint(relay.base_url)
    counter = Counter(endpoint, "fake-instruct", detect(endpoint, "fake-instruct"))
    counted = counter.count(TEXT)
    assert (counted.tokens, counted.source, counted.exact) == (estimate(TEXT), ESTIMATE, False)
    assert counter.context() is None
    assert counter.context(1000) == 1000


def test_an_openai_id_is_counted_with_tiktoken(relay):
    counter = Counter(Endpoint(relay.base_url), "gpt-3.5-turbo-instruct", ServerInfo())
    counted = counter.count("Hello world")
    assert (counted.tokens, counted.source, counted.detail) == (2, "tiktoken", "cl100k_base")
    assert counter.context() == 4096


def test_a_page_does_not_wait_for_the_tokenizer_to_load(relay, monkeypatch):
    """Unloaded (as in a server's first second), a count that may not wait is an estimate
    marked pending, and nothing starts loading; once loaded in the background it is exact."""
    from lib.tokens import openai_ids

    monkeypatch.setattr(openai_ids, "_encodings", {})
    monkeypatch.setattr(openai_ids, "_loaders", {})
    counter = Counter(Endpoint(relay.base_url), "gpt-3.5-turbo-instruct", ServerInfo())
    counted = counter.count("Hello world", wait=False)
    assert (counted.source, counted.pending, counted.exact) == (ESTIMATE, True, False)
    assert openai_ids._loaders == {}  # a page's first count starts nothing
    openai_ids.load_in_background("gpt-3.5-turbo-instruct")
    openai_ids._loaders["cl100k_base"].join(60)
    counted = counter.count("Hello world", wait=False)
    assert (counted.tokens, counted.source, counted.pending) == (2, "tiktoken", False)
    # A run's own counting (its worker thread) waits instead.
    monkeypatch.setattr(openai_ids, "_encodings", {})
    monkeypatch.setattr(openai_ids, "_loaders", {})
    assert counter.count("Hello world").tokens == 2


def test_tiktoken_counts_with_the_network_off(tmp_path):
    """In a fresh process whose sockets all fail, with an empty tiktoken cache."""
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network is off")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        socket.getaddrinfo = refuse
        from lib.tokens import openai_ids
        print(openai_ids.count("gpt-3.5-turbo-instruct", "tiktoken is great!"))
        """
    )
    env = {"TIKTOKEN_CACHE_DIR": str(tmp_path), "HTTPS_PROXY": "http://127.0.0.1:9", "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "6"


def test_completion_tokens_from_usage_logprobs_or_the_tokenizer():
    response = {"choices": [{"text": "a b", "logprobs": {"tokens": ["a", " b"]}}]}
    assert completion_tokens(response, {"completion_tokens": 7}) == (7, "usage")
    assert completion_tokens(response, None) == (2, "logprobs")
    plain = {"choices": [{"text": "a b c"}, {"text": "d"}]}
    assert completion_tokens(plain, None, lambda t: len(t.split())) == (4, "tokenizer")
    assert completion_tokens(plain, None) == (None, "chunks")
    assert completion_tokens(plain, None, lambda t: None) == (None, "chunks")


def test_llama_cpp_timings_give_prompt_and_generation_speed(relay):
    relay.options["server_shape"] = "llama.cpp"
    endpoint = Endpoint(relay.base_url)
    body = {"model": "fake-instruct", "prompt": TEXT, "max_tokens": 5}
    whole = server_timings(create_completion(endpoint, body))
    streamed = server_timings(accumulate(stream_completion(endpoint, {**body, "stream": True})))
    assert whole == streamed
    assert (whole["prompt_per_s"], whole["generation_per_s"], whole["predicted_n"]) == (
        500.0,
        50.0,
        5,
    )
    assert server_timings({"timings": {"prompt_per_second": "fast"}}) is None


def test_llama_cpp_python_streams_carry_no_usage(relay):
    relay.options["server_shape"] = "llama-cpp-python"
    body = {"model": "fake-instruct", "prompt": TEXT, "max_tokens": 5, "stream": True,
            "stream_options": {"include_usage": True}}  # fmt: skip
    response = accumulate(stream_completion(Endpoint(relay.base_url), body))
    assert "usage" not in response
