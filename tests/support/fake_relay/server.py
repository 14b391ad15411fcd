"""The fake relay's HTTP server: a real socket on loopback, misbehaving on request.

`FakeRelay` owns the state a test reads and sets (scenario, options, what was received,
disconnects); the handler records each request, asks `generator` what to answer, and writes it
with the timing and socket behaviour of the scenario: delays, keep-alives, drops, hangs.
"""

from __future__ import annotations

import itertools
import json
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.fake_relay.generator import (
    DEFAULT_N_CTX,
    EVENT_ERROR_OBJECT,
    GARBAGE_BODY,
    LLAMA_CPP_PYTHON_SHAPE,
    LLAMA_CPP_SHAPE,
    MODELS,
    NEWAPI_ERROR_OBJECT,
    SSE_JSON_ERROR_OBJECT,
    STREAM_ERROR_OBJECT,
    VLLM_SHAPE,
    Generation,
    RequestError,
    cloudflare_502_html,
    completion_body,
    dumps,
    effective_options,
    expected_finish_reason,
    expected_pieces,
    expected_text,
    fake_timings,
    fake_tokens,
    generate,
    http_error,
    http_status,
    is_known_scenario,
    openai_error,
    scenario_of,
    sse_frame,
    stream_chunks,
    utf8_split_points,
)

PROBE_PATHS = ("/props", "/tokenize", "/extras/tokenize")


