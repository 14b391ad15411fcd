"""Which tokenizer a server has, found by asking it once, and how to count with it.

    llama.cpp's llama-server   GET /props (n_ctx), POST /tokenize {"content": text}
    llama-cpp-python           POST /extras/tokenize {"input": text}
    vLLM                       POST /tokenize {"model", "prompt"} (answers max_model_len)

All of them live at the server's root, not under /v1. A server that answers none has no
tokenizer the app can use (a relay, OpenAI): the caller falls back to tiktoken or an estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.client import ApiError, Endpoint
from lib.client.http import call_json
from lib.config.text import is_plain_int

LLAMA_CPP = "llama.cpp"
LLAMA_CPP_PYTHON = "llama-cpp-python"
VLLM = "vllm"
# Servers whose samplers are llama.cpp's (top_k, min_p, repeat_penalty, mirostat, grammar).
LLAMA_FAMILY = (LLAMA_CPP, LLAMA_CPP_PYTHON)
# A probe must not keep the page waiting on a server that never answers.
PROBE_CONNECT_S, PROBE_READ_S = 2.0, 5.0
_PROBE_TEXT = "a"


@dataclass(frozen=True)
class ServerInfo:
    """What a connection answered to the probes: its kind (None: no tokenizer), its context."""

    kind: str | None = None
    context: int | None = None
    # Tokens the tokenizer adds to any text (a BOS token): not part of a completion's count.
    overhead: int = 0


def root_url(base_url: str) -> str:
    """The server's root: the base URL without its trailing /v1."""
    url = base_url.strip().rstrip("/")
    return url[: -len("/v1")] if url.endswith("/v1") else url


def root_endpoint(endpoint: Endpoint) -> Endpoint:
    """`endpoint` at the server's root, with the probes' short timeouts."""
    return Endpoint(
        root_url(endpoint.base_url), endpoint.api_key, PROBE_CONNECT_S, PROBE_READ_S,
        endpoint.headers, max_response_bytes=4 * 1024 * 1024,
    )  # fmt: skip


def _tokens(answer: Any) -> list | None:
    tokens = answer.get("tokens") if isinstance(answer, dict) else None
    return tokens if isinstance(tokens, list) else None


def _count(value: Any) -> int | None:
    return value if is_plain_int(value) and value > 0 else None


def _props_context(props: Any) -> int | None:
    if not isinstance(props, dict):
        return None
    settings = props.get("default_generation_settings")
    inner = settings.get("n_ctx") if isinstance(settings, dict) else None
    return _count(inner) or _count(props.get("n_ctx"))


def _ask(root: Endpoint, method: str, path: str, body: Any = None) -> Any:
    try:
        return call_json(root, method, path, body)
    except ApiError:
        return None


def tokenize(endpoint: Endpoint, kind: str, model: str, text: str) -> list | None:
    """The token ids the server of `kind` makes of `text`; None when it did not answer."""
    root = root_endpoint(endpoint)
    if kind == LLAMA_CPP_PYTHON:
        return _tokens(_ask(root, "POST", "extras/tokenize", {"model": model, "input": text}))
    if kind == LLAMA_CPP:
        # What the server adds itself (BOS) when it completes: counted like the prompt it gets.
        body = {"content": text, "add_special": True}
        return _tokens(_ask(root, "POST", "tokenize", body))
    if kind == VLLM:
        return _tokens(_ask(root, "POST", "tokenize", {"model": model, "prompt": text}))
    return None


def detect(endpoint: Endpoint, model: str) -> ServerInfo:
    """Ask the server which tokenizer it has (a few small requests, once per connection)."""
    root = root_endpoint(endpoint)
    props = _ask(root, "GET", "props")
    if _props_context(props) is not None:
        return _with_overhead(endpoint, ServerInfo(LLAMA_CPP, _props_context(props)), model)
    if _tokens(_ask(root, "POST", "extras/tokenize", {"model": model, "input": _PROBE_TEXT})):
        return _with_overhead(endpoint, ServerInfo(LLAMA_CPP_PYTHON), model)
    answer = _ask(root, "POST", "tokenize", {"model": model, "prompt": _PROBE_TEXT})
    if _tokens(answer):
        info = ServerInfo(VLLM, _count(answer.get("max_model_len")))
        return _with_overhead(endpoint, info, model)
    return ServerInfo()


def _with_overhead(endpoint: Endpoint, info: ServerInfo, model: str) -> ServerInfo:
    empty = tokenize(endpoint, info.kind, model, "")
    return ServerInfo(info.kind, info.context, len(empty) if empty else 0)
