"""The playground's run controls: Submit, Stop, Continue, Regenerate last, and what they start.

A button only queues its action (a callback may not start a run: the script that follows must
see it); `run_queued_action` starts the run in the script body, where the page then follows it.
"""

from __future__ import annotations

import streamlit as st

from lib.config.connection import Connection
from lib.config.text import escape_markdown
from lib.i18n import Message
from lib.request.form import continued_prompt
from lib.ui import keys, live
from lib.ui.connection import endpoint_for
from lib.ui.lang import current, tr
from lib.ui.share_view import forget_link_notes

SUBMIT, REGENERATE = "submit", "regenerate"


def _queue(action: str) -> None:
    st.session_state[keys.ACTION] = action
    forget_link_notes()


def _continue() -> None:
    """Append the last completion (and the restart text) to the prompt, then run again."""
    run = live.current_run()
    if run is None or not run.indexes() or not isinstance(run.request.get("prompt"), str):
        return
    state = st.session_state
    state["prompt"] = continued_prompt(
        run.request["prompt"],
        run.text(run.indexes()[0]),
        state["restart_text"],
        echoed=run.request.get("echo") is True,
    )
    # The start text is already inside the sent prompt; it is added again on this send.
    state[keys.ACTION] = SUBMIT


def controls(body: dict, problems: list, blocked: Message | None, running: bool) -> None:
    """The row of run buttons, and a note when Regenerate would not send the form."""
    last = live.current_run()
    has_text = last is not None and bool(last.indexes())
    cols = st.columns([1.6, 1, 1.2, 1.3, 2], vertical_alignment="center")
    cols[0].button(
        tr("play.submit"), type="primary", key=keys.SUBMIT, shortcut="ctrl+enter",
        width="stretch", disabled=bool(problems or blocked) or running, on_click=_queue,
        args=(SUBMIT,), help=tr("play.submit_help"),
    )  # fmt: skip
    cols[1].button(
        tr("play.stop"), key=keys.STOP, width="stretch", disabled=not running, on_click=live.stop
    )
    cols[2].button(
        tr("play.continue"), key=keys.CONTINUE, width="stretch", on_click=_continue,
        disabled=running or bool(blocked) or not has_text
        or st.session_state.get("prompt_mode") != "text",
        help=tr("play.continue_help"),
    )  # fmt: skip
    cols[3].button(
        tr("play.regenerate"), key=keys.REGENERATE, width="stretch", on_click=_queue,
        args=(REGENERATE,), disabled=running or bool(blocked) or last is None,
        help=tr("play.regenerate_help"),
    )  # fmt: skip
    cols[4].toggle(tr("play.markdown"), key=keys.RENDER_MARKDOWN, persist_state="session")
    if last is not None and not running and last.request != body:
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
    if action == REGENERATE and last is not None:
        live.start(endpoint_for(conn), last.request)
    elif action == SUBMIT and not problems:
        live.start(endpoint_for(conn), body)
    if live.is_running():
        st.rerun()  # redraw the buttons for a running request (Stop enabled)
