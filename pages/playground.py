"""Playground: build a request in the sidebar, stream the completion, inspect it."""

import streamlit as st

from lib.config.text import escape_markdown
from lib.config.urls import without_credentials
from lib.request.form import continued_prompt
from lib.ui import live
from lib.ui.connection import connection_sidebar, endpoint_for, known_models, missing_key_note
from lib.ui.lang import current, tr
from lib.ui.request_form import current_request, init_defaults, parameters_sidebar, prompt_editor
from lib.ui.share_view import (
    apply_link_once,
    forget_link_notes,
    link_notes,
    share_row,
    sync_url,
)
from lib.ui.shell import ensure_shell

ensure_shell()  # the gate even when this page is opened on its own
apply_link_once()
init_defaults()
conn = connection_sidebar()
parameters_sidebar(known_models(conn))


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
    state["_action"] = "submit"


def _queue(action: str) -> None:
    st.session_state["_action"] = action
    forget_link_notes()


st.title(tr("app.title"))
prompt_editor()
body, problems = current_request()
blocked = missing_key_note(conn)
running = live.is_running()
last = live.current_run()

cols = st.columns([1.6, 1, 1.2, 1.3, 2], vertical_alignment="center")
cols[0].button(
    tr("play.submit"),
    type="primary",
    key="btn_submit",
    shortcut="ctrl+enter",
    width="stretch",
    disabled=bool(problems or blocked) or running,
    on_click=_queue,
    args=("submit",),
    help=tr("play.submit_help"),
)
cols[1].button(
    tr("play.stop"), key="btn_stop", width="stretch", disabled=not running, on_click=live.stop
)
cols[2].button(
    tr("play.continue"),
    key="btn_continue",
    width="stretch",
    on_click=_continue,
    disabled=running
    or bool(blocked)
    or last is None
    or not last.indexes()
    or st.session_state.get("prompt_mode") != "text",
    help=tr("play.continue_help"),
)
cols[3].button(
    tr("play.regenerate"),
    key="btn_regenerate",
    width="stretch",
    on_click=_queue,
    args=("regenerate",),
    disabled=running or bool(blocked) or last is None,
    help=tr("play.regenerate_help"),
)
cols[4].toggle(tr("play.markdown"), key="render_markdown", persist_state="session")

if last is not None and not running and last.request != body:
    st.caption(tr("play.form_changed"))
share_row(body, without_credentials(conn.base_url))
link_notes()
for problem in problems:
    st.warning(escape_markdown(problem.text(current())))
if blocked:
    st.info(escape_markdown(blocked.text(current())))
sync_url()

action = st.session_state.pop("_action", None)
if action and not blocked and not running:
    if action == "regenerate" and last is not None:
        live.start(endpoint_for(conn), last.request)
    elif action == "submit" and not problems:
        live.start(endpoint_for(conn), body)
    if live.is_running():
        st.rerun()  # redraw the buttons for a running request (Stop enabled)

if live.follow(running):
    st.rerun()
