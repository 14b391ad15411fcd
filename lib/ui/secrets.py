"""st.secrets as a plain mapping that is empty when there is no secrets file."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st


def app_secrets() -> Mapping:
    # st.secrets raises when no secrets file exists; that simply means "no secrets".
    try:
        return dict(st.secrets)
    except Exception:
        return {}
