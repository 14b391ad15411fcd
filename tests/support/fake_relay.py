"""A fake OpenAI-compatible completions relay — TEST INFRASTRUCTURE, not part of the app.

A real HTTP server on 127.0.0.1 (stdlib only) that answers ``GET /v1/models`` and
``POST /v1/completions`` deterministically, and can misbehave on purpose ("scenarios") the way
real relays, gateways and local servers do: odd SSE framing, error objects mid-stream, dropped
connections, HTML error pages, hangs.  The client is tested against real bytes on a real socket.

In-process::

    with FakeRelay() as relay:           # port 0 -> a free port, daemon thread
        relay.scenario = "crlf"          # or per request: {"model": "scenario/http_500"}
        relay.options["token_delay"] = 0.05
        ...                              # point the client at relay.base_url
        relay.received[-1]["headers"]    # what the server saw (lowercased header names)

Standalone (browser tests start the app against it)::

    python -m tests.support.fake_relay --port 8765 [--scenario NAME] [--token-delay 0.05]
                               [--option KEY=JSON ...] [--require-key sk-...]

Out-of-process control: ``POST /_control`` with ``{"scenario": ..., "options": {...},
"reset": bool}`` (options are merged; a ``null`` value removes an option), ``GET /_control``
returns the state, ``GET /_received`` returns what was received (without raw bytes).

The expected output of any request can be computed without a server: ``generate(payload,
options, scenario)``, ``expected_text(...)``, ``expected_pieces(...)``; ``FakeRelay`` has the same
helpers bound to its current scenario and options.

Options (``relay.options``): ``token_delay`` (s between stream frames), ``response_delay`` (s
before answering), ``text`` (exact completion text, ignores max_tokens and stop), ``natural_length``
(tokens before the model "ends", finish_reason "stop"), ``max_choices`` (cap on returned choices),
``require_key``, ``keepalive_interval`` / ``keepalive_total``, ``drop_after``, ``drop_mode``
("fin" or "rst"), ``error_after``, ``hang_seconds``, ``echo_key`` (the 401 of ``require_key``
quotes the rejected key verbatim, as some relays do), ``usage_delay`` (s between the last text
and the usage-only chunk), ``linger_seconds`` (keep-alives after the last frame), ``usage``
(values that replace the counted usage), ``endless`` (a stream that never ends), ``padding``
(characters added to a non-streamed body).  The model ``fake-slow`` streams with a default
``token_delay`` of 0.25 s.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# Word list of the deterministic "model".  Choice k starts at offset k so choices differ; the
# trailing "\n" makes the seed example's `"stop": "\n"` meaningful for choices that reach it.
WORDS: tuple[str, ...] = (
    " Hello",
    " world",
    ",",
    " this",
    " is",
    " a",
    " test",
    ".",
    " The",
    " quick",
    " brown",
    " fox",
    " jumps",
    " over",
    " the",
    " lazy",
    " dog",
    "!",
    "\n",
)
DEFAULT_MAX_TOKENS = 16  # OpenAI's default for /v1/completions
TEXT_PIECE_CHARS = 3  # `text` option: characters per streamed token
MODELS: tuple[str, ...] = ("fake-instruct", "gpt-3.5-turbo-instruct", "fake-slow")
SLOW_MODEL = "fake-slow"
SLOW_MODEL_TOKEN_DELAY = 0.25
SCENARIO_PREFIX = "scenario/"

SPLIT_UTF8_TEXT = "你好,世界 — café 😀"
# U+2028/U+2029/U+0085 are written raw (ensure_ascii=False) and are line breaks for
# str.splitlines() but not for SSE; VT/FF/FS are escaped by JSON (control characters) yet are
# splitlines() breaks once decoded — a client must split on CR/LF only.
UNICODE_SEPARATORS_TEXT = "one\u2028two\u2029three\u0085four\u000bfive\u000csix\x1cseven"

# Written differently on the wire, same generated completion.
WIRE_SCENARIOS: frozenset[str] = frozenset(
    {
        "normal",
        "crlf",
        "cr",
        "no_space",
        "comments",
        "keepalive_slow",
        "multiline_data",
        "no_done",
        "double_done",
        "empty_choices",
        "no_text_key",
        "finish_separate",
        "split_utf8",
        "unicode_separators",
        "ignore_stream",
    }
)
# Stream-only misbehaviour: non-stream requests get a normal answer, except the hangs and
# sse_json_error (then a 200 application/json error body, as one-api/new-api relays send).
STREAM_FAILURE_SCENARIOS: frozenset[str] = frozenset(
    {
        "sse_json_error",
        "stream_error_object",
        "event_error",
        "drop_midstream",
        "hang",
        "hang_before_headers",
        "hang_midstream",
    }
)
# Failures for stream and non-stream alike; any `http_NNN` is accepted too.
FAILURE_SCENARIOS: frozenset[str] = frozenset(
    {
        "http_401",
        "http_404",
        "http_429",
        "http_500",
        "http_503",
        "http_502_html",
        "empty_body",
        "garbage",
        "newapi_error",
        "models_garbage",
    }
)
ALL_SCENARIOS: frozenset[str] = WIRE_SCENARIOS | STREAM_FAILURE_SCENARIOS | FAILURE_SCENARIOS
_HTTP_SCENARIO = re.compile(r"^http_([1-5][0-9][0-9])$")

RETRY_AFTER_SECONDS = 7
GARBAGE_BODY = b"this is not json or sse\n"
STREAM_ERROR_OBJECT: dict[str, Any] = {
    "error": {
        "message": "upstream overloaded",
        "type": "server_error",
        "param": None,
        "code": "overloaded",
    }
}
EVENT_ERROR_OBJECT: dict[str, Any] = {
    "error": {
        "message": "model crashed",
        "type": "server_error",
        "param": None,
        "code": "model_crashed",
    }
}
SSE_JSON_ERROR_OBJECT: dict[str, Any] = {
    "error": {
        "message": "streaming is not supported for this model",
        "type": "invalid_request_error",
        "param": "stream",
        "code": "unsupported_parameter",
    }
}
NEWAPI_ERROR_OBJECT: dict[str, Any] = {
    "error": {
        "message": "当前分组上游负载已饱和,请稍后再试 (request id: 2026112516xxxx)",
        "type": "new_api_error",
        "param": "",
        "code": "model_not_found",
    }
}


def is_known_scenario(name: str) -> bool:
    """True for a scenario name the relay understands."""
    return name in ALL_SCENARIOS or bool(_HTTP_SCENARIO.match(name))


def openai_error(
    message: str, type_: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def _mask_key(key: str) -> str:
    # OpenAI echoes a masked key in its 401 message; never echo the whole key.
    return f"{key[:3]}****{key[-4:]}" if len(key) > 10 else "sk-****"


def http_error(status: int, model: str = "fake-instruct") -> tuple[dict[str, Any], dict[str, str]]:
    """Error body and extra headers the `http_<status>` scenario answers with."""
    headers: dict[str, str] = {}
    if status == 401:
        body = openai_error(
            "Incorrect API key provided: sk-****. You can find your API key at "
            "https://platform.openai.com/account/api-keys.",
            "invalid_request_error",
            "invalid_api_key",
        )
    elif status == 403:
        body = openai_error(
            "You are not allowed to sample from this model", "invalid_request_error"
        )
    elif status == 404:
        body = openai_error(
            f"The model `{model}` does not exist", "invalid_request_error", "model_not_found"
        )
    elif status == 429:
        body = openai_error(
            f"Rate limit reached for {model} in organization org-fake on requests per min "
            "(RPM): Limit 3, Used 3, Requested 1. Please try again in 7s.",
            "rate_limit_error",
            "rate_limit_exceeded",
        )
        headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    elif status == 500:
        body = openai_error(
            "The server had an error while processing your request. Sorry about that!",
            "server_error",
        )
    elif status == 503:
        body = openai_error(
            "The engine is currently overloaded, please try again later", "server_error"
        )
    else:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
        body = openai_error(phrase, "server_error" if status >= 500 else "invalid_request_error")
    return body, headers


def cloudflare_502_html() -> bytes:
    """A large gateway error page like the ones Cloudflare puts in front of relays."""
    filler = "\n".join(
        f'    <div class="cf-row cf-row-{i}"><span class="cf-muted">Ray segment {i}</span></div>'
        for i in range(120)
    )
    page = f"""<!DOCTYPE html>
