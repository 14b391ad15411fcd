"""Runs a request on a background thread that writes straight into its `Run`.

The worker, not the page, folds each chunk into the run and stamps its time, so a run keeps
going (and is timed right) whichever page is open, or none. A watchdog thread beside it ends
the run when nobody has looked at it for a while (the tab was closed: the upstream must stop
generating on the key's bill), and when a server has finished every choice but never closes
the connection. `cancel()` closes the connection so the server stops too, at any point, and
wakes the thread reading it (lib.client.cancel): only the connection this run holds, since the
next run to the same endpoint reuses it once this one has given it back.
"""

from __future__ import annotations

import threading
import time

from lib.client import ApiError, Endpoint, create_completion, stream_completion
from lib.client.cancel import Canceller
from lib.client.chunks import normalize_chunk
from lib.client.errors import BUG
from lib.run.model import BY_ABANDON, BY_IDLE, BY_LIMIT, ERROR, OK, STOPPED, Run
from lib.run.shutdown import SHUTDOWN
from lib.tokens.count import Counter

# A run that no page has shown for this long is cancelled. A page following a run marks it
# seen several times a second; the History page does so from a timer while a run is live.
ABANDON_SECONDS = 15.0
# A server that has finished every choice but keeps the connection open (keep-alives, no
# [DONE]) gets this long to send its usage chunk before the run is called done.
FINISHED_GRACE_SECONDS = 3.0
_WATCH_EVERY = 0.25


class RequestWorker:
    """One request on its own thread, feeding `run`; `cancel()` ends it from any thread."""

    def __init__(
        self,
        endpoint: Endpoint,
        body: dict,
        run: Run,
        *,
        abandon_seconds: float = ABANDON_SECONDS,
        grace_seconds: float = FINISHED_GRACE_SECONDS,
        counter: Counter | None = None,
    ) -> None:
        self._endpoint = endpoint
        self._body = body
        self.run = run
        run.redact(endpoint.api_key)  # an upstream that echoes the key must not show it
        self._abandon_seconds = abandon_seconds
        self._grace_seconds = grace_seconds
        self._counter = counter  # counts tokens when the server sends no usage
        self._cancelled = threading.Event()
        self._canceller = Canceller()
        self.done = threading.Event()
        self._lock = threading.Lock()
        self._started = False
        self._thread = threading.Thread(target=self._work, name="completion-request", daemon=True)
        self._watchdog = threading.Thread(target=self._watch, name="completion-watch", daemon=True)

    def start(self) -> RequestWorker:
        """Send the request (once; later calls do nothing)."""
        with self._lock:
            if not self._started:
                self._started = True
                SHUTDOWN.track(self)  # a shutdown lets it finish, or stops it
                self._thread.start()
                self._watchdog.start()
        return self

    def _work(self) -> None:
        run = self.run
        try:
            if self._body.get("stream"):
                stream = stream_completion(self._endpoint, self._body, canceller=self._canceller)
                try:
                    for chunk in stream:
                        if self._cancelled.is_set():
                            break
                        if not run.add_chunk(chunk, time.perf_counter()):
                            self.end(STOPPED, BY_LIMIT)
                            break
                finally:
                    stream.close()
            else:
                response = create_completion(self._endpoint, self._body, canceller=self._canceller)
                run.set_response(response, normalize_chunk(response), time.perf_counter())
        except ApiError as err:
            run.finish(ERROR, err, at=time.perf_counter())
        except Exception as exc:  # a bug must still end the run with a readable message
            name = type(exc).__name__
            bug = ApiError.client("client.unexpected", type=BUG, name=name)
            run.finish(ERROR, bug, at=time.perf_counter())
        finally:
            at = time.perf_counter()  # the run ended when its data did, not after counting
            self._count()
            run.finish(OK, at=at)  # no-op when already ended
            self.done.set()

    def _count(self) -> None:
        """Count the completion with the connection's tokenizer (before the page records it)."""
        if self._counter is None or self.run.error is not None or not self.run.indexes():
            return
        try:
            self.run.count(self._counter.exact_generated, self._counter.exact)
        except Exception:
            return

    def _watch(self) -> None:
        run = self.run
        while not self.done.wait(_WATCH_EVERY):
            now = time.perf_counter()
            if now - run.last_seen > self._abandon_seconds:
                self.end(STOPPED, BY_ABANDON)
            elif (
                run.last_chunk_at is not None
                and now - run.last_chunk_at > self._grace_seconds
                and run.all_finished()
            ):
                self.end(OK, BY_IDLE)

    def end(self, status: str, stopped_by: str) -> None:
        """End the run with `status` and close the connection."""
        self.run.finish(status, at=time.perf_counter(), stopped_by=stopped_by)
        self.cancel()

    def cancel(self) -> None:
        """Stop reading and close the connection; the run keeps what arrived."""
        self._cancelled.set()
        self._canceller.cancel()  # also a request still waiting for its response
