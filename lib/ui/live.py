"""Starting, following and stopping a run, and handing finished runs to the history.

The run (with its worker) lives in this session's `st.session_state`, so a rerun caused by any
other widget keeps following the same stream; only Stop cancels it. Any Streamlit call, and
any session-state access, is a point where a rerun can cut the script short, so every step
here can be repeated: the next script run picks up where the last one stopped.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.client import Endpoint
from lib.errors import ApiError
from lib.run import ERROR, OK, RUNNING, STOPPED, Run
from lib.ui import history_store
from lib.ui.run_view import RunView
from lib.worker import CHUNK, DONE, RESPONSE, RequestWorker
from lib.worker import ERROR as ERROR_ITEM

RUN_KEY = "_run"
# How often the page redraws a stream: often enough to look live, rare enough to stay cheap.
REDRAW_SECONDS = 0.075
# A server that has finished every choice but keeps the connection open (keep-alives, no
# [DONE]) gets this long to send its usage chunk before the run is called done.
FINISHED_GRACE_SECONDS = 3.0


def current_run() -> Run | None:
    return st.session_state.get(RUN_KEY)


def is_running() -> bool:
    run = current_run()
    return run is not None and run.status == RUNNING


def start(endpoint: Endpoint, payload: dict) -> None:
    """Begin a run of `payload`; the page follows it with `follow()`."""
    stop()
    run = Run(request=payload, base_url=endpoint.base_url)
    run.worker = RequestWorker(endpoint, payload)
    st.session_state[RUN_KEY] = run  # stored before the request leaves: nothing runs unseen
    run.worker.start()


def stop() -> None:
    """Cancel the running request, keeping what arrived (a button callback)."""
    run = current_run()
    if run is None or run.status != RUNNING:
        return
    run.finish(STOPPED)
    if run.worker is not None:
        run.worker.cancel()
        # Chunks that arrived before the click are kept; the run stays "stopped".
        _apply(run, run.worker.drain(0))
    _record(run)


def _record(run: Run) -> None:
    """Hand a finished run to the history, once."""
    if run.status != RUNNING and not run.recorded:
        run.recorded = True
        run.worker = None
        history_store.add(run.record())


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
    return run.status != RUNNING


def follow() -> bool:
    """Draw the current run; while it runs, keep drawing until it ends.

    True when a live run ended here: the caller reruns so the buttons match the new state.
    """
    run = current_run()
    if run is None:
        return False
    _record(run)  # a run that ended while a rerun cut the last script short
    view = RunView(run)
    if run.status != RUNNING:
        view.finish()
        return False
    worker = run.worker
    worker.start()  # no-op unless a rerun came between storing the run and starting it
    last_item = time.monotonic()
    while run.status == RUNNING:
        deadline = time.monotonic() + REDRAW_SECONDS
        # Let tokens pile up for the whole frame instead of redrawing per token.
        while run.status == RUNNING and (left := deadline - time.monotonic()) > 0:
            items = worker.drain(left)
            if items:
                last_item = time.monotonic()
            _apply(run, items)
        if run.all_finished() and time.monotonic() - last_item > FINISHED_GRACE_SECONDS:
            worker.cancel()
            run.finish(OK)
        view.update()
    _record(run)
    return True
