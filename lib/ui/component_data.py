"""What the app's components.v2 components are given: their data inside a one-item list.

Streamlit looks for dataframes among the first-level values of a component's data when it is
a dict: each list or dict value is checked, and the first check imports pandas (about a second
of a cold start, then a check on every streaming frame). Data that is not a dict goes to the
browser as JSON untouched, so every component with nested data is given `[data]` and its script
reads the first item (`const data = given[0]`).
"""

from __future__ import annotations


def payload(data: dict) -> list[dict]:
    """`data` as a component's data: a list of one, which Streamlit sends as it is."""
    return [data]
