"""A streaming run, kept in the browser's history as it would be if its server went away now.

A replica can die mid-run (a crash, a node lost): its sessions reconnect to another replica,
which knows nothing of the run. So while a run streams, its page writes the run's entry into
the browser's stored history about once a second as *stopped, interrupted*, with the text so
far, and names it in the tab's sessionStorage. When the run ends, its real entry replaces the
snapshot (history_store.js) and the name goes. A new session that finds the name still there
learns its run was interrupted (history_store.py): History shows what had arrived, never a run
that streams forever.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.history.entries import HISTORY_LIMIT
from lib.run.model import Run
from lib.ui import keys
from lib.ui.component_data import payload
from lib.ui.storage.browser_storage import storage_component
from lib.ui.storage.history_store import STORAGE_KEY

SNAPSHOT_SECONDS = 1.0
_component = storage_component(
    "completions_playground_run_snapshot", "run_snapshot.js", STORAGE_KEY
)


def keep(run: Run) -> None:
    """Draw the snapshot component for a streaming `run` (every frame; data once a second)."""
    state = st.session_state
    last = state.get(keys.RUN_SNAPSHOT) or {}
    now = time.monotonic()
    entry = None
    if last.get("run") != run.id or now - last["at"] >= SNAPSHOT_SECONDS:
        entry = run.interrupted_record()
        state[keys.RUN_SNAPSHOT] = {"run": run.id, "at": now}
    _component(key="run_snapshot", data=payload({"entry": entry, "limit": HISTORY_LIMIT}), height=0)
