"""The app's components.v2 components that send values on their own, with the page-change guard.

`page_change.js` goes before each one's script: a component drawn between a click on a page
link and the new page's arrival sends nothing (see there why). Each script calls
`pageChanging()` before it sends or keeps anything.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_GUARD = Path(__file__).with_name("page_change.js").read_text(encoding="utf-8")


def sending_component(name: str, js: str, css: str | None = None):
    """A components.v2 component whose script (`js`, module text) may call `pageChanging()`."""
    return st.components.v2.component(name, js=_GUARD + js, css=css)
