"""What stands before the app: the configuration check, the log-in, the password.

Each one fails closed: while any of them says no, the page shows only its reason and the script
stops before anything of the app (or Streamlit's list of pages) is drawn.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAuthError

from lib.config import hosting
from lib.config.settings import ConfigError, auth_providers
from lib.config.text import escape_markdown
from lib.i18n import Message
from lib.ui import keys
from lib.ui.components import sending_component
from lib.ui.shell.lang import current, tr
from lib.ui.shell.secrets import app_settings

_LOG = logging.getLogger(__name__)
_PASSED = keys.PASSWORD_PASSED
_WAITING = keys.PASSWORD_WAITING
_WRONG = keys.PASSWORD_WRONG
_PASS_TO_STORE = keys.PASSWORD_PASS
PASSWORD_KEY = keys.PASSWORD
# One per server process: every session's attempts wait in one line (lib/config/hosting.py).
QUEUE = hosting.GuessQueue()
# How often a waiting attempt asks for its turn (and the page shows the wait).
CHECK_EVERY = 1.0


def require_access(hide_pages: Callable[[], None]) -> None:
    """Stop the script unless this session may use the app, showing only why it may not.

    `hide_pages` runs first, so a stopped page lists no other pages in the sidebar.
    """
    blocker = _blocker()
    if blocker is None:
        _store_pass()
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
    """The visitor's IP address, or None (localhost, or unknown)."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else None


def _session_id() -> str:
    """This session's name in the line (random; it names nothing else)."""
    return st.session_state.setdefault(keys.GATE_SESSION, uuid.uuid4().hex)


def _holds_pass(expected: str) -> bool:
    """Whether this browser came with a valid pass from an earlier visit (read at connect)."""
    return hosting.pass_ok(st.context.cookies.get(hosting.PASS_COOKIE), expected)


def _password_form(expected: str) -> None:
    with st.form("password_gate"):
        st.text_input(tr("gate.password"), type="password", key=PASSWORD_KEY)
        entered = st.form_submit_button(tr("gate.enter"))
    if entered:
        # The guess stays in the form's own state until its turn; only that flag is added.
        st.session_state[_WAITING] = True
        st.session_state.pop(_WRONG, None)
    if st.session_state.get(_WAITING):
        _check_in_turn(expected)
    elif st.session_state.get(_WRONG):
        st.error(tr("gate.wrong"))


@st.fragment(run_every=CHECK_EVERY)
def _check_in_turn(expected: str) -> None:
    """Ask for this attempt's turn, now and every CHECK_EVERY s, until it has been checked."""
    if not st.session_state.get(_WAITING):
        return
    given = st.session_state.get(PASSWORD_KEY) or ""
    verdict = QUEUE.attempt(
        _session_id(), _client_address(), given, expected, vouched=_holds_pass(expected)
    )
    if not verdict.checked:
        st.info(tr("gate.in_line", seconds=max(1, math.ceil(verdict.wait))))
        return
    st.session_state[_WAITING] = False
    if verdict.accepted:
        st.session_state[_PASSED] = True
        st.session_state[_PASS_TO_STORE] = hosting.issue_pass(expected)
        st.session_state.pop(PASSWORD_KEY, None)
    else:
        st.session_state[_WRONG] = True
    st.rerun(scope="app")


_PASS_JS = """
let stored = null;
export default function ({ data, setTriggerValue }) {
  if (stored === data.value || pageChanging()) return;
  stored = data.value;
  // SameSite=Strict: the pass goes only with this app's own requests (its websocket).
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = `${data.name}=${data.value}; Max-Age=${data.max_age}; Path=/` +
    `; SameSite=Strict${secure}`;
  setTriggerValue("stored", true);
}
"""
_pass_writer = sending_component("completions_playground_gate_pass", _PASS_JS)


def _store_pass() -> None:
    """Hand a pass just earned to the browser, as a cookie its next visit sends along.

    Streamlit reads cookies (st.context.cookies, from the websocket's request) but cannot set
    them, so a tiny inline component does; it is drawn until the browser says it kept it.
    """
    token = st.session_state.get(_PASS_TO_STORE)
    if not token:
        return
    data = {"name": hosting.PASS_COOKIE, "value": token, "max_age": hosting.PASS_DAYS * 86400}
    result = _pass_writer(
        key="gate_pass", data=data, default={}, on_stored_change=lambda: None, height=0
    )
    if getattr(result, "stored", None):
        st.session_state.pop(_PASS_TO_STORE, None)
