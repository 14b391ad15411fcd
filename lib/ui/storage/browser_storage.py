"""Inline components that keep session data in the browser's localStorage, and the one reader
that hands back everything kept there when a session starts.

Each store (history, connection, prices, totals, presets) writes through a component of its
own and reads nothing: the reader, drawn once at the top of every page, answers for all of
them in one message. Answers from several components would arrive in one batch of widget
updates, which Streamlit ties to one of their fragments; a redraw asked for from there could
leave the browser with a page it can no longer update (a blank page on a slow machine).

A store says, each time it is drawn, how it takes the answer (`on_answer`): the reader calls
it when the answer comes and redraws what the stores ask for, once. A store not on the page
when the answer came takes it when it is first drawn (`answered`, `kept`).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from lib.ui import keys
from lib.ui.component_data import payload
from lib.ui.components import sending_component

PAGE = "page"  # a store's answer changed what the page shows outside any fragment
# What taking the answer needs redrawn: nothing, these fragments, or the page.
Redraw = tuple[str, ...] | str | None
_READER = "storage_reader_component"
_HERE = Path(__file__).parent
_reader = sending_component(
    "completions_playground_storage_reader",
    js=(_HERE / "storage_reader.js").read_text(encoding="utf-8"),
)


def storage_component(name: str, js_file: str, storage_key: str):
    """A components.v2 component from `js_file` beside this module, bound to one storage key.

    The JS lives in its own file so editors and linters can read it; `__STORAGE_KEY__` in it
    becomes the key as a JSON string.
    """
    js = (
        (_HERE / js_file)
        .read_text(encoding="utf-8")
        .replace("__STORAGE_KEY__", json.dumps(storage_key))
    )
    return sending_component(name, js)


def component_value(key: str, name: str) -> Any:
    """The state or trigger value `name` of the component drawn under `key` (None if unset)."""
    state = st.session_state.get(key)
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


# The reader -----------------------------------------------------------------------------


def new_page() -> None:
    """A full run begins: the stores it draws say again how they take the answer."""
    st.session_state[keys.STORAGE_TAKERS] = {}


def read_once(page: str, pages: list[str]) -> None:
    """The reader, in its own fragment and a container the page's CSS hides. Drawn last in a
    full run: see `_hand_out`. `page` names the page: each page has a reader of its own, so
    an answer that a page change held back (page_change.js) goes out from the next page's,
    as that page's (Streamlit sends a value of an element kept from the page before with
    that page's fragment, which the server no longer has, and drops it). `pages`: every
    page's url path, for the browser to tell which page its address shows."""
    with st.container(key="storage_reader_box"):
        _reader_fragment(page, pages)


@st.fragment(key=keys.STORAGE_READER)
def _reader_fragment(page: str, pages: list[str]) -> None:
    session = st.session_state.setdefault(keys.STORAGE_SESSION, uuid.uuid4().hex)
    key = f"{_READER}_{page}"
    result = _reader(
        key=key, data=payload({
            "session": session, "page": page, "pages": pages,
            "taken": keys.STORAGE_ANSWER in st.session_state,  # until then, each page asks
        }), default={}, on_loaded_change=lambda: _on_loaded(key), height=0,
    )  # fmt: skip
    # The answer came with another event, so its callback did not run (rare). The stores
    # were drawn before this: the page runs again, and each takes the answer as it is drawn.
    if _take(getattr(result, "loaded", None)) and st.session_state.get(keys.STORAGE_TAKERS):
        st.rerun()


def _on_loaded(key: str) -> None:
    if not _take(component_value(key, "loaded")):
        return
    redraw = _hand_out()
    if redraw == PAGE:
        st.rerun()
    elif redraw:
        st.rerun(scope=list(redraw))


def _take(loaded: str | None) -> bool:
    """Keep what the browser said, once per session; True if this call did."""
    state = st.session_state
    if loaded is None or keys.STORAGE_ANSWER in state:
        return False
    try:
        answer = json.loads(loaded)
    except (ValueError, TypeError, RecursionError):
        answer = None
    if not isinstance(answer, dict):
        answer = {}
    kept = answer.get("kept")
    live = answer.get("live")
    state[keys.STORAGE_ANSWER] = {
        "kept": {k: v for k, v in kept.items() if isinstance(v, str)}
        if isinstance(kept, dict)
        else {},
        "live": live if isinstance(live, str) else None,
    }
    return True


def _hand_out() -> Redraw:
    """Every store on this page takes the answer; what they need redrawn, together.

    Streamlit starts a fragment's rerun by dropping that fragment's changes not yet sent to
    the browser, but not those of fragments inside it: if some were still unsent, the browser
    would get a nested fragment's elements without the parent's and blank the page. The
    reader is drawn last, so the browser answers only once it has every change before it.
    """
    wanted: set[str] = set()
    for take in list(st.session_state.get(keys.STORAGE_TAKERS, {}).values()):
        redraw = take()
        if redraw == PAGE:
            wanted = {PAGE}
        elif redraw and PAGE not in wanted:
            wanted.update(redraw)
    if not wanted:
        return None
    return PAGE if PAGE in wanted else tuple(sorted(wanted))


# What the stores use --------------------------------------------------------------------


def on_answer(storage_key: str, take: Callable[[], Redraw]) -> None:
    """`take()` takes the browser's answer for `storage_key` when it comes (once), and says
    what must be redrawn. Call each time the store is drawn."""
    st.session_state.setdefault(keys.STORAGE_TAKERS, {})[storage_key] = take


def answered() -> bool:
    """Whether the browser has said what it keeps (until then, nothing may be assumed)."""
    return keys.STORAGE_ANSWER in st.session_state


def kept(storage_key: str) -> str | None:
    """What the browser kept under `storage_key` (None: nothing, or no answer yet)."""
    answer = st.session_state.get(keys.STORAGE_ANSWER) or {}
    return (answer.get("kept") or {}).get(storage_key)


def live_run() -> str | None:
    """The id of the run this tab was streaming when it last reloaded (sessionStorage)."""
    answer = st.session_state.get(keys.STORAGE_ANSWER) or {}
    return answer.get("live")
