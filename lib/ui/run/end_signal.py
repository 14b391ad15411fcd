"""A hidden component that tells the server, once per run, that the browser saw the run end.

A fragment body may not rerun other fragments (`st.rerun(scope=<key>)` is allowed only in a
widget callback), so a streaming frame that finds its run ended hands `ended` to this
component; the browser sends it back once, and the callback given here (a widget callback)
can rerun the live region and the history mirror together. Only a streaming frame passes
`ended`: a second signal for a run already drawn would cost one more rerun for nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from lib.ui import keys

_JS = Path(__file__).with_name("end_signal.js").read_text(encoding="utf-8")
_component = st.components.v2.component("completions_playground_run_end", js=_JS)


def signal(ended: str | None, on_ended: Callable[[], None]) -> None:
    """Draw the signal: `ended` is the id of a run this frame found ended, else None."""
    _component(key=keys.RUN_END, data={"ended": ended}, on_ended_change=on_ended, height=0)


def ended_run() -> str | None:
    """The run id the browser last said it saw end (in the callback's run), if any."""
    value = st.session_state.get(keys.RUN_END)
    return value.get("ended") if isinstance(value, dict) else getattr(value, "ended", None)
