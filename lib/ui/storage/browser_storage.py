"""Inline components that mirror session data into the browser's localStorage."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import streamlit as st


def storage_component(name: str, js_file: str, storage_key: str):
    """A components.v2 component from `js_file` beside this module, bound to one storage key.

    The JS lives in its own file so editors and linters can read it; `__STORAGE_KEY__` in it
    becomes the key as a JSON string.
    """
    js = (
        Path(__file__)
        .with_name(js_file)
        .read_text(encoding="utf-8")
        .replace("__STORAGE_KEY__", json.dumps(storage_key))
    )
    return st.components.v2.component(name, js=js)


def component_value(key: str, name: str) -> Any:
    """The state or trigger value `name` of the component drawn under `key` (None if unset)."""
    state = st.session_state.get(key)
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)
