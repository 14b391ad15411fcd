"""The current run of this session: start it, stop it, hand it to the history once it ended.

The run (with its worker) lives in this session's `st.session_state`, so every script and
fragment run sees the same stream; only Stop (or nobody looking) cancels it. Nothing here waits
for tokens: the playground's live region draws a frame on a timer (lib/ui/playground/live.py),
and another page checks on a live run from a timer of its own (`watch_elsewhere`).

What a run means for the rest of the page (the document takes its text) is a callback given to
`start`, so this module knows runs and the history and nothing else.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Callable

import streamlit as st

from lib.client import Endpoint
from lib.config.settings import MAX_OUTPUT_CHARS, MAX_OUTPUT_CHUNKS, RUN_IDLE_SECONDS
from lib.run.model import BY_USER, RUNNING, STOPPED, Run, RunLimits
from lib.run.worker import RequestWorker
from lib.tokens import Counter
from lib.ui import keys
from lib.ui.shell.secrets import app_settings
from lib.ui.storage import history_store, prices_store

RUN_KEY = keys.RUN
_ON_END = keys.RUN_ON_END
# How often the page redraws a stream: often enough to look live, rare enough to stay cheap.
REDRAW_SECONDS = 0.075
# A frame is a fragment run, and its cost is mostly Streamlit's own per run (about 15 ms of CPU
# on a 2-core box), whatever it draws. So the server shares a budget of frames a second among
# its streams: one or two stream at the full rate, 25 once a second, which keeps the frames
# of a whole team at a fraction of a core (bench row 5).
SERVER_FRAMES_PER_SECOND = 24
MAX_REDRAW_SECONDS = 1.0
# Frame lengths are steps of this ratio, so a page asks for a new one (a rerun of its live
# region, which costs a few frames) only when the number of streams changed by about as much.
REDRAW_STEP = 2.0
# While the editor reads the text from the run's feed (lib/run/feed.py), a frame only keeps the
# run's status current, so frames come this many times less often, and at most twice a second:
# the browser draws the whole page for every frame, and 25 pages doing so at once is what makes
# a shared server fall behind.
FED_REDRAW_FACTOR = 3
FED_MIN_REDRAW_SECONDS = 0.5
# How often another page (History) checks on a live run, keeping it alive and showing its end.
WATCH_SECONDS = 0.5
# Runs started in this server process, by id (a count is all that is read; weak, so a closed
# session's run goes with it).
_started: weakref.WeakValueDictionary[str, Run] = weakref.WeakValueDictionary()
_started_lock = threading.Lock()


def current_run() -> Run | None:
    return st.session_state.get(RUN_KEY)


def is_running() -> bool:
    run = current_run()
    return run is not None and run.status == RUNNING


def start(
    endpoint: Endpoint,
    body: dict,
    on_end: Callable[[Run], None] | None = None,
    counter: Counter | None = None,
) -> Run:
    """Begin a run of `body`; `on_end(run)` is called once when it is handed to the history.

    `counter` counts the tokens when the server sends no usage (lib/tokens).
    """
    stop()
    run = new_run(endpoint, body, counter=counter)
    st.session_state[_ON_END] = on_end
    st.session_state[RUN_KEY] = run  # stored before the request leaves: nothing runs unseen
    assert run.worker is not None
    run.worker.start()
    return run


def run_limits() -> RunLimits:
    """The output caps of one run (MAX_OUTPUT_CHARS, MAX_OUTPUT_CHUNKS)."""
    settings = app_settings()
    return RunLimits(
        max_chars=settings.value(MAX_OUTPUT_CHARS), max_chunks=settings.value(MAX_OUTPUT_CHUNKS)
    )


def new_run(
    endpoint: Endpoint,
    body: dict,
    counter: Counter | None = None,
    limits: RunLimits | None = None,
) -> Run:
    """A run of `body` with its worker, not started yet, counted among this server's streams.

    The caller stores it in the session before starting its worker (nothing runs unseen).
    """
    run = Run(request=body, base_url=endpoint.base_url, limits=limits or run_limits())
    idle = app_settings().value(RUN_IDLE_SECONDS)
    run.worker = RequestWorker(endpoint, body, run, abandon_seconds=idle, counter=counter)
    with _started_lock:
        _started[run.id] = run
    return run


def stop() -> None:
    """Cancel the running request, keeping what arrived, and hand the run to the history."""
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
    on_end = st.session_state.pop(_ON_END, None)
    if on_end is not None:
        on_end(run)
    run.cost = prices_store.cost_for(str(run.request.get("model") or ""), run.stats())
    prices_store.count_in_total(run.cost)
    history_store.add(run.record())
    return True


def streams() -> int:
    """How many runs stream on this server process now."""
    with _started_lock:
        return sum(1 for run in list(_started.values()) if run.status == RUNNING)


def redraw_seconds(count: int | None = None, *, fed: bool = False) -> float:
    """The frame length while `count` runs stream on this server (default: the count now);
    `fed`: the editor reads the text from the run's feed, frames only draw the status."""
    count = streams() if count is None else count
    wanted = max(REDRAW_SECONDS, count / SERVER_FRAMES_PER_SECOND)
    step = round(math.log(wanted / REDRAW_SECONDS, REDRAW_STEP))  # the nearest step
    seconds = min(MAX_REDRAW_SECONDS, round(REDRAW_SECONDS * REDRAW_STEP**step, 4))
    return max(FED_MIN_REDRAW_SECONDS, FED_REDRAW_FACTOR * seconds) if fed else seconds


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
