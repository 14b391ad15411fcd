"""The history of this browser session, mirrored into the browser's localStorage.

Entries live in `st.session_state` (this session only) and are copied to the browser through
a small inline component, so a reload gets them back and the server never keeps them for
anyone else. Python sends only *changes* (put / delete / clear, numbered per session); the
browser applies them in order, answers with the last number applied, and on its first render
hands back what it had stored. Re-applying a tail of changes is harmless, so a lost answer
costs nothing.
"""

from __future__ import annotations

import uuid

import streamlit as st

from lib.config.text import BadJson, read_json
from lib.history.entries import HISTORY_LIMIT, Imported, cap, import_entries, merge, valid_entries
from lib.ui import keys
from lib.ui.storage.browser_storage import storage_component

HISTORY_KEY = keys.HISTORY
_OPS = keys.HISTORY_OPS
_SEQ = keys.HISTORY_SEQ
_SESSION = keys.HISTORY_SESSION
_LOADED = keys.HISTORY_LOADED
_DROPPED = keys.HISTORY_DROPPED
_STATUS = keys.HISTORY_STATUS
STORAGE_KEY = "completions-playground.history.v1"

_store = storage_component("completions_playground_history_store", "history_store.js", STORAGE_KEY)


def entries() -> list[dict]:
    """This session's history, oldest first."""
    return st.session_state.setdefault(HISTORY_KEY, [])


def _queue(op: dict) -> None:
    state = st.session_state
    state[_SEQ] = state.get(_SEQ, 0) + 1
    state.setdefault(_OPS, []).append({**op, "seq": state[_SEQ]})


def _set(new_entries: list[dict]) -> None:
    kept, dropped = cap(new_entries, HISTORY_LIMIT)
    st.session_state[HISTORY_KEY] = kept
    if dropped:
        st.session_state[_DROPPED] = st.session_state.get(_DROPPED, 0) + dropped


def add(entry: dict) -> None:
    _set([*entries(), entry])
    _queue({"op": "put", "entry": entry})


def add_many(new: list[dict]) -> Imported:
    """Merge checked entries from a file (`import_entries`); only kept ones go to the browser."""
    result = import_entries(entries(), new, HISTORY_LIMIT)
    st.session_state[HISTORY_KEY] = result.entries
    if result.dropped:
        st.session_state[_DROPPED] = dropped_count() + result.dropped
    for entry in result.added:
        _queue({"op": "put", "entry": entry})
    return result


def delete(entry_id: str) -> None:
    st.session_state[HISTORY_KEY] = [e for e in entries() if e["id"] != entry_id]
    _queue({"op": "delete", "id": entry_id})


def clear() -> None:
    st.session_state[HISTORY_KEY] = []
    _queue({"op": "clear"})


def dropped_count() -> int:
    return st.session_state.get(_DROPPED, 0)


def sync() -> str | None:
    """Mirror changes to the browser and take back what it stored; returns the storage status.

    The status is None until the browser answers, then "ok", "trimmed" (older entries did not
    fit), "full" or "unavailable" (history will not survive a reload).
    """
    state = st.session_state
    session = state.setdefault(_SESSION, uuid.uuid4().hex)
    result = _store(
        key="history_store",
        data={"session": session, "ops": state.get(_OPS, []), "limit": HISTORY_LIMIT},
        default={"ack": 0, "status": None},
        on_ack_change=lambda: None,
        on_status_change=lambda: None,
        on_loaded_change=lambda: None,
        height=0,
    )
    ack = result.ack or 0
    state[_OPS] = [op for op in state.get(_OPS, []) if op["seq"] > ack]
    if result.loaded is not None and not state.get(_LOADED):
        state[_LOADED] = True
        try:
            restored = valid_entries(read_json(result.loaded))
        except (BadJson, TypeError):
            restored = []
        merged, _, _ = merge(restored, entries())
        _set(merged)
    state[_STATUS] = result.status
    return result.status


def storage_status() -> str | None:
    """What the browser last said about its storage (see `sync`)."""
    return st.session_state.get(_STATUS)
