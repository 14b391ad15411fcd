"""Row 6's comparison: a one-line Streamlit app."""

import streamlit as st

st.button("Submit", key="btn_submit")
