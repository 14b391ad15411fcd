"""What every page needs before it draws: password gate, language, history mirror.

streamlit_app.py runs it around st.navigation. A page can also be run on its own: Streamlit
still routes a URL such as /playground straight to pages/playground.py when a fresh server has
not yet seen st.navigation in any session. Each page therefore calls `ensure_shell()`, which
does the essential part unless the entry point already ran in this script run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import streamlit as st

from lib.ui import history_store
from lib.ui.gate import require_password
from lib.ui.lang import apply_link_language, language_picker, tr

# Per script-run thread: set while streamlit_app.py runs the page it navigated to.
_local = threading.local()


def before_navigation() -> None:
    apply_link_language()  # before any widget: a share link may name the language
    st.set_page_config(page_title=tr("app.title"), page_icon="✍️", layout="wide")
    require_password()  # before anything else renders or loads


def after_navigation() -> None:
    language_picker()
    history_store.sync()


def run_page(run: Callable[[], None]) -> None:
    """Run the navigated page, marking the shell as done for this script run."""
    _local.done = True
    try:
        run()
    finally:
        _local.done = False


def ensure_shell() -> None:
    """Gate, language and history for a page that was opened without the entry point.

    The language picker is left out there: drawn from a page script it would be a different
    widget and would reset the session's choice.
    """
    if getattr(_local, "done", False):
        return
    apply_link_language()
    require_password()
    history_store.sync()
