"""Sidebar: which server to talk to, the key, and a connection test."""

from __future__ import annotations

import os

import streamlit as st

from lib.api import ApiError, Endpoint, list_models
from lib.connection import Connection, is_loopback, key_problem, resolve, url_problem
from lib.hosting import LOCK_BASE_URL, flag
from lib.text import escape_markdown
from lib.ui.secrets import app_secrets
from lib.urls import host_of

MODELS_KEY = "_models"  # session-only: ids from /v1/models, per base URL


def connection_sidebar() -> Connection:
    """Draw the connection settings and return the resolved connection."""
    secrets = app_secrets()
    state = st.session_state
    # A hosted instance can pin its server, so nobody points it at internal addresses.
    locked = flag(secrets, LOCK_BASE_URL)
    sidebar_url = None if locked else state.get("base_url")
    ready = resolve(sidebar_url, state.get("api_key"), secrets, os.environ)
    with st.sidebar.expander("Connection", expanded=missing_key_note(ready) is not None):
        if not locked:
            st.text_input(
                "Base URL",
                key="base_url",
                placeholder=resolve(None, None, secrets, os.environ).base_url,
                help="The server's URL including /v1, e.g. https://api.gptnb.me/v1 or "
                "http://127.0.0.1:8000/v1 for a local vLLM or llama.cpp server.",
                persist_state="session",
            )
        st.text_input(
            "API key",
            key="api_key",
            type="password",
            placeholder="sk-…",
            help="Sent as 'Authorization: Bearer …'. Kept only in this browser session; "
            "never put in links, logs or exports.",
            persist_state="session",
        )
        conn = resolve(sidebar_url, state.get("api_key"), secrets, os.environ)
        if locked:
            st.caption(f"Server: {escape_markdown(host_of(conn.base_url))} (set by the host).")
        elif conn.base_url_source != "sidebar":
            st.caption(f"Base URL from {conn.base_url_source}.")
        if conn.api_key_source in ("secrets", "environment"):
            st.caption(f"Using the API key from {conn.api_key_source}.")
        if st.button("Test connection", key="test_connection", width="stretch"):
            _test(conn)
    return conn


def missing_key_note(conn: Connection) -> str | None:
    """Why no request may be sent, or None when one may."""
    problem = url_problem(conn.base_url) or key_problem(conn.api_key)
    if problem:
        return problem
    if not conn.api_key and not is_loopback(conn.base_url):
        return "Add an API key under Connection in the sidebar to send requests."
    return None


def endpoint_for(conn: Connection) -> Endpoint:
    return Endpoint(conn.base_url, conn.api_key)


def _test(conn: Connection) -> None:
    note = missing_key_note(conn)
    if note:
        st.info(note)
        return
    try:
        with st.spinner("Asking the server for its models…"):
            models = list_models(endpoint_for(conn))
    except ApiError as err:
        st.error(escape_markdown(f"Connection failed: {err}"))
        return
    st.session_state[MODELS_KEY] = {"base_url": conn.base_url, "ids": models}
    st.success(f"Connected: {len(models)} model{'s' if len(models) != 1 else ''} available.")


def known_models(conn: Connection) -> list[str]:
    """Model ids fetched for this base URL in this session, if any."""
    cached = st.session_state.get(MODELS_KEY)
    if cached and cached.get("base_url") == conn.base_url:
        return list(cached["ids"])
    return []
