"""Playground: write in the document, send it, watch the completion stream into it."""

from lib.ui.app import ensure_shell
from lib.ui.playground import live, toolbar
from lib.ui.playground.connection import page_notes
from lib.ui.playground.request_form import init_defaults
from lib.ui.playground.share_view import apply_link_once
from lib.ui.playground.sidebar import sidebar

ensure_shell()  # the gate even when this page is opened on its own
apply_link_once()
init_defaults()
with toolbar.steady():  # what the connection shows on the page: the local model starting…
    page_notes()
sidebar()  # the Connection section and the request form: a fragment of their own
toolbar.compact_page()
# Toolbar, document, cards and details: drawn now, then redrawn by themselves (a streaming
# run a few times a second) without running this page again.
live.region()