def _mask_key(key: str) -> str:
    # OpenAI echoes a masked key in its 401 message; never echo the whole key.
    return f"{key[:3]}****{key[-4:]}" if len(key) > 10 else "sk-****"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # Hanging handlers must not make shutdown wait: stop() releases them, but never block on it.
    block_on_close = False
    allow_reuse_address = True
    # socketserver's default backlog is 5: a team's 25 Submits arriving together overflowed it,
    # and the kernel held back the connections beyond it for a second or more, or reset some
    # (a page then waited for a stream that had failed to start). A real relay's listen queue
    # is hundreds long.
    request_queue_size = 128
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
        if self._cookie:
            lines.append(f"Set-Cookie: {self._cookie}")
        # Option keep_alive: the connection stays open for the client's next request, when the
        # body's end is marked (a length, or chunks); otherwise the close marks it.
        framed = "Content-Length" in headers or "Transfer-Encoding" in headers
        if self._keep_alive and framed:
            self.close_connection = False
        elif "Connection" not in headers:
            self.close_connection = True
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

    def _hang_until_client_leaves(self, seconds: float) -> None:
        """Send nothing for `seconds`, but count a disconnect as soon as the client hangs up.

        A client that cancels before the response has begun closes its end; a write would
        notice, but nothing is written here, so the socket is watched for end-of-file.
        """
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self._release.is_set():
            if not select.select([self.connection], [], [], 0.05)[0]:
                continue
            try:
                pending = self.connection.recv(1, socket.MSG_PEEK)
            except OSError:
                pending = b""
            if not pending:
                self._gone = True
                self.server.relay._count_disconnect()
                return
            self._wait(0.05)  # bytes the handler does not read: keep hanging

    # -- dispatch -----------------------------------------------------------------------------

    def _handle(self) -> None:
        self.close_connection = True  # one request per connection keeps handler threads short
        self._keep_alive, self._cookie = False, None
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
            self.path.split("?", 1)[0] in PROBE_PATHS,
            {
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": body,
                "raw": raw,
                # Two requests with the same client port came over one TCP connection.
                "client_port": self.client_address[1],
            },
        )
        scenario, opts = relay._snapshot()
        self._keep_alive = bool(opts.get("keep_alive"))
        self._cookie = opts.get("set_cookie")
        model = body.get("model") if isinstance(body, dict) else None
        scenario = scenario_of(model, scenario)
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
        if self._server_extra(path, body, opts):
            pass
        elif path == "/v1/models" and self.command == "GET":
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
        status = http_status(scenario)
        if scenario == "http_502_html":
            self._send_bytes(502, cloudflare_502_html(), "text/html; charset=UTF-8")
        elif status is not None:
            body, headers = http_error(status, model)
            if opts.get("error_message"):
                # Option error_message: the server's own words, e.g. hostile markdown.
                body["error"]["message"] = str(opts["error_message"])
            self._send_json(status, body, headers)
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
        elif scenario == "reset":
            self._reset_connection()
        elif scenario == "hang_before_headers" or (scenario == "hang" and not stream):
            self._hang_until_client_leaves(float(opts.get("hang_seconds", 30)))
        else:
            return False
        return True

    def _reset_connection(self) -> None:
        """Close without an answer, with a TCP reset (as an overloaded server or a proxy does)."""
        self.close_connection = True
        # A zero linger time makes close() send RST instead of FIN.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()

    def _server_extra(self, path: str, body: Any, opts: dict[str, Any]) -> bool:
        """Option server_shape: the tokenizer and props of that server; False for other paths."""
        shape = opts.get("server_shape")
        n_ctx = int(opts.get("n_ctx") or DEFAULT_N_CTX)
        post = self.command == "POST" and isinstance(body, dict)
        if shape == LLAMA_CPP_SHAPE and path == "/props" and self.command == "GET":
            settings = {"n_ctx": n_ctx, "temperature": 0.8, "top_k": 40}
            self._send_json(200, {"default_generation_settings": settings, "total_slots": 1})
        elif shape == LLAMA_CPP_SHAPE and path == "/tokenize" and post:
            text = str(body.get("content", ""))
            self._send_json(200, {"tokens": fake_tokens(text, bool(body.get("add_special")))})
        elif shape == LLAMA_CPP_PYTHON_SHAPE and path == "/extras/tokenize" and post:
            self._send_json(200, {"tokens": fake_tokens(str(body.get("input", "")))})
        elif shape == VLLM_SHAPE and path == "/tokenize" and post:
            tokens = fake_tokens(str(body.get("prompt", "")))
            answer = {"count": len(tokens), "max_model_len": n_ctx, "tokens": tokens}
            self._send_json(200, answer)
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
        if opts.get("echo_key_text"):
            # Option echo_key_text: the completion repeats the key it was sent, as an echoing
            # upstream would: verbatim, upper-cased, and its first 12 characters.
            key = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
            opts = {**opts, "text": f"echo {key} upper {key.upper()} start {key[:12]} end"}
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
            if opts.get("server_shape") == LLAMA_CPP_SHAPE:
                answer["timings"] = fake_timings(gen, str(body.get("prompt", "")))
            if opts.get("padding"):  # option padding: a body this many characters larger
                answer["padding"] = "x" * int(opts["padding"])
            self._send_json(200, answer)
            return
        opt_usage = body.get("stream_options")
        include_usage = isinstance(opt_usage, dict) and opt_usage.get("include_usage") is True
        if opts.get("server_shape") == LLAMA_CPP_PYTHON_SHAPE:
            include_usage = False  # llama-cpp-python never sends usage in a stream
        if opts.get("server_shape") == LLAMA_CPP_SHAPE:
            opts = {**opts, "_timings": fake_timings(gen, str(body.get("prompt", "")))}
        relay._count_stream(+1)
        try:
            self._stream(gen, id_, created, scenario, opts, include_usage)
        finally:
            relay._count_stream(-1)  # ended, or the client went away

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
        chunked = scenario == "drop_midstream" or self._keep_alive
        if chunked:
            # Chunked framing makes an early close a detectable truncation; a close-delimited
            # body that ends early would look exactly like `no_done`.
            headers["Transfer-Encoding"] = "chunked"
        if not self._start(200, headers):
            return
        # Kept open (option keep_alive) only once the stream has ended as it should, below.
        self.close_connection = True

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
        if opts.get("_timings") and docs:
            docs[-1] = {**docs[-1], "timings": opts["_timings"]}  # llama.cpp: on the last chunk
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
        # Option batched: a server that generates the n choices together (vLLM, llama.cpp)
        # sends one token of every choice per step, so the delay comes once per step.
        per_step = max(1, len(gen.choices)) if opts.get("batched") else 1
        for i, frame in enumerate(frames + tail):
            if i and i % per_step == 0 and self._wait(delay):
                return
            if i == usage_at and opts.get("usage_delay"):
                usage_until = time.monotonic() + float(opts["usage_delay"])
                while time.monotonic() < usage_until:
                    if not self._emit(b": keep-alive\n\n", chunked) or self._wait(0.2):
                        return
            if scenario == "split_utf8":
                for part in utf8_split_points(frame):
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
            self.close_connection = not self._keep_alive

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
    """The fake relay server; see the package docstring."""

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
        # Requests to the tokenizer and props paths (PROBE_PATHS), kept apart: a page probes
        # its server before anything is sent, and `received` lists what was sent.
        self.probes: list[dict[str, Any]] = []
        self.disconnects = 0
        # Streams being written now (never reset: a stream a test left open stays counted).
        self.open_streams = 0
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
            self.probes.clear()
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
                "open_streams": self.open_streams,
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

    def _record(self, probe: bool, entry: dict[str, Any]) -> None:
        with self._lock:
            (self.probes if probe else self.received).append(entry)

    def _snapshot(self) -> tuple[str, dict[str, Any]]:
        with self._lock:
            return self.scenario, dict(self.options)

    def _count_stream(self, change: int) -> None:
        with self._lock:
            self.open_streams += change

    def _count_disconnect(self) -> None:
        with self._lock:
            self.disconnects += 1

    def _next_id(self) -> str:
        with self._lock:
            return f"cmpl-fake-{next(self._ids)}"

    # -- expectations bound to the current scenario/options -----------------------------------

    def _scenario_for(self, payload: dict[str, Any]) -> str:
        return scenario_of(payload.get("model"), self.scenario)

    def generate(self, payload: dict[str, Any]) -> Generation:
        """What this relay, as configured now, generates for `payload`."""
        return generate(payload, self.options, self._scenario_for(payload))

    def expected_text(self, payload: dict[str, Any], index: int = 0) -> str:
        return expected_text(payload, index, self.options, self._scenario_for(payload))

    def expected_finish_reason(self, payload: dict[str, Any], index: int = 0) -> str:
        return expected_finish_reason(payload, index, self.options, self._scenario_for(payload))

    def expected_pieces(self, payload: dict[str, Any], index: int = 0) -> list[str]:
        return expected_pieces(payload, index, self.options, self._scenario_for(payload))
