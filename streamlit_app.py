"""Entry point: page config, navigation, and the history mirror every page shares."""

import streamlit as st

from lib.ui import history_store
from lib.ui.gate import require_password

st.set_page_config(page_title="Completions Playground", page_icon="✍️", layout="wide")
require_password()  # before anything else renders or loads
playground = st.Page("pages/playground.py", title="Playground", icon=":material/edit_note:")
history = st.Page("pages/history.py", title="History", icon=":material/history:")
page = st.navigation([playground, history])
history_store.sync()
page.run()
