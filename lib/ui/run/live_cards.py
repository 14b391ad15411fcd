"""A streaming run's cards (its choices besides the document's): one keyed component.

While a run streams, every frame of the live region draws the cards again. As Streamlit
elements, each frame was a caption, a code block and notes per card for the browser to lay out
again; as one component drawn under one key at the same place, a frame is a data change of
one mounted element that swaps the text of each card (live_cards.js). Once the run ended, the
run view draws the finished cards as elements (Markdown, Use this, downloads).
"""

from __future__ import annotations

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


def draw(cards: list[dict], columns: int) -> None:
    """The cards: each {"index", "label", "text", "note", "finish"}, in `columns` columns."""
    _component(key=keys.LIVE_CARDS, data=payload({"cards": cards, "columns": columns}))
