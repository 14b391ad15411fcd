"""Row 6's third comparison: the navigation frame with one widget of each type the playground's
first screen draws in its sidebar (no logic behind them), and Submit: what Streamlit's frontend
needs to show a page that uses these types, whatever the app does with them."""

import streamlit as st
from navigation_app import frame  # the script's folder is on sys.path under streamlit run


def playground() -> None:
    with st.sidebar:
        st.selectbox("Language", ["English", "中文"])
        with st.expander("Connection"):
            st.text_input("Base URL")
        st.selectbox("model", ["fake-instruct"], accept_new_options=True)
        st.number_input("max_tokens", value=16)
        st.slider("temperature", 0.0, 2.0, 1.0)
        st.checkbox("stream", value=True)
        st.multiselect("stop", ["\\n"], accept_new_options=True)
        st.pills("Stop suggestions", ["\\n", "###"])
    st.button("Submit", key="btn_submit")


if __name__ == "__main__":
    frame("Widget types", playground)
