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
    from lib.run import feed

    app = st.App("streamlit_app.py", routes=feed.routes(st.get_option("server.baseUrlPath")))
