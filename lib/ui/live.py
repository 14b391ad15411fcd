"""Starting, following and stopping a run, and handing finished runs to the history.

The run and its worker live in this session's `st.session_state`, so a rerun caused by any
other widget keeps following the same stream; only Stop cancels it.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.client import Endpoint
from lib.errors import ApiError
from lib.run import ERROR, OK, RUNNING, STOPPED, Run
from lib.ui.run_view import RunView
from lib.worker import CHUNK, DONE, RESPONSE, RequestWorker
from lib.worker import ERROR as ERROR_ITEM

RUN_KEY = "_run"
WORKER_KEY = "_worker"
HISTORY_KEY = "history"
# How often the page redraws a stream: often enough to look live, rare enough to stay cheap.
REDRAW_SECONDS = 0.075


def current_run() -> Run | None:
    return st.session_state.get(RUN_KEY)


def is_running() -> bool:
    run = current_run()
    return run is not None and run.status == RUNNING


def add_to_history(run: Run) -> None:
    st.session_state.setdefault(HISTORY_KEY, []).append(run.record())


def start(endpoint: Endpoint, payload: dict) -> None:
    """Begin a run of `payload`; the page follows it with `follow()`."""
    stop()
    run = Run(request=payload, base_url=endpoint.base_url)
    st.session_state[RUN_KEY] = run
    st.session_state[WORKER_KEY] = RequestWorker(endpoint, payload).start()


def stop() -> None:
    """Cancel the running request, keeping what arrived (a button callback)."""
    run, worker = current_run(), st.session_state.get(WORKER_KEY)
    if run is None or run.status != RUNNING:
        return
    run.finish(STOPPED)
    if worker is not None:
        worker.cancel()
        # Chunks that arrived before the click are kept; the run stays "stopped".
        _apply(run, worker.drain(0))
    _close(run)


def _close(run: Run) -> None:
    st.session_state.pop(WORKER_KEY, None)
    add_to_history(run)


def _apply(run: Run, items: list) -> bool:
    """Add arrived items to the run; True once the request is over."""
    for kind, value in items:
        if kind == CHUNK:
            run.add_chunk(value)
        elif kind == RESPONSE:
            run.set_response(*value)
        elif kind == ERROR_ITEM:
            run.finish(ERROR, value if isinstance(value, ApiError) else None)
        elif kind == DONE:
            run.finish(OK)
            return True
    return False


def follow() -> bool:
    """Draw the current run; while it runs, keep drawing until it ends.

    True when a live run ended here: the caller reruns so the buttons match the new state.
    """
    run = current_run()
    if run is None:
        return False
    view = RunView(run)
    worker: RequestWorker | None = st.session_state.get(WORKER_KEY)
    if run.status == RUNNING and worker is not None:
        done = False
        while not done:
            deadline = time.monotonic() + REDRAW_SECONDS
            done = _apply(run, worker.drain(REDRAW_SECONDS))
            # Let tokens pile up for the rest of the frame instead of redrawing per token.
            while not done and time.monotonic() < deadline:
                done = _apply(run, worker.drain(max(0.0, deadline - time.monotonic())))
            view.update()
        _close(run)
        return True
    view.finish()
    return False
