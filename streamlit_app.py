"""Entry point: the shared shell (gate, language, history mirror) and navigation.

`streamlit run streamlit_app.py` finds `app` below and serves it: Streamlit's own server with
one more route, the feed a streaming run's text reaches the page through (lib/run/feed.py).
The server imports this file once for that (`__name__` is then "streamlit_app"); every
session's script run executes it as `__main__`, which draws the page.
"""

import importlib
import threading

import streamlit as st

# What the first page's script run would otherwise import (about half a second on two cores).
WARM_MODULES = (
    "lib.ui.app",
    "lib.ui.playground.live",
    "lib.ui.playground.sidebar",
    "lib.ui.history.view",
    "requests",
    "streamlit.emojis",
)

if __name__ == "__main__":
    from lib.ui.app import after_navigation, app_pages, before_navigation, run_page

    before_navigation()
    page = st.navigation(app_pages())
    after_navigation()
    run_page(page)
else:
    from lib.run import feed

    app = st.App("streamlit_app.py", routes=feed.routes(st.get_option("server.baseUrlPath")))

    def _warm() -> None:
        # Imported while the server starts and the first browser loads Streamlit's page, when
        # the server has nothing else to do.
        for name in WARM_MODULES:
            importlib.import_module(name)

    threading.Thread(target=_warm, name="warm-imports", daemon=True).start()
