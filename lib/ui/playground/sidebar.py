"""The playground's sidebar: the Connection section and the request form, one keyed fragment.

A request field reruns the sidebar and the live region; a connection change reruns the whole
page (the page's own notes follow the connection); the browser's remembered connection reruns
the sidebar and the live region. Nothing in the sidebar waits on the rest of the page.
"""

from __future__ import annotations

import streamlit as st

from lib.ui import keys
from lib.ui.playground import tokens_view
from lib.ui.playground.connection import connection_section, known_models
from lib.ui.playground.request_form import parameters_sidebar


def sidebar() -> None:
    with st.sidebar:
        _sidebar()


@st.fragment(key=keys.SIDEBAR)
def _sidebar() -> None:
    conn = connection_section()
    parameters_sidebar(known_models(conn), tokens_view.remember_server(conn))
