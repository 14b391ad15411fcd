"""What stands before the app: the configuration check, the log-in, the password.

Each one fails closed: while any of them says no, the page shows only its reason and the script
stops before anything of the app (or Streamlit's list of pages) is drawn.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from lib.config import hosting
from lib.config.settings import ConfigError, auth_providers
from lib.config.text import escape_markdown
from lib.i18n import Message
from lib.ui import keys
from lib.ui.lang import current, tr
from lib.ui.secrets import app_settings

_LOG = logging.getLogger(__name__)
_PASSED = keys.PASSWORD_PASSED
PASSWORD_KEY = keys.PASSWORD
# One per server process: wrong passwords are counted across every session, not per session.
LIMITER = hosting.AttemptLimiter()


def require_access(hide_pages: Callable[[], None]) -> None:
    """Stop the script unless this session may use the app, showing only why it may not.

    `hide_pages` runs first, so a stopped page lists no other pages in the sidebar.
    """
    blocker = _blocker()
    if blocker is None:
        return
    hide_pages()
    st.title(tr("app.title"))
    blocker()
    st.stop()


def logged_in() -> bool:
    """Whether st.login has identified this session's user (False when unsure)."""
    return st.user.get("is_logged_in") is True


def logout_button() -> None:
    """In the sidebar, when the app asks for log-in: who is logged in, and a way out."""
    try:
        settings = app_settings()
    except ConfigError:
        return  # the gate has already stopped this run
    if settings.auth is None or not logged_in():
        return
    who = st.user.get("email") or st.user.get("name")
    if isinstance(who, str) and who:
        st.sidebar.caption(tr("auth.signed_in_as", who=escape_markdown(who)))
    st.sidebar.button(tr("auth.logout"), key="logout", on_click=st.logout, width="stretch")


def _blocker() -> Callable[[], None] | None:
    """What to show instead of the app, or None when this session may pass."""
    try:
        settings = app_settings()
    except ConfigError as err:
        problems = err.problems  # `err` itself is gone once the except block ends
        return lambda: _config_error(problems)
    if settings.auth is not None:
        if not hosting.authlib_installed():
            return lambda: _config_error([Message("config.no_authlib")])
        if not logged_in():
            return lambda: _login_panel(settings.auth)
    password = settings.app_password
    if password and not st.session_state.get(_PASSED):
        return lambda: _password_form(password)
    return None


def _config_error(problems: list[Message]) -> None:
    lines = [tr("config.title"), *(f"- {escape_markdown(p.text(current()))}" for p in problems)]
    st.error("\n".join(lines))
    st.caption(tr("config.fix"))


def _login_panel(auth: Mapping[str, Any]) -> None:
    st.info(tr("auth.intro"))
    for provider in auth_providers(auth):
        label = (
            tr("auth.login")
            if provider is None
            else tr("auth.login_with", provider=escape_markdown(provider))
        )
        if st.button(label, key=f"login_{provider or ''}", type="primary"):
            try:
                st.login(provider)
            except StreamlitAuthError as exc:
                # Streamlit's reason names secrets keys and paths: for the host's log only.
                _LOG.error("st.login failed: %s", exc)
                st.error(tr("auth.failed"))


def _client_address() -> str | None:
    """The visitor's IP address, or None (localhost, or unknown): then only the server counts."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def _password_form(expected: str) -> None:
    address = _client_address()
    with st.form("password_gate"):
        given = st.text_input(tr("gate.password"), type="password", key=PASSWORD_KEY)
        entered = st.form_submit_button(tr("gate.enter"))
    if not entered:
        return
    verdict = LIMITER.attempt(given or "", expected, address)
    if verdict.accepted:
        st.session_state[_PASSED] = True
        st.session_state.pop(PASSWORD_KEY, None)
        st.rerun()
    seconds = math.ceil(verdict.retry_after)
    if not verdict.heard:
        st.error(tr("gate.too_many", seconds=seconds))
        return
    st.error(tr("gate.wrong"))
    if seconds:
        st.warning(tr("gate.wait", seconds=seconds))
