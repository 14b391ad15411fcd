"""Entry point: the shared shell (gate, language, history mirror) and navigation."""

import streamlit as st

from lib.ui.app import after_navigation, app_pages, before_navigation, run_page

before_navigation()
page = st.navigation(app_pages())
after_navigation()
run_page(page)
