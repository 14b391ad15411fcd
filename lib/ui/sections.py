"""Sections drawn only while open: keyed expanders and popovers whose caller draws the content
when `.open` is true (Streamlit 1.67), so a first screen, or a run of the live region, has less
to draw. Fields inside keep their values while not drawn (`persist_state="session"`), so what
is sent is still what the section shows when it opens.

Opening or closing one is a widget callback that reruns `redraw` (fragment keys, or the whole
page when None), not `on_change="rerun"`: a click that reaches the server in one batch with
another fragment's change (the document's, say) would rerun only that fragment, and the section
would open empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:  # what st.expander and st.popover return
    from streamlit.elements.lib.mutable_expander_container import ExpanderContainer
    from streamlit.elements.lib.mutable_popover_container import PopoverContainer

Redraw = str | Sequence[str] | None


def expander(label: str, key: str, redraw: Redraw = None, **options: Any) -> ExpanderContainer:
    """An `st.expander` whose content the caller draws only while `.open`."""
    return st.expander(label, key=key, on_change=_rerun(redraw), **options)


def popover(label: str, key: str, redraw: Redraw = None, **options: Any) -> PopoverContainer:
    """An `st.popover` whose content the caller draws only while `.open`."""
    return st.popover(label, key=key, on_change=_rerun(redraw), **options)


def _rerun(redraw: Redraw) -> partial:
    return partial(st.rerun) if redraw is None else partial(st.rerun, scope=redraw)
