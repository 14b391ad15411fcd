"""Entry point: page config and navigation, nothing else."""

import streamlit as st

st.set_page_config(page_title="Completions Playground", page_icon="✍️", layout="wide")
page = st.navigation([st.Page("pages/playground.py", title="Playground", icon="✍️", default=True)])
page.run()
