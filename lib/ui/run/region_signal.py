"""A hidden component through which a streaming frame asks, once, for the live region again.

A fragment body may not rerun other fragments (`st.rerun(scope=<key>)` is allowed only in a
widget callback), so a streaming frame that needs more than itself hands a request to this
component; the browser sends it back once, and the callback given here (a widget callback)
reruns what it needs. Three requests use it:

- the run ended: the region draws the end and the history mirror keeps the entry;
- the frame's length should change (more or fewer streams share the server than when the
  region last drew the ticker): the region draws the ticker again with its new `run_every`;
- the tokenizer loaded (lib/ui/playground/tokens_view.py): the region draws the exact count.

A request is a string the browser tells once per window (a second drawing of the same request
stays quiet), so a frame may draw it until the region answers. It is drawn only while a
request is due (mounted then, hidden by the page's CSS).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lib.ui.components import sending_component

_JS = Path(__file__).with_name("region_signal.js").read_text(encoding="utf-8")
_component = sending_component("completions_playground_region_signal", _JS)


def ask(request: str, on_asked: Callable[[], None], key: str) -> None:
    """Draw the signal that tells the server `request` once, through `on_asked`."""
    _component(key=key, data={"request": request}, on_asked_change=on_asked, height=0)