<!--[if lt IE 7]> <html class="no-js ie6 oldie" lang="en-US"> <![endif]-->
<html class="no-js" lang="en-US">
<head>
<title>api.example-relay.test | 502: Bad gateway</title>
<meta charset="UTF-8" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<style>body{{margin:0;padding:0}} .cf-row{{display:block}} .cf-muted{{color:#999}}</style>
</head>
<body>
<div id="cf-wrapper">
  <div id="cf-error-details" class="cf-error-details-wrapper">
    <h1><span class="cf-error-type">Bad gateway</span>
      <span class="cf-code-label">Error code 502</span></h1>
    <p>The web server reported a bad gateway error.</p>
{filler}
    <p>Cloudflare Ray ID: <strong>8f1e2d3c4b5a6978</strong> &bull; Your IP: 203.0.113.7</p>
  </div>
</div>
</body>
</html>
"""
    return page.encode("utf-8")


# --------------------------------------------------------------------------------------------
# Deterministic generation
# --------------------------------------------------------------------------------------------


@dataclass
class Piece:
    """One streamed unit of a choice: its text and the logprob entries of its tokens."""

    text: str
    tokens: list[str]
    token_logprobs: list[float | None]
    top_logprobs: list[dict[str, float] | None]
    text_offset: list[int]


@dataclass
class GeneratedChoice:
    """A choice as the fake model produces it (echoed prompt first, then completion)."""

    index: int
    pieces: list[Piece]
    finish_reason: str
    completion_tokens: int
    with_logprobs: bool

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)

    def logprobs(self) -> dict[str, list[Any]] | None:
        """The OpenAI `logprobs` object of the whole choice, or None when not requested."""
        if not self.with_logprobs:
            return None
        return {
            "tokens": [t for p in self.pieces for t in p.tokens],
            "token_logprobs": [x for p in self.pieces for x in p.token_logprobs],
            "top_logprobs": [x for p in self.pieces for x in p.top_logprobs],
            "text_offset": [x for p in self.pieces for x in p.text_offset],
        }

    def as_response_choice(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "index": self.index,
            "logprobs": self.logprobs(),
            "finish_reason": self.finish_reason,
        }


@dataclass
class Generation:
    """Everything a request produces, independent of how it is written on the wire."""

    model: str
    choices: list[GeneratedChoice]
    usage: dict[str, int]


class RequestError(ValueError):
    """The request body is invalid; carries the OpenAI-style 400 body."""

    def __init__(self, message: str, param: str | None = None) -> None:
        super().__init__(message)
        self.body = openai_error(message, "invalid_request_error", None, param)


def effective_options(
    scenario: str, options: dict[str, Any] | None, model: str | None = None
) -> dict[str, Any]:
    """Options with the scenario's and model's defaults filled in."""
    opts = dict(options or {})
    if scenario == "split_utf8":
        opts.setdefault("text", SPLIT_UTF8_TEXT)
    elif scenario == "unicode_separators":
        opts.setdefault("text", UNICODE_SEPARATORS_TEXT)
    if model == SLOW_MODEL:
        opts.setdefault("token_delay", SLOW_MODEL_TOKEN_DELAY)
    return opts


def _logprob(index: int, position: int) -> float:
    return -round(0.02 + ((position * 7 + index * 13) % 17) * 0.137, 4)


def _top_logprobs(index: int, position: int, token: str, k: int) -> dict[str, float]:
    # Up to k+1 entries (OpenAI): the sampled token is always present; on even positions it is
    # outside the top k (k alternatives + itself), on odd positions it is one of the top k.
    chosen = _logprob(index, position)
    wanted = k if position % 2 == 0 else max(k - 1, 0)
    alts: dict[str, float] = {}
    for j in range(1, 4 * len(WORDS)):
        if len(alts) >= wanted:
            break
        cand = WORDS[(index + position + j * 5) % len(WORDS)]
        if cand != token and cand not in alts:
            alts[cand] = -round(0.01 + 0.29 * j + (position % 3) * 0.05, 4)
    entries = {token: chosen, **alts}
    return dict(sorted(entries.items(), key=lambda kv: kv[1], reverse=True))


def _echo_tokens(prompt: str) -> list[str]:
    # Word plus its trailing whitespace (plus a leading-whitespace token); joins back to prompt.
    return re.findall(r"\S+\s*|\s+", prompt)


def _prompts(prompt: Any) -> list[tuple[str, int]]:
    """(text to echo, prompt token count) per prompt."""
    if prompt is None:
        return [("", 1)]  # the model starts a new document: one <|endoftext|> token
    if isinstance(prompt, str):
        return [(prompt, len(prompt.split()))]
    if isinstance(prompt, list):
        if not prompt:
            return [("", 0)]
        if all(isinstance(x, int) and not isinstance(x, bool) for x in prompt):
            return [("", len(prompt))]
        out: list[tuple[str, int]] = []
        for item in prompt:
            if isinstance(item, str):
                out.append((item, len(item.split())))
            elif isinstance(item, list) and all(isinstance(x, int) for x in item):
                out.append(("", len(item)))
            else:
                raise RequestError("Invalid prompt: expected string or token array", "prompt")
        return out
    raise RequestError("Invalid prompt: expected string or token array", "prompt")


def _stops(stop: Any) -> list[str]:
    if stop is None:
        return []
    if isinstance(stop, str):
        return [stop] if stop else []
    if isinstance(stop, list) and all(isinstance(s, str) for s in stop):
        if len(stop) > 4:
            raise RequestError("stop: at most 4 sequences", "stop")
        return [s for s in stop if s]
    raise RequestError("stop must be a string or a list of strings", "stop")


def _int_field(payload: dict[str, Any], name: str, default: int | None) -> int | None:
    value = payload.get(name)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool):
        raise RequestError(f"{name} must be an integer", name)
    return value


def _apply_stop(tokens: list[str], stops: list[str]) -> tuple[list[str], bool]:
    text = "".join(tokens)
    hits = [text.find(s) for s in stops if s in text]
    if not hits:
        return tokens, False
    cut = min(hits)
    out: list[str] = []
    used = 0
    for tok in tokens:
        if used + len(tok) <= cut:
            out.append(tok)
            used += len(tok)
            continue
        if cut - used > 0:
            out.append(tok[: cut - used])  # the token that contains the stop sequence, cut
        break
    return out, True


def _choice(
    index: int,
    echo_text: str,
    payload: dict[str, Any],
    opts: dict[str, Any],
    stops: list[str],
    max_tokens: int,
    k: int | None,
) -> GeneratedChoice:
    pieces: list[Piece] = []
    offset = 0  # offsets are into the returned text (API.md), so echo shifts them
    if payload.get("echo") and echo_text:
        toks = _echo_tokens(echo_text)
        lps: list[float | None] = [None] + [_logprob(index, 100 + i) for i in range(1, len(toks))]
        tops: list[dict[str, float] | None] = [None] + [
            _top_logprobs(index, 100 + i, t, k or 0) for i, t in enumerate(toks) if i
        ]
        offsets = []
        for t in toks:
            offsets.append(offset)
            offset += len(t)
        pieces.append(Piece(echo_text, toks, lps, tops, offsets))

    text_opt = opts.get("text")
    if text_opt is not None:
        text_opt = str(text_opt)
        completion = [
            text_opt[i : i + TEXT_PIECE_CHARS] for i in range(0, len(text_opt), TEXT_PIECE_CHARS)
        ]
        finish = "stop"
    else:
        natural = opts.get("natural_length")
        count = max_tokens if natural is None else min(max_tokens, int(natural))
        finish = "length" if natural is None or int(natural) > max_tokens else "stop"
        completion = [WORDS[(index + i) % len(WORDS)] for i in range(count)]
        completion, stopped = _apply_stop(completion, stops)
        if stopped:
            finish = "stop"

    for pos, tok in enumerate(completion):
        pieces.append(
            Piece(
                tok,
                [tok],
                [_logprob(index, pos)],
                [_top_logprobs(index, pos, tok, k or 0)],
                [offset],
            )
        )
        offset += len(tok)
    return GeneratedChoice(index, pieces, finish, len(completion), k is not None)


def generate(
    payload: dict[str, Any], options: dict[str, Any] | None = None, scenario: str = "normal"
) -> Generation:
    """What the fake model answers to `payload` (raises RequestError for invalid bodies)."""
    if not isinstance(payload, dict):
        raise RequestError("We could not parse the JSON body of your request.")
    model = payload.get("model")
    if not isinstance(model, str) or not model:
        raise RequestError("you must provide a model parameter", "model")
    opts = effective_options(scenario, options, model)
    max_tokens = _int_field(payload, "max_tokens", DEFAULT_MAX_TOKENS)
    n = _int_field(payload, "n", 1)
    k = _int_field(payload, "logprobs", None)
    assert max_tokens is not None and n is not None
    if max_tokens < 0:
        raise RequestError("max_tokens must be at least 0", "max_tokens")
    if not 1 <= n <= 128:
        raise RequestError("n must be between 1 and 128", "n")
    if k is not None and not 0 <= k <= 5:
        raise RequestError("This model's maximum value for logprobs is 5.", "logprobs")
    stops = _stops(payload.get("stop"))
    prompts = _prompts(payload.get("prompt"))

    choices: list[GeneratedChoice] = []
    for p, (echo_text, _) in enumerate(prompts):
        for j in range(n):
            choices.append(_choice(p * n + j, echo_text, payload, opts, stops, max_tokens, k))
    max_choices = opts.get("max_choices")
    if max_choices is not None:
        # Imitates servers (llama.cpp) that return fewer choices than `n`.
        choices = choices[: int(max_choices)]
    prompt_tokens = sum(count for _, count in prompts)
    completion_tokens = sum(c.completion_tokens for c in choices)
    usage = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    usage.update(opts.get("usage") or {})  # option `usage`: what a misbehaving server counts
    return Generation(model, choices, usage)


def expected_pieces(
    payload: dict[str, Any],
    index: int = 0,
    options: dict[str, Any] | None = None,
    scenario: str = "normal",
) -> list[str]:
    """Texts of the stream chunks of choice `index`, in order."""
    return [p.text for p in _choice_at(payload, index, options, scenario).pieces]


def expected_text(
    payload: dict[str, Any],
    index: int = 0,
    options: dict[str, Any] | None = None,
    scenario: str = "normal",
) -> str:
    """Full text of choice `index` (echo included)."""
    return _choice_at(payload, index, options, scenario).text


def expected_finish_reason(
    payload: dict[str, Any],
    index: int = 0,
    options: dict[str, Any] | None = None,
    scenario: str = "normal",
) -> str:
    """finish_reason of choice `index`."""
    return _choice_at(payload, index, options, scenario).finish_reason


def _choice_at(
    payload: dict[str, Any], index: int, options: dict[str, Any] | None, scenario: str
) -> GeneratedChoice:
    for choice in generate(payload, options, scenario).choices:
        if choice.index == index:
            return choice
    raise IndexError(f"no choice with index {index}")


def completion_body(gen: Generation, id_: str, created: int) -> dict[str, Any]:
    """The non-stream response body."""
    return {
        "id": id_,
        "object": "text_completion",
        "created": created,
        "model": gen.model,
        "choices": [c.as_response_choice() for c in gen.choices],
        "usage": dict(gen.usage),
    }


def stream_chunks(
    gen: Generation, id_: str, created: int, scenario: str, include_usage: bool
) -> list[dict[str, Any]]:
    """The JSON documents of a stream (without [DONE]), shaped for `scenario`."""

    def chunk(choices: list[dict[str, Any]]) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": id_,
            "object": "text_completion",
            "created": created,
            "model": gen.model,
            "choices": choices,
        }
        if include_usage:
            doc["usage"] = None  # OpenAI sends usage: null on every chunk but the last
        return doc

    out: list[dict[str, Any]] = []
    if scenario == "empty_choices":
        # Azure-style content-filter preamble: a chunk without choices.
        out.append(
            {
                "id": "",
                "object": "",
                "created": 0,
                "model": "",
                "choices": [],
                "prompt_filter_results": [
                    {"prompt_index": 0, "content_filter_results": {"hate": {"filtered": False}}}
                ],
            }
        )
    separate_finish = scenario in ("no_text_key", "finish_separate")
    longest = max((len(c.pieces) for c in gen.choices), default=0)
    # Interleave choices by position: choice 0 piece 0, choice 1 piece 0, ...
    for pos in range(longest):
        for c in gen.choices:
            if pos >= len(c.pieces):
                continue
            piece = c.pieces[pos]
            last = pos == len(c.pieces) - 1
            lp = (
                {
                    "tokens": piece.tokens,
                    "token_logprobs": piece.token_logprobs,
                    "top_logprobs": piece.top_logprobs,
                    "text_offset": piece.text_offset,
                }
                if c.with_logprobs
                else None
            )
            if separate_finish:
                finish: str | None = "" if scenario == "finish_separate" and pos % 2 else None
            else:
                finish = c.finish_reason if last else None
            choice: dict[str, Any] = {
                "text": piece.text,
                "index": c.index,
                "logprobs": lp,
                "finish_reason": finish,
            }
            if scenario == "no_text_key" and lp is None:
                del choice["logprobs"]
            out.append(chunk([choice]))
    for c in gen.choices:
        if scenario == "no_text_key":
            out.append(chunk([{"index": c.index, "finish_reason": c.finish_reason}]))
        elif scenario == "finish_separate" or not c.pieces:
            out.append(
                chunk(
                    [
                        {
                            "text": "",
                            "index": c.index,
                            "logprobs": None,
                            "finish_reason": c.finish_reason,
                        }
                    ]
                )
            )
    if include_usage or scenario == "empty_choices":
        final = chunk([])
        final["usage"] = dict(gen.usage)
        out.append(final)
    return out


def dumps(obj: Any, indent: int | None = None) -> str:
    """JSON as relays write it: raw UTF-8, not \\u escapes."""
    return json.dumps(obj, ensure_ascii=False, indent=indent)


def sse_frame(data: str, scenario: str, seq: int) -> bytes:
    """One SSE event carrying `data`, framed the way `scenario` writes it."""
    if scenario == "crlf":
        text = f"data: {data}\r\n\r\n"
    elif scenario == "cr":
        text = f"data: {data}\r\r"
    elif scenario == "no_space":
        text = f"data:{data}\n\n"
    elif scenario == "comments":
        retry = "retry: 3000\n" if seq == 0 else ""
        if data == "[DONE]":
            text = f": ping\n\n{retry}data: [DONE]\n\n"
        else:
            text = (
                f": ping\n\n{retry}event: completion\nid: {seq}\n: inline comment\ndata: {data}\n\n"
            )
    elif scenario == "multiline_data" and data != "[DONE]":
        # The SSE spec joins data lines with "\n", which is JSON whitespace; data strings never
        # contain a raw "\n" (JSON escapes it), so splitting on it is safe.
        pretty = dumps(json.loads(data), indent=1)
        text = "".join(f"data: {line}\n" for line in pretty.split("\n")) + "\n"
    else:
        text = f"data: {data}\n\n"
    return text.encode("utf-8")


def _utf8_split_points(data: bytes) -> list[bytes]:
    # Split right after every lead byte of a multibyte sequence so each character straddles
    # two socket writes.
    parts: list[bytes] = []
    start = 0
    for i in range(1, len(data)):
        if data[i - 1] >= 0xC0 and 0x80 <= data[i] <= 0xBF:
            parts.append(data[start:i])
            start = i
    parts.append(data[start:])
    return parts


# --------------------------------------------------------------------------------------------
# Server
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Hanging handlers must not make shutdown wait: stop() releases them, but never block on it.
    block_on_close = False
    allow_reuse_address = True
    relay: FakeRelay


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # needed for the chunked drop_midstream response
    server_version = "FakeRelay/1.0"
    disable_nagle_algorithm = True  # small writes (split UTF-8) leave as separate segments
    server: _Server

    # -- plumbing -----------------------------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        if not self.server.relay.quiet:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts)
        return b""

    def _write(self, data: bytes) -> bool:
        """Write to the client; False (and a counted disconnect) when the client is gone."""
        if self._gone:
            return False
        try:
            self.wfile.write(data)
            self.wfile.flush()
            return True
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self._gone = True
            self.server.relay._count_disconnect()
            return False

    def _start(self, status: int, headers: dict[str, str]) -> bool:
        phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else ""
        lines = [f"HTTP/1.1 {status} {phrase}"]
        lines.append(f"Server: {self.server_version}")
        lines.append(f"Date: {formatdate(usegmt=True)}")
        lines.extend(f"{k}: {v}" for k, v in headers.items())
        if "Connection" not in headers:
            lines.append("Connection: close")
        self.log_request(status)
        return self._write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def _send_bytes(
        self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
    ) -> None:
        headers = {"Content-Type": content_type, "Content-Length": str(len(body))}
        headers.update(extra or {})
        if self._start(status, headers) and body:
            self._write(body)

    def _send_json(self, status: int, obj: Any, extra: dict[str, str] | None = None) -> None:
        self._send_bytes(status, dumps(obj).encode("utf-8"), "application/json", extra)

    def _wait(self, seconds: float) -> bool:
        """Sleep unless the relay stops or resets; True when released early."""
        if seconds <= 0:
            return False
        return self._release.wait(seconds)

    # -- dispatch -----------------------------------------------------------------------------

    def _handle(self) -> None:
        self.close_connection = True  # one request per connection keeps handler threads short
        self._gone = False
        relay = self.server.relay
        self._release = relay._release
        raw = self._read_body()
        path = self.path.split("?", 1)[0]
        try:
            body = json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError):
            body = None
        if path.startswith("/_"):
            self._control(path, body)
            return
        relay._record(
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
                "raw": raw,
            }
        )
        scenario, opts = relay._snapshot()
        model = body.get("model") if isinstance(body, dict) else None
        if isinstance(model, str) and model.startswith(SCENARIO_PREFIX):
            scenario = model[len(SCENARIO_PREFIX) :]
        if not is_known_scenario(scenario):
            self._send_json(
                400,
                openai_error(f"fake_relay: unknown scenario {scenario!r}", "invalid_request_error"),
            )
            return
        opts = effective_options(scenario, opts, model if isinstance(model, str) else None)

        if self._wait(float(opts.get("response_delay") or 0)):
            return
        if not self._check_key(opts):
            return
        if path == "/v1/models" and self.command == "GET":
            self._models(scenario, opts)
        elif path == "/v1/completions" and self.command == "POST":
            self._completions(scenario, opts, raw, body)
        else:
            self._send_json(
                404,
                openai_error(f"Invalid URL ({self.command} {self.path})", "invalid_request_error"),
            )

    def _check_key(self, opts: dict[str, Any]) -> bool:
        key = opts.get("require_key")
        if not key:
            return True
        auth = self.headers.get("Authorization")
        if auth == f"Bearer {key}":
            return True
        if not auth:
            body = openai_error(
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                "invalid_request_error",
            )
        else:
            given = auth.removeprefix("Bearer ").strip()
            # Option echo_key: some relays put the rejected key verbatim in the message.
            shown = given if opts.get("echo_key") else _mask_key(given)
            body = openai_error(
                f"Incorrect API key provided: {shown}. You can find your API key "
                "at https://platform.openai.com/account/api-keys.",
                "invalid_request_error",
                "invalid_api_key",
            )
        self._send_json(401, body)
        return False

    def _common_failure(
        self, scenario: str, opts: dict[str, Any], model: str, stream: bool
    ) -> bool:
        """Answer the scenarios shared by every endpoint; False when none applies."""
        m = _HTTP_SCENARIO.match(scenario)
        if scenario == "http_502_html":
            self._send_bytes(502, cloudflare_502_html(), "text/html; charset=UTF-8")
        elif m:
            body, headers = http_error(int(m.group(1)), model)
            if opts.get("error_message"):
                # Option error_message: the server's own words, e.g. hostile markdown.
                body["error"]["message"] = str(opts["error_message"])
            self._send_json(int(m.group(1)), body, headers)
        elif scenario == "newapi_error":
            self._send_json(500, NEWAPI_ERROR_OBJECT, {"X-Oneapi-Request-Id": "2026112516xxxx"})
        elif scenario == "garbage":
            self._send_bytes(200, GARBAGE_BODY, "text/plain; charset=utf-8")
        elif scenario == "empty_body":
            if stream:
                # Close-delimited and empty: the stream ends before a single event.
                self._start(200, {"Content-Type": "text/event-stream; charset=utf-8"})
            else:
                self._send_bytes(200, b"", "application/json")
        elif scenario == "hang_before_headers" or (scenario == "hang" and not stream):
            self._wait(float(opts.get("hang_seconds", 30)))
        else:
            return False
        return True

    def _models(self, scenario: str, opts: dict[str, Any]) -> None:
        if self._common_failure(scenario, opts, "fake-instruct", stream=False):
            return
        if scenario == "models_garbage":
            self._send_bytes(200, b"<models>not json</models>", "text/plain")
            return
        created = 1_700_000_000
        self._send_json(
            200,
            {
                "object": "list",
                "data": [
                    {"id": mid, "object": "model", "created": created, "owned_by": "fake"}
                    for mid in MODELS
                ],
            },
        )

    def _completions(self, scenario: str, opts: dict[str, Any], raw: bytes, body: Any) -> None:
        stream = isinstance(body, dict) and body.get("stream") is True
        model = body.get("model") if isinstance(body, dict) else None
        if self._common_failure(scenario, opts, str(model or ""), stream):
            return
        if raw and body is None:
            self._send_json(
                400,
                openai_error(
                    "We could not parse the JSON body of your request.", "invalid_request_error"
                ),
            )
            return
        try:
            gen = generate(body, opts, scenario)
        except RequestError as exc:
            self._send_json(400, exc.body)
            return
        relay = self.server.relay
        id_ = relay._next_id()
        created = int(time.time())
        if scenario == "sse_json_error" and not stream:
            self._send_json(200, SSE_JSON_ERROR_OBJECT)
            return
        if not stream or scenario == "ignore_stream":
            answer = completion_body(gen, id_, created)
            if opts.get("padding"):  # option padding: a body this many characters larger
                answer["padding"] = "x" * int(opts["padding"])
            self._send_json(200, answer)
            return
        opt_usage = body.get("stream_options")
        include_usage = isinstance(opt_usage, dict) and opt_usage.get("include_usage") is True
        self._stream(gen, id_, created, scenario, opts, include_usage)

    # -- streaming ----------------------------------------------------------------------------

    def _stream(
        self,
        gen: Generation,
        id_: str,
        created: int,
        scenario: str,
        opts: dict[str, Any],
        include_usage: bool,
    ) -> None:
        headers = {
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-cache",
            "X-Request-Id": id_,
        }
        chunked = scenario == "drop_midstream"
        if chunked:
            # Chunked framing makes an early close a detectable truncation; a close-delimited
            # body that ends early would look exactly like `no_done`.
            headers["Transfer-Encoding"] = "chunked"
        if not self._start(200, headers):
            return

        if scenario == "sse_json_error":
            self._write(dumps(SSE_JSON_ERROR_OBJECT).encode("utf-8") + b"\n")
            return
        if scenario == "hang":
            self._wait(float(opts.get("hang_seconds", 30)))
            return
        if opts.get("endless"):
            self._stream_endless(id_, created, float(opts.get("token_delay") or 0), chunked)
            return

        docs = stream_chunks(gen, id_, created, scenario, include_usage)
        frames = [sse_frame(dumps(doc), scenario, i) for i, doc in enumerate(docs)]
        tail: list[bytes] = []
        after: str | None = None  # what happens once `frames` are written
        if scenario in ("stream_error_object", "event_error"):
            frames = frames[: int(opts.get("error_after", 3))]
            obj = STREAM_ERROR_OBJECT if scenario == "stream_error_object" else EVENT_ERROR_OBJECT
            prefix = "event: error\n" if scenario == "event_error" else ""
            tail = [f"{prefix}data: {dumps(obj)}\n\n".encode()]
        elif scenario in ("drop_midstream", "hang_midstream"):
            frames = frames[: int(opts.get("drop_after", 3))]
            after = "drop" if scenario == "drop_midstream" else "hang"
        elif scenario == "double_done":
            done = sse_frame("[DONE]", scenario, len(frames))
            bogus = {"choices": [{"index": 0, "text": "BOGUS AFTER DONE", "finish_reason": None}]}
            tail = [done, done, sse_frame(dumps(bogus), scenario, len(frames) + 1)]
        elif scenario != "no_done":
            tail = [sse_frame("[DONE]", scenario, len(frames))]

        delay = float(opts.get("token_delay") or 0)
        if scenario == "keepalive_slow":
            interval = float(opts.get("keepalive_interval", 0.2))
            deadline = time.monotonic() + float(opts.get("keepalive_total", 1.0))
            while time.monotonic() < deadline:
                if not self._emit(b": keep-alive\n\n", chunked) or self._wait(interval):
                    return
        # Option usage_delay: the usage-only chunk comes this long after the last text, with
        # keep-alives in between (a server that has finished every choice, then counts).
        usage_at = next(
            (i for i, d in enumerate(docs) if not d.get("choices") and d.get("usage")), None
        )
        for i, frame in enumerate(frames + tail):
            if i and self._wait(delay):
                return
            if i == usage_at and opts.get("usage_delay"):
                usage_until = time.monotonic() + float(opts["usage_delay"])
                while time.monotonic() < usage_until:
                    if not self._emit(b": keep-alive\n\n", chunked) or self._wait(0.2):
                        return
            if scenario == "split_utf8":
                for part in _utf8_split_points(frame):
                    if not self._emit(part, chunked) or self._wait(0.005):
                        return
            elif not self._emit(frame, chunked):
                return

        # Option linger_seconds: stay connected after the last frame, sending only keep-alive
        # comments (with `no_done`, a server that never says it is finished).
        linger_until = time.monotonic() + float(opts.get("linger_seconds") or 0)
        while time.monotonic() < linger_until:
            if not self._emit(b": keep-alive\n\n", chunked) or self._wait(0.2):
                return

        if after == "drop":
            if opts.get("drop_mode") == "rst":
                # SO_LINGER 0: close() sends RST instead of FIN, and discards unsent data, so let
                # the frames already written leave the send queue first.
                time.sleep(0.05)
                self.connection.setsockopt(
                    socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
                )
            # Return without the terminating 0-chunk; the server then closes the socket.
        elif after == "hang":
            self._wait(float(opts.get("hang_seconds", 30)))
        elif chunked:
            self._emit(b"", chunked)

    def _stream_endless(self, id_: str, created: int, delay: float, chunked: bool) -> None:
        """Option endless: text that never ends, until the client goes away."""
        while True:
            choice = {"index": 0, "text": "lorem ipsum ", "finish_reason": None}
            doc = {"id": id_, "object": "text_completion", "created": created, "choices": [choice]}
            if not self._emit(sse_frame(dumps(doc), "normal", 0), chunked):
                return
            if delay and self._wait(delay):
                return

    def _emit(self, data: bytes, chunked: bool) -> bool:
        if chunked:
            # b"" becomes the terminating "0\r\n\r\n" chunk.
            data = f"{len(data):x}\r\n".encode() + data + b"\r\n"
        return self._write(data)

    # -- control ------------------------------------------------------------------------------

    def _control(self, path: str, body: Any) -> None:
        relay = self.server.relay
        if path == "/_received" and self.command == "GET":
            self._send_json(200, relay.received_json())
        elif path == "/_control" and self.command == "GET":
            self._send_json(200, relay.state())
        elif path == "/_control" and self.command == "POST":
            if not isinstance(body, dict):
                self._send_json(400, openai_error("body must be a JSON object", "control"))
                return
            scenario = body.get("scenario")
            if scenario is not None and not is_known_scenario(str(scenario)):
                self._send_json(400, openai_error(f"unknown scenario {scenario!r}", "control"))
                return
            if body.get("reset"):
                relay.reset()
            with relay._lock:
                if scenario is not None:
                    relay.scenario = str(scenario)
                for key, value in (body.get("options") or {}).items():
                    if value is None:
                        relay.options.pop(key, None)
                    else:
                        relay.options[key] = value
            self._send_json(200, relay.state())
        else:
            self._send_json(
                404, openai_error(f"Invalid URL ({self.command} {self.path})", "control")
            )


class FakeRelay:
    """The fake relay server; see the module docstring."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: str = "normal",
        options: dict[str, Any] | None = None,
        quiet: bool = True,
    ) -> None:
        if not is_known_scenario(scenario):
            raise ValueError(f"unknown scenario {scenario!r}")
        self.host = host
        self.port = port
        self.quiet = quiet
        self._default_scenario = scenario
        self._default_options = dict(options or {})
        self.scenario = scenario
        self.options: dict[str, Any] = dict(self._default_options)
        self.received: list[dict[str, Any]] = []
        self.disconnects = 0
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._release = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FakeRelay:
        """Bind (port 0 picks a free port) and serve on a daemon thread."""
        self._release = threading.Event()
        self._server = _Server((self.host, self.port), _Handler)
        self._server.relay = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name=f"fake-relay-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers, stop serving and close the socket."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeRelay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Root URL, e.g. for /_control."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """The OpenAI-style base URL (ends in /v1)."""
        return f"{self.url}/v1"

    # -- state --------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget requests, restore the start-up scenario/options, release hanging handlers."""
        with self._lock:
            self.received.clear()
            self.scenario = self._default_scenario
            self.options = dict(self._default_options)
            self.disconnects = 0
            # Handlers still hanging from a previous test finish now instead of lingering.
            self._release.set()
            self._release = threading.Event()

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "scenario": self.scenario,
                "options": dict(self.options),
                "disconnects": self.disconnects,
                "received": len(self.received),
            }

    def received_json(self) -> list[dict[str, Any]]:
        """`received` without the raw bytes (JSON-serializable)."""
        with self._lock:
            return [{k: v for k, v in r.items() if k != "raw"} for r in self.received]

    @property
    def last(self) -> dict[str, Any]:
        """The most recent recorded request."""
        with self._lock:
            return self.received[-1]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Poll `predicate` until true or `timeout`; for effects that happen server-side."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    def _record(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self.received.append(entry)

    def _snapshot(self) -> tuple[str, dict[str, Any]]:
        with self._lock:
            return self.scenario, dict(self.options)

    def _count_disconnect(self) -> None:
        with self._lock:
            self.disconnects += 1

    def _next_id(self) -> str:
        with self._lock:
            return f"cmpl-fake-{next(self._ids)}"

    # -- expectations bound to the current scenario/options -----------------------------------

    def _scenario_for(self, payload: dict[str, Any]) -> str:
        model = payload.get("model")
        if isinstance(model, str) and model.startswith(SCENARIO_PREFIX):
            return model[len(SCENARIO_PREFIX) :]
        return self.scenario

    def generate(self, payload: dict[str, Any]) -> Generation:
        """What this relay, as configured now, generates for `payload`."""
        return generate(payload, self.options, self._scenario_for(payload))

    def expected_text(self, payload: dict[str, Any], index: int = 0) -> str:
        return expected_text(payload, index, self.options, self._scenario_for(payload))

    def expected_finish_reason(self, payload: dict[str, Any], index: int = 0) -> str:
        return expected_finish_reason(payload, index, self.options, self._scenario_for(payload))

    def expected_pieces(self, payload: dict[str, Any], index: int = 0) -> list[str]:
        return expected_pieces(payload, index, self.options, self._scenario_for(payload))


