"""The document editor: one keyed component (document.js) for the whole page.

The editor is always drawn under one key, from one place in the live region, so the browser
keeps one mounted element and every drawing, each streaming frame included, is a data change
of it: the caret, the scroll position and the undo steps stay. What the person's input does
(send, branch) is up to the callbacks the caller gives.

A long document's editor also says which document it holds (its state `has`: the `ver` of
`state.for_editor`). A drawing leaves the segments out while the editor holds the current
ones, so a frame carries what is new, not the whole document again; an editor that finds it
holds another document says so, and the next drawing brings it. (A short document is simply
sent again: the answer would cost a rerun, right when the page has just been drawn.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import streamlit as st

from lib.config.text import markdown_without_images
from lib.document.model import text_of
from lib.ui import keys
from lib.ui.component_data import payload
from lib.ui.components import sending_component
from lib.ui.document import state as document
from lib.ui.shell.lang import tr

EDITOR = keys.DOCUMENT_EDITOR
_CSS = Path(__file__).with_name("document.css").read_text(encoding="utf-8")
_JS = Path(__file__).with_name("document.js").read_text(encoding="utf-8")
_component = sending_component("completions_playground_document", _JS, css=_CSS)
# While a run streams, the editor keeps this many characters of its end (a little more, to trim
# rarely): a frame's layout in the browser then costs the same however long the text grew.
LIVE_WINDOW_CHARS = 64_000
LABELS = {
    "document": "doc.label", "suffix": "doc.suffix", "alternatives": "doc.alternatives",
    "no_alternatives": "doc.no_alternatives", "branch_hint": "doc.branch_hint",
    "chosen": "doc.chosen", "na": "run.na",
}  # fmt: skip


@dataclass(frozen=True)
class Callbacks:
    """What the editor's events do: the person typed (`doc`), sent, or branched at a token;
    the feed it read a run's text from said the run ended (`fed_end`)."""

    doc: Callable[[], None]
    submit: Callable[[], None]
    branch: Callable[[], None]
    fed_end: Callable[[], None]


def value(name: str) -> Any:
    """The editor's state or trigger value `name` (None when it has not sent one)."""
    state = st.session_state.get(EDITOR)
    if isinstance(state, dict):
        return state.get(name)
    return getattr(state, name, None)


def _ack() -> None:
    """The editor told what it holds (a document, a streaming text up to some length): the
    next drawing reads it, nothing is to be done now."""


def _labels() -> dict[str, str]:
    labels = {name: tr(key) for name, key in LABELS.items()}
    # Filled in by the browser: the count changes with every frame.
    labels["hidden"] = tr("doc.hidden", count="{count}")
    labels["hidden_live"] = tr("doc.hidden_live", count="{count}")
    return labels


def draw(
    *, probabilities: bool, suffix: str, live: dict | None, on: Callbacks, room_rem: float = 0
) -> None:
    """The editor under its key, showing the document (and `live`, a run streaming into it).

    `live` is {"run", "start", "offset", "text", "total"[, "feed"]}: the completion from
    character `offset` on (the browser appends what it does not have yet), of `total` so far;
    `feed`, the URL path the editor reads the text from between frames (lib/run/feed.py). An
    editor that missed frames says from where it lacks text (`live_from`, see `lacks_from`).
    `room_rem`: the room left under the document (default: the status line's).
    """
    doc = document.for_editor(probabilities)
    if doc["ack"] and value("has") == doc["ver"]:
        del doc["segments"]  # the editor holds exactly these
    data = {
        "doc": doc,
        "probabilities": probabilities,
        "suffix": suffix,
        "live": live,
        "live_window": LIVE_WINDOW_CHARS,
        "labels": _labels(),
        "placeholder": tr("doc.placeholder"),
    }
    if room_rem:
        data["room_rem"] = room_rem
    _component(
        key=EDITOR, data=payload(data), on_doc_change=on.doc, on_submit_change=on.submit,
        on_branch_change=on.branch, on_has_change=_ack, on_live_from_change=_ack,
        on_feed_change=_ack, on_fed_end_change=on.fed_end,
    )  # fmt: skip


def preview() -> None:
    """The document as Markdown, in place of the editor."""
    with st.container(border=True):
        text = text_of(document.segments())
        # Text only: images off, and Streamlit's Markdown never renders raw HTML.
        st.markdown(markdown_without_images(text) if text else tr("doc.preview_empty"))


def window_note() -> None:
    """Under a windowed document: how much shows, the whole as a download, and Show all."""
    segs = document.segments()  # this list, not the session: the download runs on a thread
    count = sum(len(s["text"]) for s in segs)
    with st.container(horizontal=True, vertical_alignment="center"):
        shown = f"{document.WINDOW_CHARS:,}"
        st.caption(tr("doc.window", shown=shown, count=f"{count:,}"))
        st.download_button(
            tr("doc.download"), lambda: text_of(segs), file_name="document.txt",
            mime="text/plain", on_click="ignore", key=keys.DOCUMENT_DOWNLOAD,
        )  # fmt: skip
        st.button(
            tr("doc.show_all"), key=keys.DOCUMENT_SHOW_ALL, on_click=document.show_all,
            help=tr("doc.show_all_help"),
        )  # fmt: skip


def feed_lost(run_id: str) -> bool:
    """Whether the editor said it could not read `run_id`'s feed (it failed or stalled)."""
    return value("feed") == f"{run_id}:lost"


def lacks_from(run_id: str) -> int | None:
    """Where the editor said it lacks text of `run_id` from (it missed frames), or None."""
    asked = value("live_from")
    if not isinstance(asked, str):
        return None
    run, _, rest = asked.partition(".")
    length = rest.partition(".")[0]
    return int(length) if run == run_id and length.isdigit() else None
