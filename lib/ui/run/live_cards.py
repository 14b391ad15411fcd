"""A streaming run's cards (its choices besides the document's): one keyed component.

While a run streams, every frame of the live region draws the cards again. As Streamlit
elements, each frame was a caption, a code block and notes per card for the browser to lay out
again; as one component drawn under one key at the same place, a frame is a data change of
one mounted element that swaps the text of each card (live_cards.js). Once the run ended, the
run view draws the finished cards as elements (Markdown, Use this, downloads).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from lib.ui import keys
from lib.ui.component_data import payload

_HERE = Path(__file__).parent
_component = st.components.v2.component(
    "completions_playground_live_cards",
    js=(_HERE / "live_cards.js").read_text(encoding="utf-8"),
    css=(_HERE / "live_cards.css").read_text(encoding="utf-8"),
)


def draw(cards: list[dict], columns: int, on_stop: Callable[[], None] | None = None) -> None:
    """The cards: each {"index", "label", "text", "note", "finish"}, in `columns` columns.

    A card with a "stop" label has a Stop button; a click calls `on_stop` (a widget callback)
    and `stopped()` then tells which card's it was (a comparison's column).
    """
    data = payload({"cards": cards, "columns": columns})
    if on_stop is None:
        _component(key=keys.LIVE_CARDS, data=data)
    else:
        _component(key=keys.LIVE_CARDS, data=data, on_stop_change=on_stop)


def stopped() -> int | None:
    """The index of the card whose Stop was clicked last (in `on_stop`), if any."""
    state = st.session_state.get(keys.LIVE_CARDS)
    value = state.get("stop") if isinstance(state, dict) else getattr(state, "stop", None)
    return value if isinstance(value, int) and not isinstance(value, bool) else None
