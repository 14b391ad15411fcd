"""Runs a request on a background thread so the page can keep drawing and can cancel it.

The page polls `drain()` every few tens of milliseconds and redraws in between; a redraw is a
Streamlit call, where a pending rerun (a Stop click) interrupts the script, so Stop works even
while the server sends nothing. For a stream, `cancel()` aborts the HTTP response so the server
stops too. A non-streamed request cannot be aborted before its answer arrives (requests gives
no handle until then): Stop frees the page at once and the answer is discarded when it comes.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import requests

from lib.chunks import normalize_chunk
from lib.client import Endpoint, abort, create_completion, stream_completion
from lib.errors import ApiError

CHUNK, RESPONSE, ERROR, DONE = "chunk", "response", "error", "done"


class RequestWorker:
    """One request on its own thread; results arrive as (kind, value) items in a queue."""

    def __init__(self, endpoint: Endpoint, payload: dict) -> None:
        self._endpoint = endpoint
        self._payload = payload
        self._items: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._cancelled = threading.Event()
        self._response: requests.Response | None = None
        self._lock = threading.Lock()
        self._started = False
        self._thread = threading.Thread(target=self._work, name="completion-request", daemon=True)

    def start(self) -> RequestWorker:
        """Send the request (once; later calls do nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                self._thread.start()
        return self

    def _keep_response(self, response: requests.Response) -> None:
        with self._lock:
            self._response = response
        if self._cancelled.is_set():
            abort(response)

    def _work(self) -> None:
        try:
            if self._payload.get("stream"):
                stream = stream_completion(
                    self._endpoint, self._payload, on_response=self._keep_response
                )
                try:
                    for chunk in stream:
                        if self._cancelled.is_set():
                            break
                        self._items.put((CHUNK, chunk))
                finally:
                    stream.close()
            else:
                response = create_completion(self._endpoint, self._payload)
                self._items.put((RESPONSE, (response, normalize_chunk(response))))
        except ApiError as err:
            if not self._cancelled.is_set():
                self._items.put((ERROR, err))
        except Exception as exc:  # a bug must still end the run with a readable message
            name = type(exc).__name__
            self._items.put((ERROR, ApiError.client("client.unexpected", type="bug", name=name)))
        finally:
            self._items.put((DONE, None))

    def drain(self, timeout: float) -> list[tuple[str, Any]]:
        """Everything that has arrived, waiting up to `timeout` seconds for the first item."""
        items = []
        try:
            items.append(self._items.get(timeout=timeout))
            while True:
                items.append(self._items.get_nowait())
        except queue.Empty:
            pass
        return items

    def cancel(self) -> None:
        """Stop reading and close the connection; a later `drain` sees no further chunks."""
        self._cancelled.set()
        with self._lock:
            response = self._response
        if response is not None:
            abort(response)
