"""A hidden component that tells the server, once per run, that the browser saw the run end.

A fragment body may not rerun other fragments (`st.rerun(scope=<key>)` is allowed only in a
widget callback), so a streaming frame that finds its run ended hands `ended` to this
component; the browser sends it back once, and the callback given here (a widget callback)
can rerun the live region and the history mirror together. Only a streaming frame passes
`ended`: a second signal for a run already drawn would cost one more rerun for nothing.
It is drawn only in such a frame (mounted then, hidden by the page's CSS).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lib.ui import keys
from lib.ui.components import sending_component

_JS = Path(__file__).with_name("end_signal.js").read_text(encoding="utf-8")
_component = sending_component("completions_playground_run_end", _JS)


def signal(ended: str, on_ended: Callable[[], None]) -> None:
    """Draw the signal for `ended`, the id of a run this frame found ended."""
    _component(key=keys.RUN_END, data={"ended": ended}, on_ended_change=on_ended, height=0)
