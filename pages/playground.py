"""Playground: build a request in the sidebar, stream the completion, inspect it."""

import streamlit as st

from lib.config.connection import LOCAL
from lib.config.urls import without_credentials
from lib.local import local_problems
from lib.ui import live, playground
from lib.ui.connection import connection_sidebar, known_models, missing_key_note
from lib.ui.lang import tr
from lib.ui.request_form import current_body, init_defaults, parameters_sidebar, prompt_editor
from lib.ui.share_view import apply_link_once, link_notes, share_row, sync_url
from lib.ui.shell import ensure_shell

ensure_shell()  # the gate even when this page is opened on its own
apply_link_once()
init_defaults()
conn = connection_sidebar()
parameters_sidebar(known_models(conn))

st.title(tr("app.title"))
prompt_editor()
body, problems = current_body()
if conn.base_url_source == LOCAL:
    problems += local_problems(body)
blocked = missing_key_note(conn)
running = live.is_running()

playground.controls(body, problems, blocked, running)
share_row(body, without_credentials(conn.base_url))
link_notes()
playground.notes(problems, blocked)
sync_url()
playground.run_queued_action(conn, body, problems, blocked, running)

if live.follow(running):
    st.rerun()
