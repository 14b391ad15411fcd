"""Entry point: the shared shell (gate, language, history mirror) and navigation.

`streamlit run streamlit_app.py` finds `app` below and serves it: Streamlit's own server with
one more route, the feed a streaming run's text reaches the page through (lib/run/feed.py).
The server imports this file once for that (`__name__` is then "streamlit_app"); every
session's script run executes it as `__main__`, which draws the page.
"""

import streamlit as st

if __name__ == "__main__":
    from lib.ui.app import after_navigation, app_pages, before_navigation, run_page

    before_navigation()
    page = st.navigation(app_pages())
    after_navigation()
    run_page(page)
else:
    import streamlit.delta_generator as _delta_generator

    from lib.run import feed

    # On the first element a process draws, Streamlit asks once whether it runs in a Python
    # REPL, to print a hint there: `inspect.stack()`, which resolves the path of every loaded
    # module (a quarter of a second of the first visitor's first screen). This module is
    # imported by `streamlit run`'s server, so the answer is known: no REPL, no hint.
    _delta_generator._use_warning_has_been_displayed = True

    app = st.App("streamlit_app.py", routes=feed.routes(st.get_option("server.baseUrlPath")))
