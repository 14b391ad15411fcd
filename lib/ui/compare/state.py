"""A comparison in this session: its columns, and the runs of the one sent last.

The columns (lib/compare/columns.Column) are kept under keys.COMPARE_COLUMNS; the widgets that
edit them write into that list from their callbacks, so a link or a reopened comparison sets
the list and the widgets follow. The comparison sent last lives under keys.COMPARE, next to
(never instead of) the one-run path's keys.RUN: its runs stream together, are stopped together
or one by one, and go to the history together, tagged as one group (lib/compare/export.py).
Nothing here draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import streamlit as st

from lib.client import Endpoint
from lib.compare import export
from lib.compare.columns import MAX_COLUMNS, MIN_COLUMNS, Column, column_body, column_limits
from lib.run.model import BY_USER, RUNNING, STOPPED, Run
from lib.tokens import Counter
from lib.ui import keys
from lib.ui.run import state as run_state
from lib.ui.storage import history_store, prices_store

WIDGET_PREFIXES = (keys.COMPARE_CONN, keys.COMPARE_MODEL, keys.COMPARE_FIELD, keys.COMPARE_VALUE)


@dataclass
class Comparison:
    """The runs of one send, in column order, with the connection name each column used."""

    group: str
    runs: list[Run]
    conns: list[str]
    recorded: bool = False
    used: str | None = None  # the run whose text the document took ("Use this")

    def running(self) -> bool:
        return any(run.status == RUNNING for run in self.runs)


# Columns ------------------------------------------------------------------------------------


def is_on() -> bool:
    return bool(st.session_state.get(keys.COMPARE_ON))


def columns() -> list[Column]:
    """This session's columns (two that follow the form until someone changes them)."""
    found = st.session_state.get(keys.COMPARE_COLUMNS)
    return list(found) if found else [Column(), Column()]


def set_columns(new: list[Column]) -> None:
    """Replace the columns; their widgets show the new values on the next drawing."""
    state = st.session_state
    state[keys.COMPARE_COLUMNS] = list(new)[:MAX_COLUMNS]
    for number in range(1, MAX_COLUMNS + 1):
        for prefix in WIDGET_PREFIXES:
            state.pop(f"{prefix}{number}", None)


def change_column(number: int, **changes) -> None:
    """Column `number` (from 1) with `changes` (conn, model, overrides)."""
    cols = columns()
    cols[number - 1] = replace(cols[number - 1], **changes)
    st.session_state[keys.COMPARE_COLUMNS] = cols


def add_column() -> None:
    cols = columns()
    if len(cols) < MAX_COLUMNS:
        set_columns([*cols, Column()])


def remove_column(number: int) -> None:
    cols = columns()
    if len(cols) > MIN_COLUMNS:
        set_columns(cols[: number - 1] + cols[number:])


# The comparison sent last ----------------------------------------------------------------------


def current() -> Comparison | None:
    return st.session_state.get(keys.COMPARE)


def is_running() -> bool:
    comparison = current()
    return comparison is not None and comparison.running()


def start(
    form_body: dict,
    cols: list[Column],
    conns: list[str],
    endpoints: list[Endpoint],
    counters: list[Counter | None],
) -> Comparison:
    """Send column i's body with endpoints[i] (its own connection and key, nothing else).

    Each run gets a share of one run's output caps, so all columns together keep no more than
    a single run may.
    """
    stop()
    limits = column_limits(run_state.run_limits(), len(cols))
    runs = [
        run_state.new_run(endpoint, column_body(form_body, column), counter, limits)
        for column, endpoint, counter in zip(cols, endpoints, counters, strict=True)
    ]
    comparison = Comparison(export.new_group(), runs, list(conns))
    st.session_state[keys.COMPARE] = comparison  # stored before any request leaves
    for run in runs:
        assert run.worker is not None
        run.worker.start()
    return comparison


def stop(index: int | None = None) -> None:
    """Cancel column `index`'s request (every column's when None), keeping what arrived."""
    comparison = current()
    if comparison is None:
        return
    for i, run in enumerate(comparison.runs):
        if (index is None or i == index) and run.status == RUNNING:
            if run.worker is not None:
                run.worker.end(STOPPED, BY_USER)  # closes this column's connection only
            else:
                run.finish(STOPPED, stopped_by=BY_USER)


def record_finished() -> bool:
    """Hand every column's run to the history once all have ended; True if this call did."""
    comparison = current()
    if comparison is None or comparison.recorded or comparison.running():
        return False
    comparison.recorded = True
    for number, (run, conn) in enumerate(zip(comparison.runs, comparison.conns, strict=True), 1):
        run.recorded = True
        run.worker = None
        run.cost = prices_store.cost_for(str(run.request.get("model") or ""), run.stats())
        prices_store.count_in_total(run.cost)
        history_store.add(export.tagged(run.record(), comparison.group, number, conn))
    return True


def forget() -> None:
    """Leave compare: the comparison sent last is no longer shown (its runs are in History)."""
    stop()
    record_finished()
    st.session_state.pop(keys.COMPARE, None)


def watch_elsewhere() -> None:
    """On a page other than the playground: keep a running comparison alive (its runs are not
    abandoned as a closed page's are) and hand it to the history when it ends."""
    record_finished()
    if is_running():
        _watch()


@st.fragment(run_every=run_state.WATCH_SECONDS)
def _watch() -> None:
    comparison = current()
    if comparison is None:
        return
    for run in comparison.runs:
        run.seen()
    if not comparison.running() and record_finished():
        st.rerun(scope="app")  # the page redraws with the comparison in its history
