"""Playground: write in the document, send it, watch the completion stream into it."""

import streamlit as st

from lib.config.connection import LOCAL
from lib.config.urls import without_credentials
from lib.local import local_problems
from lib.ui.app import ensure_shell
from lib.ui.document import state as document
from lib.ui.playground import toolbar as playground
from lib.ui.playground.connection import connection_sidebar, known_models, missing_key_note
from lib.ui.playground.request_form import (
    current_body,
    init_defaults,
    parameters_sidebar,
    prompt_json_editor,
)
from lib.ui.playground.share_view import apply_link_once, link_notes, share_menu, sync_url
from lib.ui.run import state as live

ensure_shell()  # the gate even when this page is opened on its own
apply_link_once()
init_defaults()
with playground.steady():  # what the connection shows on the page: the local model starting…
    conn = connection_sidebar()
parameters_sidebar(known_models(conn))
if playground.text_mode():
    document.sync()  # before the form is read: the document is the prompt

body, problems = current_body()
if conn.base_url_source == LOCAL:
    problems += local_problems(body)
blocked = missing_key_note(conn)
# A queued Submit starts here, before anything is drawn: the page draws the running state at
# once and follows the stream in this same script run.
playground.run_queued_action(conn, body, problems, blocked, live.is_running())
running = live.is_running()

playground.compact_page()
with playground.toolbar(problems, blocked, running):
    share_menu(body, without_credentials(conn.base_url))
playground.view_switches(running)
link_notes()
playground.notes(problems, blocked)
slot = playground.document_slot()
with slot:
    if not playground.text_mode():
        prompt_json_editor()
    elif not running:
        document.area(body)
playground.form_changed_note(body, running)
sync_url()

# A run streams into the document only while the document is on the page.
if live.follow(running, slot if playground.text_mode() else None):
    st.rerun()
