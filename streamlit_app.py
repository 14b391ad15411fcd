"""Entry point: the shared shell (gate, language, history mirror) and navigation."""

import streamlit as st

from lib.ui.lang import tr
from lib.ui.shell import after_navigation, before_navigation, run_page

before_navigation()
playground = st.Page("pages/playground.py", title=tr("nav.playground"), icon=":material/edit_note:")
history = st.Page("pages/history.py", title=tr("nav.history"), icon=":material/history:")
page = st.navigation([playground, history])
after_navigation()
run_page(page.run)
