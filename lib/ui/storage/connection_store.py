"""The Connection section remembered in the browser's localStorage, restored on reload.

Python gives the component only what `browser_record` allows (values typed in the sidebar; the
key only when "Remember the key" is ticked), and nothing until the stored record was read back,
so a fresh session never overwrites what the browser kept.
"""

from __future__ import annotations

import uuid

import streamlit as st

from lib.config.connection import LOCAL, browser_record, read_record
from lib.config.text import BadJson, read_json
from lib.request.fields import DEFAULTS
from lib.ui import keys
from lib.ui.storage.browser_storage import storage_component

STORAGE_KEY = "completions-playground.connection.v1"
MODEL = "model"  # the request field's widget (lib/request/fields.py)
_store = storage_component(
    "completions_playground_connection_store", "connection_store.js", STORAGE_KEY
)


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


def sync() -> None:
    """Mirror the connection to the browser; on a new session, restore what it remembered.

    Call before the Connection widgets are drawn: a restore sets their values.
    """
    state = st.session_state
    session = state.setdefault(keys.CONNECTION_STORE_SESSION, uuid.uuid4().hex)
    record = None
    if state.get(keys.CONNECTION_RESTORED):
        record = browser_record(
            state.get(keys.CONNECTION_KIND) == "local",
            state.get(keys.BASE_URL),
            state.get(keys.API_KEY),
            state.get(keys.REMEMBER_KEY, False),
            saved(),
            server_model(),
        )
    result = _store(
        key="connection_store",
        data={"session": session, "record": record},
        default={},
        on_loaded_change=lambda: None,
        height=0,
    )
    loaded = getattr(result, "loaded", None)
    if loaded is not None and not state.get(keys.CONNECTION_RESTORED):
        state[keys.CONNECTION_RESTORED] = True
        try:
            restored = read_record(read_json(loaded))
        except (BadJson, TypeError):
            restored = read_record(None)
        _restore(restored)


def _restore(record: dict) -> None:
    state = st.session_state
    state[keys.SAVED_CONNECTIONS] = record["saved"]
    if state.get(keys.CONNECTION_EDITED):
        return  # typed in this session before the browser answered: that wins
    if record["base_url"]:
        state[keys.BASE_URL] = record["base_url"]
    if record["api_key"]:
        state[keys.API_KEY] = record["api_key"]
        state[keys.REMEMBER_KEY] = True
    if record["local"] is not None:
        state[keys.CONNECTION_KIND] = LOCAL if record["local"] else "server"
    if record["model"]:
        state[keys.SERVER_MODEL] = record["model"]
        # A model a share link named (or one chosen before the browser answered) wins.
        if not record["local"] and state.get(MODEL) in (None, DEFAULTS[MODEL]):
            state[MODEL] = record["model"]
