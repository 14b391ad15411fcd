"""The Connection section remembered in the browser's localStorage, restored on reload.

Python gives the component only what `browser_record` allows (values typed in the sidebar; the
key only when "Remember the key" is ticked), and nothing until the stored record was read back,
so a fresh session never overwrites what the browser kept.

The browser's answer comes through the one reader (browser_storage.py). An answer that changes
what the first run showed (a remembered URL, key, model, saved connections) reruns the
fragments that show it (the sidebar and the live region); only one the page itself must act on
(the local model starts) reruns the whole page, once.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import streamlit as st

from lib.config.connection import LOCAL, browser_record, read_record
from lib.config.text import BadJson, read_json
from lib.request.fields import DEFAULTS
from lib.ui import keys
from lib.ui.component_data import payload
from lib.ui.storage import browser_storage
from lib.ui.storage.browser_storage import storage_component

STORAGE_KEY = "completions-playground.connection.v1"
# After a restore, how long a widget value equal to what the first paint showed is taken for
# the browser's late echo of it (a request it sent before it had the restore), not a change.
ECHO_SECONDS = 10.0
MODEL = "model"  # the request field's widget (lib/request/fields.py)
_COMPONENT = "connection_store"  # its key
# The same browser side as every kept value (kept_store.js): read once per session, then
# written whenever the record changes.
_store = storage_component("completions_playground_connection_store", "kept_store.js", STORAGE_KEY)


def saved() -> list[dict]:
    """The named connections of this browser."""
    return st.session_state.setdefault(keys.SAVED_CONNECTIONS, [])


def server_model() -> str | None:
    """The model chosen for the server connection (kept aside while the local model is used)."""
    state = st.session_state
    if state.get(keys.MODEL_KIND) == LOCAL:  # the box holds the local model's id
        return state.get(keys.SERVER_MODEL)
    return state.get(MODEL)


def answered() -> bool:
    """True once the browser said what it remembers (until then, nothing may be assumed)."""
    return bool(st.session_state.get(keys.CONNECTION_RESTORED))


def take_answer() -> bool:
    """Restore what the browser remembered, if it has said and this session has not taken it;
    True if this call did. Call before anything that depends on the connection is drawn.

    Until the sidebar has shown it, what was restored is set again each time (a keyed rerun
    applies the browser's widget values after its callback).
    """
    state = st.session_state
    took = False
    if not state.get(keys.CONNECTION_RESTORED) and browser_storage.answered():
        state[keys.CONNECTION_RESTORED] = True
        try:
            restored = read_record(read_json(browser_storage.kept(STORAGE_KEY) or "null"))
        except (BadJson, TypeError):
            restored = read_record(None)
        changes = _restored(restored)
        state[keys.CONNECTION_TO_SHOW] = changes
        state[keys.CONNECTION_ECHO] = {
            "before": {name: state.get(name) for name in changes},
            "restored": changes,
            "until": time.monotonic() + ECHO_SECONDS,
        }
        took = True
    state.update(state.get(keys.CONNECTION_TO_SHOW, {}))
    return took


def stale_echo(name: str) -> bool:
    """For a widget's callback: whether widget `name` changed only because the browser sent,
    with a request it made before it had the restore, the value it showed before (the radio
    still on the local model, an empty Base URL). Then the restored value is set again, and
    the caller redraws the sidebar instead of acting on a change nobody made."""
    state = st.session_state
    echo = state.get(keys.CONNECTION_ECHO)
    if not echo or time.monotonic() > echo["until"] or name not in echo["before"]:
        return False
    if state.get(name) != echo["before"][name]:
        return False
    state[name] = echo["restored"][name]
    # A keyed rerun applies the browser's values again after this callback: set once more.
    state[keys.CONNECTION_TO_SHOW] = {**state.get(keys.CONNECTION_TO_SHOW, {}), name: state[name]}
    return True


def mirror(page_acts_on_answer: Callable[[], bool]) -> None:
    """The mirror, in a container the page's CSS hides.

    Call before the Connection widgets are drawn. When the browser's answer comes, the
    sidebar and the live region are redrawn if it changed what they show, or the whole page
    if `page_acts_on_answer()` says the page has something to do now. (Not a fragment of its
    own: nested in the sidebar's, a keyed rerun of the sidebar and the live region together
    could send the browser a change it could not place, and blank the page.)
    """
    with st.container(key="connection_mirror_box"):
        sync(page_acts_on_answer)


def _shown() -> list:
    """What the Connection section and the model box show: a restore that changes any of it
    must redraw them."""
    state = st.session_state
    names = (keys.BASE_URL, keys.API_KEY, keys.REMEMBER_KEY, keys.CONNECTION_KIND, MODEL)
    return [state.get(name) for name in names] + [list(saved())]


def sync(page_acts_on_answer: Callable[[], bool] = lambda: False) -> None:
    """Mirror the connection to the browser; on a new session, restore what it remembered.

    Call before the Connection widgets are drawn: a restore sets their values.
    """
    state = st.session_state
    browser_storage.on_answer(STORAGE_KEY, lambda: _on_answer(page_acts_on_answer))
    take_answer()  # the answer came while the Connection section was not on the page
    record = None
    if answered():
        record = browser_record(
            state.get(keys.CONNECTION_KIND) == "local",
            state.get(keys.BASE_URL),
            state.get(keys.API_KEY),
            state.get(keys.REMEMBER_KEY, False),
            saved(),
            server_model(),
        )
    _store(key=_COMPONENT, data=payload({"value": record}), default={}, height=0)
    # The widgets are drawn next, with what was restored (take_answer set it again): from
    # here on they hold it.
    state.pop(keys.CONNECTION_TO_SHOW, None)


def _on_answer(page_acts_on_answer: Callable[[], bool]) -> browser_storage.Redraw:
    shown = _shown()
    if not take_answer():
        return None
    if page_acts_on_answer():
        return browser_storage.PAGE  # the local model starts, or Get started comes or goes
    if _shown() != shown:
        return (keys.SIDEBAR, keys.LIVE)  # its widgets show what was restored
    return None


def _restored(record: dict) -> dict:
    """The session values the browser's record sets: the saved connections always, the rest
    unless the Connection section was edited before the browser answered."""
    state = st.session_state
    changes: dict = {keys.SAVED_CONNECTIONS: record["saved"]}
    if state.get(keys.CONNECTION_EDITED):
        return changes  # typed in this session before the browser answered: that wins
    if record["base_url"]:
        changes[keys.BASE_URL] = record["base_url"]
    if record["api_key"]:
        changes[keys.API_KEY] = record["api_key"]
        changes[keys.REMEMBER_KEY] = True
    if record["local"] is not None:
        changes[keys.CONNECTION_KIND] = LOCAL if record["local"] else "server"
    if record["model"]:
        changes[keys.SERVER_MODEL] = record["model"]
        # A model a share link named (or one chosen before the browser answered) wins.
        if not record["local"] and state.get(MODEL) in (None, DEFAULTS[MODEL]):
            changes[MODEL] = record["model"]
    return changes