def iter_scenarios() -> Iterator[str]:
    """Every named scenario, sorted (http_NNN beyond the named ones also work)."""
    yield from sorted(ALL_SCENARIOS)


def _parse_option(text: str) -> tuple[str, Any]:
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key, json.loads(value)
    except ValueError:
        return key, value  # bare strings need no JSON quoting


def _scenario_arg(text: str) -> str:
    if not is_known_scenario(text):
        raise argparse.ArgumentTypeError(
            f"unknown scenario {text!r}; known: {', '.join(iter_scenarios())} or http_NNN"
        )
    return text


def main(argv: list[str] | None = None) -> int:
    """Standalone entry point: serve until interrupted."""
    parser = argparse.ArgumentParser(description="Fake completions relay (test infrastructure)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--scenario", default="normal", type=_scenario_arg)
    parser.add_argument("--token-delay", type=float, default=None)
    parser.add_argument("--require-key", default=None)
    parser.add_argument(
        "--option", action="append", type=_parse_option, default=[], metavar="KEY=JSON"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    options: dict[str, Any] = dict(args.option)
    if args.token_delay is not None:
        options["token_delay"] = args.token_delay
    if args.require_key:
        options["require_key"] = args.require_key
    relay = FakeRelay(args.host, args.port, args.scenario, options, quiet=not args.verbose)
    relay.start()
    # Browser tests wait for this line (and may parse the port from it when --port 0).
    print(f"fake relay serving on {relay.base_url} (scenario {args.scenario})", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        relay.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
