"""A fake OpenAI-compatible completions relay — TEST INFRASTRUCTURE, not part of the app.

A real HTTP server on 127.0.0.1 (stdlib only) that answers ``GET /v1/models`` and
``POST /v1/completions`` deterministically, and can misbehave on purpose ("scenarios") the way
real relays, gateways and local servers do: odd SSE framing, error objects mid-stream, dropped
connections, HTML error pages, hangs.  The client is tested against real bytes on a real socket.

The package in three parts, re-exported here (import from ``tests.support.fake_relay``):

- ``generator``: what a request produces — scenarios, error bodies, the deterministic model,
  stream documents and SSE framing. Pure, no sockets.
- ``server``: ``FakeRelay``, the HTTP server and its handler (timing, drops, hangs, control).
- ``__main__``: the command line.

In-process::

    with FakeRelay() as relay:           # port 0 -> a free port, daemon thread
        relay.scenario = "crlf"          # or per request: {"model": "scenario/http_500"}
        relay.options["token_delay"] = 0.05
        ...                              # point the client at relay.base_url
        relay.received[-1]["headers"]    # what the server saw (lowercased header names)
        relay.open_streams               # streams being written now (0: none left open)

Standalone (browser tests start the app against it)::

    python -m tests.support.fake_relay --port 8765 [--scenario NAME] [--token-delay 0.05]
                               [--option KEY=JSON ...] [--require-key sk-...]

Out-of-process control: ``POST /_control`` with ``{"scenario": ..., "options": {...},
"reset": bool}`` (options are merged; a ``null`` value removes an option), ``GET /_control``
returns the state, ``GET /_received`` returns what was received (without raw bytes).

The expected output of any request can be computed without a server: ``generate(payload,
options, scenario)``, ``expected_text(...)``, ``expected_pieces(...)``; ``FakeRelay`` has the same
helpers bound to its current scenario and options.

Options (``relay.options``): ``token_delay`` (s between stream frames; with ``batched``,
between steps of one token of every choice, as a server generating n choices together),
``response_delay`` (s before answering), ``text`` (exact completion text, ignores max_tokens
and stop), ``natural_length`` (tokens before the model "ends", finish_reason "stop"),
``model_tokens`` (``{model: [[token, logprob, {alternative: logprob}], ...]}``: that model's
exact completion, finish_reason "stop"),
``texts`` (``{prompt: text}``: ``text``
for the requests with that prompt), ``max_choices`` (cap on returned choices),
``require_key``, ``keepalive_interval`` / ``keepalive_total``, ``drop_after``, ``drop_mode``
("fin" or "rst"), ``error_after``, ``hang_seconds``, ``echo_key`` (the 401 of ``require_key``
quotes the rejected key verbatim, as some relays do), ``usage_delay`` (s between the last text
and the usage-only chunk), ``linger_seconds`` (keep-alives after the last frame), ``usage``
(values that replace the counted usage), ``endless`` (a stream that never ends), ``padding``
(characters added to a non-streamed body), ``error_message`` (the message of an ``http_NNN``
error body), ``echo_key_text`` (the completion is "echo KEY upper KEY-UPPER-CASED start
FIRST-12 end", with the bearer key the request sent), ``keep_alive`` (the connection stays open
after an answer, streams are chunked; each recorded request has its ``client_port``, the same for
requests on one connection), ``set_cookie`` (a ``Set-Cookie`` header on every answer),
``server_shape`` ("llama-cpp-python": ``POST /extras/tokenize`` and no usage in streams;
"llama.cpp": ``GET /props``, ``POST /tokenize`` and ``timings``; "vllm": ``POST /tokenize``;
each tokenizes with ``fake_tokens``), ``n_ctx`` (the context those servers report, 2048).
Requests to those paths are listed in ``relay.probes``, not ``relay.received``.  The model
``fake-slow`` streams with a default ``token_delay`` of 0.25 s.
"""

from tests.support.fake_relay.generator import (
    ALL_SCENARIOS,
    DEFAULT_MAX_TOKENS,
    EVENT_ERROR_OBJECT,
    FAILURE_SCENARIOS,
    GARBAGE_BODY,
    MODELS,
    NEWAPI_ERROR_OBJECT,
    RETRY_AFTER_SECONDS,
    SCENARIO_PREFIX,
    SLOW_MODEL,
    SLOW_MODEL_TOKEN_DELAY,
    SPLIT_UTF8_TEXT,
    SSE_JSON_ERROR_OBJECT,
    STREAM_ERROR_OBJECT,
    STREAM_FAILURE_SCENARIOS,
    TEXT_PIECE_CHARS,
    UNICODE_SEPARATORS_TEXT,
    WIRE_SCENARIOS,
    WORDS,
    GeneratedChoice,
    Generation,
    Piece,
    RequestError,
    cloudflare_502_html,
    completion_body,
    dumps,
    effective_options,
    expected_finish_reason,
    expected_pieces,
    expected_text,
    generate,
    http_error,
    http_status,
    is_known_scenario,
    iter_scenarios,
    openai_error,
    scenario_of,
    sse_frame,
    stream_chunks,
    utf8_split_points,
)
from tests.support.fake_relay.server import FakeRelay

__all__ = [
    "ALL_SCENARIOS",
    "DEFAULT_MAX_TOKENS",
    "EVENT_ERROR_OBJECT",
    "FAILURE_SCENARIOS",
    "GARBAGE_BODY",
    "MODELS",
    "NEWAPI_ERROR_OBJECT",
    "RETRY_AFTER_SECONDS",
    "SCENARIO_PREFIX",
    "SLOW_MODEL",
    "SLOW_MODEL_TOKEN_DELAY",
    "SPLIT_UTF8_TEXT",
    "SSE_JSON_ERROR_OBJECT",
    "STREAM_ERROR_OBJECT",
    "STREAM_FAILURE_SCENARIOS",
    "TEXT_PIECE_CHARS",
    "UNICODE_SEPARATORS_TEXT",
    "WIRE_SCENARIOS",
    "WORDS",
    "FakeRelay",
    "GeneratedChoice",
    "Generation",
    "Piece",
    "RequestError",
    "cloudflare_502_html",
    "completion_body",
    "dumps",
    "effective_options",
    "expected_finish_reason",
    "expected_pieces",
    "expected_text",
    "generate",
    "http_error",
    "http_status",
    "is_known_scenario",
    "iter_scenarios",
    "openai_error",
    "scenario_of",
    "sse_frame",
    "stream_chunks",
    "utf8_split_points",
]
