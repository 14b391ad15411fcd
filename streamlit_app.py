"""Entry point: page config, language, navigation, and the history mirror every page shares."""

import streamlit as st

from lib.ui import history_store
from lib.ui.gate import require_password
from lib.ui.lang import apply_link_language, language_picker, tr

apply_link_language()  # before any widget: a share link may name the language
st.set_page_config(page_title=tr("app.title"), page_icon="✍️", layout="wide")
require_password()  # before anything else renders or loads
playground = st.Page("pages/playground.py", title=tr("nav.playground"), icon=":material/edit_note:")
history = st.Page("pages/history.py", title=tr("nav.history"), icon=":material/history:")
page = st.navigation([playground, history])
language_picker()
history_store.sync()
page.run()
