"""Sidebar: which server to talk to, the key, and a connection test."""

from __future__ import annotations

import streamlit as st

from lib.client import ApiError, Endpoint, list_models
from lib.client.errors import describe
from lib.config.connection import Connection, is_loopback, key_problem, resolve, url_problem
from lib.config.settings import MAX_RESPONSE_BYTES
from lib.config.text import escape_markdown
from lib.config.urls import host_of
from lib.i18n import Message
from lib.run.model import error_fields
from lib.ui.lang import current, tr
from lib.ui.secrets import app_settings

MODELS_KEY = "_models"  # session-only: ids from /v1/models, per base URL
_EDITED = "_connection_edited"  # set once the base URL or key was typed in this session


def connection_sidebar() -> Connection:
    """Draw the connection settings and return the resolved connection."""
    settings = app_settings()
    state = st.session_state
    # A hosted instance can pin its server, so nobody points it at internal addresses.
    locked = settings.lock_base_url
    sidebar_url = None if locked else state.get("base_url")
    ready = resolve(sidebar_url, state.get("api_key"), settings)
    # Streamlit re-applies `expanded` whenever it changes, so it must not flip while someone
    # fills the section in: once edited, it stays open (Enter in Base URL used to close it).
    expanded = state.get(_EDITED, False) or missing_key_note(ready) is not None
    with st.sidebar.expander(tr("conn.title"), expanded=expanded):
        if not locked:
            st.text_input(
                tr("conn.base_url"),
                key="base_url",
                placeholder=settings.base_url,
                help=tr("conn.base_url_help"),
                persist_state="session",
                on_change=_edited,
            )
        st.text_input(
            tr("conn.api_key"),
            key="api_key",
            type="password",
            placeholder="sk-…",
            help=tr("conn.api_key_help"),
            persist_state="session",
            on_change=_edited,
        )
        conn = resolve(sidebar_url, state.get("api_key"), settings)
        if locked:
            st.caption(tr("conn.locked", host=escape_markdown(host_of(conn.base_url))))
        elif conn.base_url_source != "sidebar":
            st.caption(tr("conn.url_from", source=tr(f"conn.source.{conn.base_url_source}")))
        if conn.key_withheld:
            st.caption(tr("conn.key_withheld"))
        if conn.api_key_source in ("secrets", "environment"):
            st.caption(tr("conn.key_from", source=tr(f"conn.source.{conn.api_key_source}")))
        if st.button(tr("conn.test"), key="test_connection", width="stretch"):
            _test(conn)
    return conn


def _edited() -> None:
    st.session_state[_EDITED] = True


def missing_key_note(conn: Connection) -> Message | None:
    """Why no request may be sent, or None when one may."""
    problem = url_problem(conn.base_url) or key_problem(conn.api_key)
    if problem:
        return problem
    if not conn.api_key and not is_loopback(conn.base_url):
        return Message("conn.need_key")
    return None


def endpoint_for(conn: Connection) -> Endpoint:
    limit = app_settings().value(MAX_RESPONSE_BYTES)
    return Endpoint(conn.base_url, conn.api_key, max_response_bytes=limit)


def _test(conn: Connection) -> None:
    note = missing_key_note(conn)
    if note:
        st.info(note.text(current()))
        return
    try:
        with st.spinner(tr("conn.testing")):
            models = list_models(endpoint_for(conn))
    except ApiError as err:
        st.error(escape_markdown(tr("conn.failed", error=describe(error_fields(err), current()))))
        return
    st.session_state[MODELS_KEY] = {"base_url": conn.base_url, "ids": models}
    st.success(tr("conn.ok", count=len(models)))


def known_models(conn: Connection) -> list[str]:
    """Model ids fetched for this base URL in this session, if any."""
    cached = st.session_state.get(MODELS_KEY)
    if cached and cached.get("base_url") == conn.base_url:
        return list(cached["ids"])
    return []
