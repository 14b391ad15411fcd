"""One JSON value kept in the browser's localStorage (prices, the running total, presets).

The same pattern as connection_store: Python sends the value only once the browser has said
what it kept (so a new session never overwrites it); the answer comes through the one reader
(browser_storage.py), which redraws the page once when it changed what the page shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.ui.component_data import payload
from lib.ui.storage import browser_storage
from lib.ui.storage.browser_storage import storage_component


class KeptStore:
    """A value in `st.session_state[name]`, mirrored to localStorage under `storage_key`.

    `read(stored)` turns what the browser kept into the value (ValueError: keep the start
    value); `start()` is the value of a browser that kept nothing.
    """

    def __init__(
        self, name: str, storage_key: str, read: Callable[[Any], Any], start: Callable[[], Any]
    ) -> None:
        self.name = name
        self._storage_key = storage_key
        self._read, self._start = read, start
        self._component = storage_component(
            f"completions_playground_{name}", "kept_store.js", storage_key
        )
        self._fragment = st.fragment(self._sync, key=f"{name}_mirror")

    @property
    def _state(self) -> str:
        return f"_kept_{self.name}"

    def value(self) -> Any:
        """The value now (the start value until the browser answered)."""
        state = st.session_state
        if self._state not in state:
            state[self._state] = self._start()
        return state[self._state]

    def set(self, value: Any) -> None:
        st.session_state[self._state] = value

    def answered(self) -> bool:
        return bool(st.session_state.get(f"{self._state}_loaded"))

    def mirror(self) -> None:
        """The mirror, in its own fragment and a container the page's CSS hides."""
        with st.container(key=f"{self.name}_mirror_box"):
            self._fragment()

    def _sync(self) -> None:
        browser_storage.on_answer(self._storage_key, self._on_answer)
        self._take()  # the answer came while this store was not on the page
        value = self.value() if self.answered() else None
        self._component(key=self.name, data=payload({"value": value}), default={}, height=0)

    def _on_answer(self) -> browser_storage.Redraw:
        before = self.value()
        if self._take() and self.value() != before:
            return browser_storage.PAGE  # the page shows what the browser kept
        return None

    def _take(self) -> bool:
        """Take what the browser kept, once per session; True if this call did."""
        state = st.session_state
        if self.answered() or not browser_storage.answered():
            return False
        state[f"{self._state}_loaded"] = True
        try:
            stored = json.loads(browser_storage.kept(self._storage_key) or "null")
            if stored is not None:
                self.set(self._read(stored))
        except (ValueError, TypeError, RecursionError):
            pass  # what the browser kept cannot be read: the start value stays
        return True
