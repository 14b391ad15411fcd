"""Row 6's second comparison: one button on the first of two pages behind st.navigation, in a
wide layout with a sidebar: the playground's frame with nothing in it."""

import streamlit as st


def playground() -> None:
    st.button("Submit", key="btn_submit")


def history() -> None:
    st.write("History")


st.set_page_config(page_title="Navigation app", page_icon=":material/edit_note:", layout="wide")
pages = [
    st.Page(playground, title="Playground", icon=":material/edit_note:"),
    st.Page(history, title="History", icon=":material/history:"),
]
st.navigation(pages).run()
