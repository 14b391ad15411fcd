"""The password gate of a hosted instance (APP_PASSWORD in secrets)."""

from __future__ import annotations

import time

import streamlit as st

from lib.hosting import APP_PASSWORD, password_ok
from lib.ui.lang import tr
from lib.ui.secrets import app_secrets

_PASSED = "_password_ok"
# A pause after a wrong password slows down guessing.
FAILURE_DELAY_SECONDS = 1.0


def require_password() -> None:
    """Stop the script until this session has given APP_PASSWORD (when one is set)."""
    expected = app_secrets().get(APP_PASSWORD)
    if not expected or st.session_state.get(_PASSED):
        return
    st.title(tr("app.title"))
    with st.form("password_gate"):
        given = st.text_input(tr("gate.password"), type="password", key="app_password")
        entered = st.form_submit_button(tr("gate.enter"))
    if entered:
        if password_ok(given or "", str(expected)):
            st.session_state[_PASSED] = True
            st.session_state.pop("app_password", None)
            st.rerun()
        time.sleep(FAILURE_DELAY_SECONDS)
        st.error(tr("gate.wrong"))
    st.stop()
