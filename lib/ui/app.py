"""What every page needs around it: the gate, the language, the history mirror.

streamlit_app.py runs it around st.navigation. A page can also be run on its own: Streamlit
still routes a URL such as /playground straight to pages/playground.py when a fresh server has
not yet seen st.navigation in any session. Each page therefore calls `ensure_shell()`, which
does the essential part unless the entry point already ran in this script run.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

from lib.ui.run import state as run_state
from lib.ui.shell.gate import logout_button, require_access
from lib.ui.shell.lang import apply_link_language, language_picker, tr
from lib.ui.shell.shutdown import install_once
from lib.ui.storage import browser_storage, history_store, prices_store
from lib.ui.storage.presets_store import presets_store

# Absolute, so the pages resolve the same when a page script runs as the main script.
_PAGES = Path(__file__).resolve().parents[2] / "pages"
# The pages' url paths (a page opened on its own is at its file's name; through st.navigation,
# the default page is at "").
_PAGE_PATHS = sorted(path.stem for path in _PAGES.glob("*.py"))
# Per script-run thread: set while streamlit_app.py runs the page it navigated to.
_local = threading.local()


def app_pages() -> list[st.Page]:
    """The pages of the app, titled in this session's language."""
    return [
        st.Page(_PAGES / "playground.py", title=tr("nav.playground"), icon=":material/edit_note:"),
        st.Page(_PAGES / "history.py", title=tr("nav.history"), icon=":material/history:"),
    ]


def _hide_pages() -> None:
    # Without a st.navigation call in the run, Streamlit lists every file of pages/ (and the
    # entry point) in the sidebar; a hidden navigation keeps a stopped page free of links.
    st.navigation(app_pages(), position="hidden")


def before_navigation() -> None:
    install_once()  # SIGTERM drains this server's runs first (whoever visits first)
    apply_link_language()  # before any widget: a share link may name the language
    st.set_page_config(page_title=tr("app.title"), page_icon=":material/edit_note:", layout="wide")
    require_access(_hide_pages)  # before anything else renders or loads


def after_navigation() -> None:
    language_picker()
    logout_button()
    _mirror()


def _mirror() -> None:
    run_state.record_finished()  # a run that ended between script runs goes out with the mirror
    history_store.on_screen(False)  # until the page says it shows the entries
    browser_storage.new_page()  # the stores drawn from here on take what the browser kept
    history_store.mirror()
    prices_store.mirror()  # the prices and the running total of this browser
    presets_store.mirror()


def run_page(page: st.Page) -> None:
    """Run the navigated page, marking the shell as done for this script run; then what
    the browser kept, read after everything else is drawn."""
    _local.done = True
    try:
        page.run()
    finally:
        _local.done = False
    # Last: the browser answers once it has the reader, so by then it has everything the
    # page drew before it, and the redraw the answer asks for finds nothing still unsent.
    browser_storage.read_once(page.url_path, _PAGE_PATHS)


def ensure_shell() -> None:
    """Gate, language and history for a page that was opened without the entry point.

    The language picker is left out there: drawn from a page script it would be a different
    widget and would reset the session's choice.
    """
    if getattr(_local, "done", False):
        return
    install_once()
    apply_link_language()
    require_access(_hide_pages)
    _mirror()


def end_page(page_file: str) -> None:
    """The last call of every page (`page_file`: its `__file__`): what the browser kept, read
    after everything else is drawn (see `run_page`), when the page was opened without the
    entry point (it is then at its file's name, as in `_PAGE_PATHS`)."""
    if not getattr(_local, "done", False):
        browser_storage.read_once(Path(page_file).stem, _PAGE_PATHS)
