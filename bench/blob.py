"""A loopback HTTP server that answers every request with the same prebuilt event stream.

The fake relay builds and writes its frames one by one in Python, in the benchmark's own
process; timing a client against it would also time the server. This one writes bytes made
in advance with one `sendall`, which releases the GIL, so the client's cost is what is timed.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from typing import Any

from tests.support.fake_relay import generate, sse_frame, stream_chunks
from tests.support.fake_relay.generator import dumps

MODEL = "gpt-3.5-turbo-instruct"


def event_stream(tokens: int, n: int = 1) -> bytes:
    """The fake relay's stream of `tokens` tokens per choice, usage and [DONE], as bytes."""
    payload = {"model": MODEL, "prompt": "bench", "max_tokens": tokens, "n": n}
    docs = stream_chunks(generate(payload), "cmpl-bench", 1_700_000_000, "normal", True)
    frames = [sse_frame(dumps(doc), "normal", i) for i, doc in enumerate(docs)]
    return b"".join([*frames, sse_frame("[DONE]", "normal", len(frames))])


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        head = b""
        while b"\r\n\r\n" not in head:
            data = sock.recv(65536)
            if not data:
                return
            head += data
        headers, _, body = head.partition(b"\r\n\r\n")
        length = 0
        for line in headers.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(body) < length:
            body += sock.recv(65536)
        sock.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
            b"Cache-Control: no-cache\r\nConnection: close\r\n\r\n" + self.server.blob
        )
        sock.shutdown(socket.SHUT_WR)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    blob: bytes


class BlobServer:
    """`with BlobServer(blob) as server:` then POST anything to `server.base_url`."""

    def __init__(self, blob: bytes) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.blob = blob
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> BlobServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.shutdown()
        self._server.server_close()
