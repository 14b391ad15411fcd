"""Playground: write in the document, send it, watch the completion stream into it."""

from lib.ui.app import end_page, ensure_shell
from lib.ui.playground import live, presets_view, tokens_view, toolbar
from lib.ui.playground.connection import current_connection, page_notes
from lib.ui.playground.request_form import init_defaults
from lib.ui.playground.share_view import apply_link_once
from lib.ui.playground.sidebar import sidebar

ensure_shell()  # the gate even when this page is opened on its own
apply_link_once()
init_defaults()
presets_view.open_from_link()  # ?preset=NAME
with toolbar.steady():  # what the connection shows on the page: the local model starting…
    page_notes()
sidebar()  # the Connection section and the request form: a fragment of their own
tokens_view.sidebar(current_connection())  # context length (and prices) of this connection
presets_view.sidebar()
toolbar.compact_page()
# Toolbar, document, cards and details: drawn now, then redrawn by themselves (a streaming
# run a few times a second) without running this page again.
live.region()
end_page(__file__)  # last: what the browser kept (lib/ui/storage/browser_storage.py)
