"""The history of this browser session, mirrored into the browser's localStorage.

Entries live in `st.session_state` (this session only) and are copied to the browser through
a small inline component, so a reload gets them back and the server never keeps them for
anyone else. Python sends only *changes* (put / delete / clear, numbered per session); the
browser applies them in order and answers with the last number applied; what it had stored
comes back through the one reader (browser_storage.py) when a session starts. Re-applying a
tail of changes is harmless, so a lost answer costs nothing.

The component lives in a fragment of its own (`mirror`): the browser's answers rerun only it,
and the live region reruns it with itself when a run ends. Only the History page shows the
entries, so only while it is on screen does the stored history redraw the page.
"""

from __future__ import annotations

import uuid

import streamlit as st

from lib.config.text import BadJson, read_json
from lib.history.entries import (
    HISTORY_LIMIT,
    Imported,
    cap,
    import_entries,
    interrupted,
    merge,
    valid_entries,
)
from lib.run.shutdown import SHUTDOWN
from lib.ui import keys
from lib.ui.component_data import payload
from lib.ui.storage import browser_storage
from lib.ui.storage.browser_storage import component_value, storage_component

HISTORY_KEY = keys.HISTORY
_OPS = keys.HISTORY_OPS
_SEQ = keys.HISTORY_SEQ
_SESSION = keys.HISTORY_SESSION
_LOADED = keys.HISTORY_LOADED
_DROPPED = keys.HISTORY_DROPPED
_STATUS = keys.HISTORY_STATUS
STORAGE_KEY = "completions-playground.history.v1"
_COMPONENT = "history_store"  # its key (tests watch its messages by this name)

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

    What the browser stored comes through the one reader (browser_storage.py). The browser's
    acknowledgements are taken in the callbacks (the browser may send them together with
    another fragment's event, and then only that fragment reruns, not this one) and here too.
    """
    state = st.session_state
    browser_storage.on_answer(STORAGE_KEY, _on_answer)
    _take_loaded()  # the answer came before this run drew the mirror
    session = state.setdefault(_SESSION, uuid.uuid4().hex)
    result = _store(
        key=_COMPONENT,
        data=payload({"session": session, "ops": state.get(_OPS, []), "limit": HISTORY_LIMIT}),
        default={"ack": 0, "status": None},
        on_ack_change=_on_ack,
        on_status_change=_on_status,
        height=0,
    )
    _take_ack(result.ack)
    _take_status(result.status)
    return result.status


def _take_ack(ack: int | None) -> None:
    state = st.session_state
    ops = state.get(_OPS, [])
    for op in ops:
        if op["seq"] <= (ack or 0) and op["op"] == "put":
            SHUTDOWN.delivered(op["entry"]["id"])  # a shutdown waits for its runs' entries
    state[_OPS] = [op for op in ops if op["seq"] > (ack or 0)]


def _take_loaded() -> bool:
    """The browser's stored history, merged in once per session; True if that changed it."""
    state = st.session_state
    if state.get(_LOADED) or not browser_storage.answered():
        return False
    state[_LOADED] = True
    try:
        stored = read_json(browser_storage.kept(STORAGE_KEY) or "[]")
    except (BadJson, TypeError):
        stored = []
    lost = browser_storage.live_run()  # a run this tab was streaming when it went away
    restored = valid_entries(stored)
    if any(e["id"] == lost and interrupted(e) for e in restored):
        state[keys.INTERRUPTED_RUN] = lost
    before = [e["id"] for e in entries()]
    merged, _, _ = merge(restored, entries())
    _set(merged)
    return [e["id"] for e in entries()] != before


def _take_status(status: str | None) -> bool:
    changed = status != st.session_state.get(_STATUS)
    st.session_state[_STATUS] = status
    return changed


def _on_ack() -> None:
    _take_ack(component_value(_COMPONENT, "ack"))


def _on_answer() -> browser_storage.Redraw:
    if not _take_loaded():
        return None
    if interrupted_run():
        return browser_storage.PAGE  # the playground says the run was interrupted
    return browser_storage.PAGE if st.session_state.get(keys.HISTORY_ON_SCREEN) else None


def interrupted_run() -> str | None:
    """The id of a run this tab was streaming when its server went away (until a new run)."""
    return st.session_state.get(keys.INTERRUPTED_RUN)


def forget_interrupted() -> None:
    st.session_state.pop(keys.INTERRUPTED_RUN, None)


def _on_status() -> None:
    if _take_status(component_value(_COMPONENT, "status")):
        _redraw_the_history()


def _redraw_the_history() -> None:
    """The History page lists the entries and says when storage fails: it redraws (a callback)."""
    if st.session_state.get(keys.HISTORY_ON_SCREEN):
        st.rerun()


def mirror() -> None:
    """The mirror, in its own fragment and a container the page's CSS hides."""
    with st.container(key="history_mirror_box"):
        _mirror()


@st.fragment(key=keys.HISTORY_MIRROR)
def _mirror() -> None:
    sync()


def on_screen(shown: bool) -> None:
    """Whether the page drawn last shows the entries (the History page says so each run)."""
    st.session_state[keys.HISTORY_ON_SCREEN] = shown


def storage_status() -> str | None:
    """What the browser last said about its storage (see `sync`)."""
    return st.session_state.get(_STATUS)
