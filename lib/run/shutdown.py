"""Graceful shutdown of an app process: stop taking runs, let runs in flight finish, then stop.

On SIGTERM (Kubernetes ending a pod, `docker stop`, systemd) the process

1. stops taking new runs (`draining()`: the page then says the server is restarting);
2. gives the runs in flight up to the grace period (SHUTDOWN_GRACE_SECONDS) to finish;
3. stops the rest like Stop does, closing their upstream connections so no orphaned request
   keeps spending the key; each is kept as stopped, `interrupted`, with what had arrived;
4. waits a moment for the pages showing them to draw their end and for the browser to store
   their history entry (`delivered`);
5. runs what was registered with `on_exit` (the local model's server), and only then
6. hands the signal to the handler that was there before (Streamlit's, which stops the server).

Streamlit installs that handler itself once its server runs (streamlit/web/bootstrap.py,
`_set_up_signal_handler`): this one is chained in front of it, never instead of it. A second
SIGTERM during the drain goes straight to it. Standard library only, no Streamlit: lib/ui
decides when to install it and on which thread the old handler runs.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any

from lib.run.model import BY_INTERRUPT, STOPPED

_LOGGER = logging.getLogger(__name__)
# How long, once the last runs ended, the pages showing them get to draw their end and hand
# their history entry to the browser (which says so: `delivered`).
RECORD_SECONDS = 5.0
_POLL = 0.05


class Shutdown:
    """The runs of this process and what to do when it is asked to stop. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._draining = threading.Event()
        self._workers: weakref.WeakSet[Any] = weakref.WeakSet()
        self._on_exit: list[Callable[[], None]] = []
        self._delivered: set[str] = set()
        self._installed = False

    def draining(self) -> bool:
        """True once a shutdown began: no new run may start."""
        return self._draining.is_set()

    def track(self, worker: Any) -> None:
        """A RequestWorker that has started (lib/run/worker.py calls this)."""
        with self._lock:
            self._workers.add(worker)

    def in_flight(self) -> list[Any]:
        with self._lock:
            return [w for w in list(self._workers) if not w.done.is_set()]

    def delivered(self, run_id: str) -> None:
        """The browser stored the history entry of run `run_id` (only counted while draining)."""
        if self.draining():
            with self._lock:
                self._delivered.add(run_id)

    def _all_delivered(self, workers: list[Any]) -> bool:
        with self._lock:
            return all(w.run.id in self._delivered for w in workers)

    def on_exit(self, stop: Callable[[], None]) -> None:
        """Call `stop()` once the runs are over (a child process to end)."""
        with self._lock:
            self._on_exit.append(stop)

    def drain(self, grace: float, record_seconds: float = RECORD_SECONDS) -> list[Any]:
        """Steps 1 to 5 above; returns the workers that had to be stopped."""
        self._draining.set()
        running = self.in_flight()
        deadline = time.monotonic() + grace
        while self.in_flight() and time.monotonic() < deadline:
            time.sleep(_POLL)
        stopped = self.in_flight()
        for worker in stopped:
            worker.end(STOPPED, BY_INTERRUPT)
        # Finished or stopped, each run's page draws its end and the browser stores its entry.
        deadline = time.monotonic() + record_seconds
        while time.monotonic() < deadline and not self._all_delivered(running):
            time.sleep(_POLL)
        with self._lock:
            exits = list(self._on_exit)
        for stop in exits:
            try:
                stop()
            except Exception:  # one failing step must not keep the process from exiting
                _LOGGER.exception("shutdown step failed")
        return stopped

    def install(
        self,
        grace: float,
        call_soon: Callable[[Callable[[], None]], None] | None = None,
        signum: int = signal.SIGTERM,
    ) -> bool:
        """Chain in front of the handler of `signum` (main thread only); False if already done.

        `call_soon(fn)` runs the previous handler where it expects to run (Streamlit's: its
        event loop); by default it is called from the draining thread.
        """
        with self._lock:
            if self._installed:
                return False
            self._installed = True
        previous = signal.getsignal(signum)
        started = threading.Event()

        def hand_on() -> None:
            if callable(previous):
                (call_soon or _now)(lambda: previous(signum, None))
            elif previous == signal.SIG_DFL:  # no one else: end as the signal would have
                signal.signal(signum, signal.SIG_DFL)
                signal.raise_signal(signum)

        def drain_then_hand_on() -> None:
            try:
                self.drain(grace)
            finally:
                hand_on()

        def handler(_signum: int, _frame: Any) -> None:
            if started.is_set():
                hand_on()  # asked again: stop now
                return
            started.set()
            _LOGGER.warning("shutting down: runs in flight get %s s", grace)
            threading.Thread(target=drain_then_hand_on, name="shutdown", daemon=True).start()

        signal.signal(signum, handler)
        return True


def _now(fn: Callable[[], None]) -> None:
    fn()


# The one of this process: the workers and the signal are process-wide.
SHUTDOWN = Shutdown()
