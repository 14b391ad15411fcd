"""What the fake relay answers to a request, computed without a server.

Scenario names and error bodies, the deterministic "model" (`generate`: the choices, their
pieces and logprobs, the usage), and how an answer is written on the wire: the non-stream body,
the stream's JSON documents, and SSE framing per scenario. Pure: no sockets, no clocks, no
threads; `server.py` decides when (and whether) these bytes are written.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

# --------------------------------------------------------------------------------------------
# Scenarios and error bodies
# --------------------------------------------------------------------------------------------

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
        "reset",
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


def scenario_of(model: Any, default: str) -> str:
    """The scenario a request asks for with model "scenario/NAME", else `default`."""
    if isinstance(model, str) and model.startswith(SCENARIO_PREFIX):
        return model[len(SCENARIO_PREFIX) :]
    return default


def http_status(scenario: str) -> int | None:
    """The status an `http_NNN` scenario answers with, else None."""
    match = _HTTP_SCENARIO.match(scenario)
    return int(match.group(1)) if match else None


def iter_scenarios() -> Iterator[str]:
    """Every named scenario, sorted (http_NNN beyond the named ones also work)."""
    yield from sorted(ALL_SCENARIOS)


def openai_error(
    message: str, type_: str, code: str | None = None, param: str | None = None
) -> dict[str, Any]:
    """An OpenAI-style error body."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


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
# Deterministic generation: what a request produces
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


def _scripted_tokens(opts: dict[str, Any], model: Any) -> list[tuple[str, float, dict]] | None:
    """Option model_tokens ({model: [[token, logprob, {alternative: logprob}], ...]}): the
    tokens `model` answers with, whatever the prompt (two models with known, different
    outputs and probabilities, for comparisons)."""
    scripted = opts.get("model_tokens")
    if not isinstance(scripted, dict) or not isinstance(model, str) or model not in scripted:
        return None
    return [(str(t), float(lp), {**dict(top), str(t): float(lp)}) for t, lp, top in scripted[model]]


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

    scripted = _scripted_tokens(opts, payload.get("model"))
    if scripted is not None:
        # Option model_tokens: this model's exact tokens, logprobs and top alternatives.
        for tok, lp, top in scripted:
            pieces.append(Piece(tok, [tok], [lp], [top if k is not None else None], [offset]))
            offset += len(tok)
        return GeneratedChoice(index, pieces, "stop", len(scripted), k is not None)
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
    # Option texts: {prompt: completion}, so that sessions sending different prompts at the
    # same time each get a text of their own (`text` for one of them).
    texts, prompt = opts.get("texts"), payload.get("prompt")
    if isinstance(texts, dict) and isinstance(prompt, str) and prompt in texts:
        opts = {**opts, "text": texts[prompt]}
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


# --------------------------------------------------------------------------------------------
# The wire: response bodies, stream documents, SSE framing
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Server shapes (option `server_shape`): the tokenizers and extras of local servers
# --------------------------------------------------------------------------------------------

LLAMA_CPP_PYTHON_SHAPE = "llama-cpp-python"  # POST /extras/tokenize; streams never send usage
LLAMA_CPP_SHAPE = "llama.cpp"  # GET /props, POST /tokenize {"content"}; `timings` in answers
VLLM_SHAPE = "vllm"  # POST /tokenize {"model", "prompt"} with count and max_model_len
SERVER_SHAPES = (LLAMA_CPP_PYTHON_SHAPE, LLAMA_CPP_SHAPE, VLLM_SHAPE)
DEFAULT_N_CTX = 2048
BOS_ID = 1
_FAKE_TOKEN_RE = re.compile(r" ?\w+| ?[^\w\s]|\s", re.UNICODE)


def fake_tokens(text: str, bos: bool = True) -> list[int]:
    """The fake tokenizer: a word with its leading space, a sign, or a space is one token."""
    ids = [BOS_ID] if bos else []
    return ids + [2 + zlib.crc32(t.encode("utf-8")) % 50_000 for t in _FAKE_TOKEN_RE.findall(text)]


def fake_timings(gen: Generation, prompt_text: str) -> dict[str, Any]:
    """llama.cpp's `timings`: made-up but consistent speeds (prompt 500/s, generation 50/s)."""
    prompt_n = len(fake_tokens(prompt_text))
    predicted_n = sum(c.completion_tokens for c in gen.choices)
    return {
        "prompt_n": prompt_n, "prompt_ms": prompt_n * 2.0, "prompt_per_second": 500.0,
        "predicted_n": predicted_n, "predicted_ms": predicted_n * 20.0,
        "predicted_per_second": 50.0,
    }  # fmt: skip


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


def utf8_split_points(data: bytes) -> list[bytes]:
    """`data` cut right after every lead byte of a multibyte sequence (scenario split_utf8).

    Written one part at a time, each character straddles two socket writes.
    """
    parts: list[bytes] = []
    start = 0
    for i in range(1, len(data)):
        if data[i - 1] >= 0xC0 and 0x80 <= data[i] <= 0xBF:
            parts.append(data[start:i])
            start = i
    parts.append(data[start:])
    return parts
