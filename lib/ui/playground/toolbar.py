"""The playground's toolbar (Submit, Stop, Regenerate, Undo, Share…), and what it starts.

A button only queues its action (a callback may not start a run: the script that follows must
see it); `run_queued_action` starts the run early in the script body, before the page draws
its buttons, and the page then follows it in the same script run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from lib.config.connection import Connection
from lib.config.text import escape_markdown
from lib.i18n import Message
from lib.ui import keys
from lib.ui.document import state as document
from lib.ui.playground.connection import endpoint_for
from lib.ui.playground.request_form import prompt_mode_picker
from lib.ui.playground.share_view import forget_link_notes
from lib.ui.run import state as live
from lib.ui.shell.lang import current, tr

SUBMIT, REGENERATE, BRANCH = "submit", "regenerate", "branch"
_PAGE_CSS = Path(__file__).with_name("playground.css").read_text(encoding="utf-8")
SLOT_KEY = "document_slot"  # the container of the document (playground.css holds its height)


def queue(action: str) -> None:
    st.session_state[keys.ACTION] = action
    forget_link_notes()


def text_mode() -> bool:
    return (st.session_state.get("prompt_mode") or "text") == "text"


def _regenerate() -> None:
    """In the document: take the last completion out and send the document again."""
    if text_mode():
        document.undo_last()
        queue(SUBMIT)
    else:
        queue(REGENERATE)


def compact_page() -> None:
    """The page's own CSS: little chrome above the document, whole sidebar labels."""
    st.html(f"<style>{_PAGE_CSS}</style>")


def document_slot():
    """The place of the document (or of the JSON prompt): an `st.empty` in a keyed container."""
    with st.container(key=SLOT_KEY):
        return st.empty()


@contextmanager
def steady(spare: int = 3) -> Iterator[None]:
    """A place on the page for a varying number of elements that never moves what follows.

    Streamlit keeps what the previous script run drew at a position until this run draws
    there, and shows it until the run ends, which for a run that follows a stream is the
    whole stream. So one element more above the toolbar in the run before (the local model's
    start-up status) left that run's toolbar half-drawn under the new one for the whole
    stream. Inside one container the count cannot move the elements after it, and the `spare`
    empty elements after the content take the places of what an earlier run drew there.
    """
    with st.container():
        yield
        for _ in range(spare):
            st.empty()


def toolbar(problems: list, blocked: Message | None, running: bool):
    """The row of run buttons; returns the column left for the share/export menu."""
    last = live.current_run()
    cols = st.columns([1.55, 1.15, 1.3, 0.95, 2], gap="small", vertical_alignment="center")
    cols[0].button(
        tr("play.submit"), type="primary", key=keys.SUBMIT, shortcut="ctrl+enter",
        width="stretch", disabled=bool(problems or blocked) or running, on_click=queue,
        args=(SUBMIT,), help=tr("play.submit_help"),
    )  # fmt: skip
    cols[1].button(
        tr("play.stop"), key=keys.STOP, width="stretch", disabled=not running, on_click=live.stop,
        shortcut="escape", help=tr("play.stop_help"),
    )  # fmt: skip
    cols[2].button(
        tr("play.regenerate"), key=keys.REGENERATE, width="stretch", on_click=_regenerate,
        disabled=running or bool(blocked) or last is None, help=tr("play.regenerate_help"),
    )  # fmt: skip
    cols[3].button(
        tr("play.undo"), key=keys.UNDO, width="stretch", on_click=document.undo_last,
        disabled=running or not text_mode() or document.last_run_id() is None,
        help=tr("play.undo_help"),
    )  # fmt: skip
    return cols[4]


def view_switches(running: bool) -> None:
    """Under the toolbar: the prompt form, probabilities in the document, Markdown preview."""
    left, middle, right = st.columns([3, 1.2, 1.1], vertical_alignment="center")
    with left:
        prompt_mode_picker()
    if text_mode():
        middle.toggle(
            tr("doc.show_probabilities"), key=keys.SHOW_PROBABILITIES,
            disabled=running or not document.has_tokens(), help=tr("doc.show_probabilities_help"),
        )  # fmt: skip
    right.toggle(tr("play.markdown"), key=keys.RENDER_MARKDOWN, persist_state="session")


def form_changed_note(body: dict, running: bool) -> None:
    last = live.current_run()
    if last is not None and not running and last.request != body and not text_mode():
        st.caption(tr("play.form_changed"))


def notes(problems: list, blocked: Message | None) -> None:
    """Why nothing can be sent: each problem with the form, or the missing key."""
    for problem in problems:
        st.warning(escape_markdown(problem.text(current())))
    if blocked:
        st.info(escape_markdown(blocked.text(current())))


def run_queued_action(conn: Connection, body: dict, problems: list, blocked, running) -> None:
    """Start the run a button queued, if it may run now."""
    action = st.session_state.pop(keys.ACTION, None)
    if not action or blocked or running:
        return
    last = live.current_run()
    state = st.session_state
    if action == REGENERATE and last is not None:
        live.start(endpoint_for(conn), last.request)
        document.forget()
    elif action == SUBMIT and not problems:
        live.start(endpoint_for(conn), body)
        if text_mode():
            document.begin(live.current_run(), state["start_text"], state["restart_text"])
        else:
            document.forget()
    elif action == BRANCH and not problems and text_mode():
        # The branch continues from exactly the document's text: no start text is injected.
        live.start(endpoint_for(conn), {**body, "prompt": state["prompt"]})
        document.begin(live.current_run(), "", "")
