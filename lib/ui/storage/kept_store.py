"""One JSON value kept in the browser's localStorage (prices, the running total, presets).

The same pattern as connection_store: Python sends the value only once the browser has said
what it kept (so a new session never overwrites it), and the browser's answer reruns only the
store's own fragment, or the whole page once when it changed what the page shows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.ui.storage.browser_storage import component_value, storage_component


class KeptStore:
    """A value in `st.session_state[name]`, mirrored to localStorage under `storage_key`.

    `read(stored)` turns what the browser kept into the value (ValueError: keep the start
    value); `start()` is the value of a browser that kept nothing.
    """

    def __init__(
        self, name: str, storage_key: str, read: Callable[[Any], Any], start: Callable[[], Any]
    ) -> None:
        self.name = name
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
        state = st.session_state
        session = state.setdefault(f"{self._state}_session", uuid.uuid4().hex)
        value = self.value() if self.answered() else None
        result = self._component(
            key=self.name, data={"session": session, "value": value}, default={},
            on_loaded_change=self._on_loaded, height=0,
        )  # fmt: skip
        self._take(getattr(result, "loaded", None))

    def _on_loaded(self) -> None:
        before = self.value()
        if self._take(component_value(self.name, "loaded")) and self.value() != before:
            st.rerun()  # the whole page, once: it shows what the browser kept

    def _take(self, loaded: str | None) -> bool:
        """Take what the browser kept, once per session; True if this call did."""
        state = st.session_state
        if loaded is None or self.answered():
            return False
        state[f"{self._state}_loaded"] = True
        try:
            stored = json.loads(loaded)
            if stored is not None:
                self.set(self._read(stored))
        except (ValueError, TypeError, RecursionError):
            pass  # what the browser kept cannot be read: the start value stays
        return True
