"""The playground's toolbar (Submit, Stop, Regenerate, Undo, the Share menu) and what is around it.

A button here queues its action or calls the function it is given: the live region
(lib/ui/playground/live.py) starts the queued run and knows the document and the run; this
module knows neither.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from lib.config.text import escape_markdown
from lib.i18n import Message
from lib.ui import keys
from lib.ui.playground.request_form import prompt_mode_picker
from lib.ui.playground.share_view import forget_link_notes
from lib.ui.shell.lang import current, tr

SUBMIT, REGENERATE, BRANCH = "submit", "regenerate", "branch"
_PAGE_CSS = Path(__file__).with_name("playground.css").read_text(encoding="utf-8")


def queue(action: str) -> None:
    """A button asks for a run: the live region starts it in the run that follows."""
    st.session_state[keys.ACTION] = action
    forget_link_notes()


def take_action() -> str | None:
    """The action a button queued, once."""
    return st.session_state.pop(keys.ACTION, None)


def text_mode() -> bool:
    return (st.session_state.get("prompt_mode") or "text") == "text"


def compact_page() -> None:
    """The page's own CSS: little chrome above the document, whole sidebar labels."""
    st.html(f"<style>{_PAGE_CSS}</style>")


@contextmanager
def steady(spare: int = 3) -> Iterator[None]:
    """A place on the page for a varying number of elements that never moves what follows.

    Streamlit keeps what the previous script run drew at a position until this run draws
    there. So one element more above the live region in the run before (the local model's
    start-up status) left that run's toolbar half-drawn under the new one, and moved the
    document. Inside one container the count cannot move the elements after it, and the
    `spare` empty elements after the content take the places of what an earlier run drew there.
    """
    with st.container():
        yield
        for _ in range(spare):
            st.empty()


def toolbar(
    problems: list,
    blocked: Message | None,
    running: bool,
    *,
    can_regenerate: bool,
    can_undo: bool,
    on_stop: Callable[[], None],
    on_regenerate: Callable[[], None],
    on_undo: Callable[[], None],
):
    """The row of run buttons and the Compare switch (the result area as two to four
    columns); returns the column left for the share/export menu."""
    cols = st.columns([1.65, 1.0, 1.1, 0.9, 1.9, 1.2], gap="small", vertical_alignment="center")
    cols[0].button(
        tr("play.submit"), type="primary", key=keys.SUBMIT, shortcut="ctrl+enter",
        width="stretch", disabled=bool(problems or blocked) or running, on_click=queue,
        args=(SUBMIT,), help=tr("play.submit_help"),
    )  # fmt: skip
    cols[1].button(
        tr("play.stop"), key=keys.STOP, width="stretch", disabled=not running, on_click=on_stop,
        shortcut="escape", help=tr("play.stop_help"),
    )  # fmt: skip
    cols[2].button(
        tr("play.regenerate"), key=keys.REGENERATE, width="stretch", on_click=on_regenerate,
        disabled=running or bool(blocked) or not can_regenerate, help=tr("play.regenerate_help"),
    )  # fmt: skip
    cols[3].button(
        tr("play.undo"), key=keys.UNDO, width="stretch", on_click=on_undo,
        disabled=running or not text_mode() or not can_undo, help=tr("play.undo_help"),
    )  # fmt: skip
    # In this row, not under it: the view switches' row has no room left at 1280 px.
    cols[5].toggle(tr("compare.switch"), key=keys.COMPARE_ON, disabled=running)
    return cols[4]


def view_switches(running: bool, has_tokens: bool) -> None:
    """Under the toolbar: the prompt form, probabilities in the document, Markdown preview."""
    left, middle, right = st.columns([3, 1.2, 1.1], vertical_alignment="center")
    with left:
        prompt_mode_picker()
    if text_mode():
        middle.toggle(
            tr("doc.show_probabilities"), key=keys.SHOW_PROBABILITIES,
            disabled=running or not has_tokens, help=tr("doc.show_probabilities_help"),
        )  # fmt: skip
    right.toggle(tr("play.markdown"), key=keys.RENDER_MARKDOWN, persist_state="session")


def form_changed_note(changed: bool) -> None:
    """In the JSON forms: Regenerate sends the last request, not the form as it is now."""
    if changed and not text_mode():
        st.caption(tr("play.form_changed"))


def notes(problems: list, blocked: Message | None) -> None:
    """Why nothing can be sent: each problem with the form, or the missing key."""
    for problem in problems:
        st.warning(escape_markdown(problem.text(current())))
    if blocked:
        st.info(escape_markdown(blocked.text(current())))
