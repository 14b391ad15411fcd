"""Row 6's second comparison: one button on the first of two pages behind st.navigation, in a
wide layout with a sidebar: the playground's frame with nothing in it. `frame` is shared with
the third comparison (widget_types_app.py), which puts widgets in the same frame."""

from collections.abc import Callable

import streamlit as st


def frame(title: str, playground: Callable[[], None]) -> None:
    """The playground's frame: `playground` as the first of two pages, wide, with a sidebar."""

    def history() -> None:
        st.write("History")

    st.set_page_config(page_title=title, page_icon=":material/edit_note:", layout="wide")
    pages = [
        st.Page(playground, title="Playground", icon=":material/edit_note:"),
        st.Page(history, title="History", icon=":material/history:"),
    ]
    st.navigation(pages).run()


def submit_only() -> None:
    st.button("Submit", key="btn_submit")


if __name__ == "__main__":
    frame("Navigation app", submit_only)
