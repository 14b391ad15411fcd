"""Starting, following and stopping a run, and handing finished runs to the history.

The run (with its worker) lives in this session's `st.session_state`, so a rerun caused by any
other widget keeps following the same stream; only Stop cancels it. Any Streamlit call, and
any session-state access, is a point where a rerun can cut the script short, so every step
here can be repeated: the next script run picks up where the last one stopped.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

import streamlit as st

from lib.client import Endpoint
from lib.config.settings import MAX_OUTPUT_CHARS, MAX_OUTPUT_CHUNKS, RUN_IDLE_SECONDS
from lib.run.model import BY_USER, RUNNING, STOPPED, Run, RunLimits
from lib.run.worker import RequestWorker
from lib.ui import keys
from lib.ui.document import state as document
from lib.ui.run.view import RunView
from lib.ui.shell.secrets import app_settings
from lib.ui.storage import history_store

RUN_KEY = keys.RUN
# How often the page redraws a stream: often enough to look live, rare enough to stay cheap.
REDRAW_SECONDS = 0.075
# With many streams on one server the frames get longer, up to MAX_REDRAW_SECONDS: every page
# still moves a few times a second, and the server and browsers are not swamped by frames.
STREAMS_AT_FULL_RATE = 4
MAX_REDRAW_SECONDS = 0.5
_streams = 0  # follow loops running in this server process (a count, nothing else is shared)
_streams_lock = threading.Lock()
# How often another page (History) checks on a live run, keeping it alive and showing its end.
WATCH_SECONDS = 0.5


def current_run() -> Run | None:
    return st.session_state.get(RUN_KEY)


def is_running() -> bool:
    run = current_run()
    return run is not None and run.status == RUNNING


def start(endpoint: Endpoint, body: dict) -> None:
    """Begin a run of `body`; the page follows it with `follow()`."""
    stop()
    settings = app_settings()
    limits = RunLimits(
        max_chars=settings.value(MAX_OUTPUT_CHARS), max_chunks=settings.value(MAX_OUTPUT_CHUNKS)
    )
    run = Run(request=body, base_url=endpoint.base_url, limits=limits)
    idle = settings.value(RUN_IDLE_SECONDS)
    run.worker = RequestWorker(endpoint, body, run, abandon_seconds=idle)
    st.session_state[RUN_KEY] = run  # stored before the request leaves: nothing runs unseen
    run.worker.start()


def stop() -> None:
    """Cancel the running request, keeping what arrived (a button callback)."""
    run = current_run()
    if run is None or run.status != RUNNING:
        return
    if run.worker is not None:
        run.worker.end(STOPPED, BY_USER)
    else:
        run.finish(STOPPED, stopped_by=BY_USER)
    record_finished()


def record_finished() -> bool:
    """Hand the current run to the history once it has ended; True if this call did."""
    run = current_run()
    if run is None or run.status == RUNNING or run.recorded:
        return False
    run.recorded = True
    run.worker = None
    document.finished(run)
    history_store.add(run.record())
    return True


def follow(drawn_running: bool, document_slot=None) -> bool:
    """Draw the current run; while it runs, keep drawing until it ends.

    `drawn_running` says whether the page drew its buttons for a running run. True when the
    run ended since, or was only now handed to the history: the caller reruns so the buttons
    match the new state and the browser's history mirror gets the entry. (The worker ends a
    run on its own thread, so it may end between drawing the buttons and this call.)
    A run that writes into the document streams into `document_slot` (an `st.empty`).
    """
    run = current_run()
    if run is None:
        return False
    recorded_now = record_finished()  # e.g. a run that ended while a rerun cut a script short
    view = RunView(run, document.choice_in_document(run), document_slot)
    if run.status != RUNNING:
        view.finish()
        return drawn_running or recorded_now
    worker = run.worker
    worker.start()  # no-op unless a rerun came between storing the run and starting it
    with _counted():
        while run.status == RUNNING:
            run.seen()
            view.update()
            # Tokens pile up for the whole frame instead of being drawn one by one.
            worker.done.wait(redraw_seconds())
    view.update()
    record_finished()
    return True


@contextmanager
def _counted():
    global _streams
    with _streams_lock:
        _streams += 1
    try:
        yield
    finally:
        with _streams_lock:
            _streams -= 1


def redraw_seconds(streams: int | None = None) -> float:
    """The frame length while `streams` runs stream on this server (default: the count now)."""
    count = _streams if streams is None else streams
    return min(MAX_REDRAW_SECONDS, REDRAW_SECONDS * max(1.0, count / STREAMS_AT_FULL_RATE))


def watch_elsewhere() -> None:
    """On a page other than the playground: keep a live run alive and show when it ends."""
    record_finished()
    if is_running():
        _watch()


@st.fragment(run_every=WATCH_SECONDS)
def _watch() -> None:
    run = current_run()
    if run is None:
        return
    run.seen()
    if run.status != RUNNING and record_finished():
        st.rerun(scope="app")  # the page redraws with the run in its history
