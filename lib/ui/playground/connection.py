"""Sidebar: which server to talk to, the key, and a connection test."""

from __future__ import annotations

import streamlit as st

from lib import local
from lib.client import ApiError, Endpoint, list_models
from lib.config.connection import (
    LOCAL,
    SAVED_LIMIT,
    Connection,
    is_loopback,
    key_problem,
    local_connection,
    resolve,
    url_problem,
)
from lib.config.settings import MAX_RESPONSE_BYTES
from lib.config.text import escape_markdown
from lib.config.urls import host_of
from lib.i18n import Message
from lib.request.fields import DEFAULTS
from lib.ui import keys
from lib.ui.describe import describe
from lib.ui.playground.local_model import ensure_ready, local_server
from lib.ui.shell.lang import current, tr
from lib.ui.shell.secrets import app_settings
from lib.ui.storage import connection_store

MODELS_KEY = keys.MODELS  # session-only: ids from /v1/models, per base URL
_EDITED = keys.CONNECTION_EDITED  # set once the base URL or key was typed in this session
SERVER = "server"
_KIND_LABELS = {LOCAL: "conn.kind.local", SERVER: "conn.kind.server"}
INSTALL_LOCAL = "pip install -r requirements.txt -r requirements-local.txt"
MODEL = connection_store.MODEL


def connection_section() -> Connection:
    """Draw the Connection section (in the sidebar's fragment) and return the connection.

    A change the rest of the page depends on (server, key, kind) reruns the whole page from its
    callback; the browser's remembered connection reruns only the sidebar and the live region.
    """
    settings = app_settings()
    state = st.session_state
    connection_store.mirror(_page_acts_on_answer)  # before the widgets: a reload restores them
    offered = local.offers_local(settings, local.installed())
    if offered and state.get(keys.CONNECTION_KIND) not in (LOCAL, SERVER):
        default = local.default_is_local(
            settings, local.installed(), state.get(keys.BASE_URL), state.get(keys.API_KEY)
        )
        state[keys.CONNECTION_KIND] = LOCAL if default else SERVER
    use_local = _local_in_use()
    locked = settings.lock_base_url
    sidebar_url = None if locked else state.get(keys.BASE_URL)
    ready = current_connection()
    # Streamlit re-applies `expanded` whenever it changes, so it must not flip while someone
    # fills the section in: once edited, it stays open (Enter in Base URL used to close it).
    expanded = state.get(_EDITED, False) or (not use_local and missing_key_note(ready) is not None)
    # The sidebar's header names the current connection; the section's title stays put.
    st.caption(tr("conn.current", name=escape_markdown(_current_name(use_local, ready))))
    with st.expander(tr("conn.title"), expanded=expanded):
        if offered:
            st.radio(
                tr("conn.kind"), [LOCAL, SERVER], key=keys.CONNECTION_KIND,
                format_func=lambda kind: tr(_KIND_LABELS[kind]), on_change=_edited,
                args=(keys.CONNECTION_KIND,),
            )  # fmt: skip
        if use_local:
            conn = ready
            st.caption(tr("conn.local_note", url=escape_markdown(conn.base_url)))
        else:
            conn = _server_fields(settings, locked, sidebar_url)
        if st.button(tr("conn.test"), key="test_connection", width="stretch"):
            _test(conn)
    _follow_model(use_local)
    return conn


def page_notes() -> None:
    """What the connection shows on the page itself: the local model starting, or how to get
    a first answer. Drawn before the sidebar, so the model box follows a model that just
    became ready in the same run."""
    settings = app_settings()
    installed = local.installed()
    if local.offers_local(settings, installed):
        local_server()  # made once per app server, which ends any server a killed app left
    # Not before the browser said which connection it remembers: the model costs 400 MB and
    # seconds of CPU, for nothing when the browser goes on with a server.
    connection_store.take_answer()  # (drawn before the sidebar, which would take it)
    if _local_in_use() and connection_store.answered():
        ensure_ready()
    due = _get_started_due()
    st.session_state[keys.GET_STARTED_SHOWN] = due
    if due:
        _get_started()


def current_connection() -> Connection:
    """The connection the sidebar describes now (what a request is sent with)."""
    state = st.session_state
    settings = app_settings()
    if _local_in_use():
        return local_connection(local_server().base_url)
    sidebar_url = None if settings.lock_base_url else state.get(keys.BASE_URL)
    return resolve(sidebar_url, state.get(keys.API_KEY), settings)


def _local_in_use() -> bool:
    """Whether the local model is the connection in use."""
    offered = local.offers_local(app_settings(), local.installed())
    return offered and st.session_state.get(keys.CONNECTION_KIND) == LOCAL


def _get_started_due() -> bool:
    settings = app_settings()
    return not local.installed() and not local.configured(settings) and not _typed_anything()


def _page_acts_on_answer() -> bool:
    """Whether the browser's answer changes the page outside the sidebar and the live region:
    the local model starts now, or the box on how to get started comes or goes."""
    state = st.session_state
    return _local_in_use() or bool(state.get(keys.GET_STARTED_SHOWN)) != _get_started_due()


def _connection_input(label: str, help_text: str, key: str, **options) -> None:
    """A Connection text box: kept across pages, and keeping the section open once edited."""
    st.text_input(
        label, key=key, help=help_text, persist_state="session", on_change=_edited,
        args=(key,), **options,
    )  # fmt: skip


def _server_fields(settings, locked: bool, sidebar_url: str | None) -> Connection:
    state = st.session_state
    if not locked:
        _connection_input(
            tr("conn.base_url"), tr("conn.base_url_help"), keys.BASE_URL,
            placeholder=settings.base_url,
        )  # fmt: skip
    _connection_input(
        tr("conn.api_key"), tr("conn.api_key_help"), keys.API_KEY, type="password",
        placeholder="sk-…",
    )  # fmt: skip
    st.checkbox(
        tr("conn.remember_key"),
        key=keys.REMEMBER_KEY,
        help=tr("conn.remember_key_help"),
        on_change=_edited,
        args=(keys.REMEMBER_KEY,),
    )
    st.caption(tr("conn.remember_key_help"))
    conn = resolve(sidebar_url, state.get(keys.API_KEY), settings)
    if locked:
        st.caption(tr("conn.locked", host=escape_markdown(host_of(conn.base_url))))
    elif conn.base_url_source != "sidebar":
        st.caption(tr("conn.url_from", source=tr(f"conn.source.{conn.base_url_source}")))
    if conn.key_withheld:
        st.caption(tr("conn.key_withheld"))
    if conn.api_key_source in ("secrets", "environment"):
        st.caption(tr("conn.key_from", source=tr(f"conn.source.{conn.api_key_source}")))
    if not locked:
        _saved_connections()
    return conn


def _saved_connections() -> None:
    names = [entry["name"] for entry in connection_store.saved()]
    if names:
        st.selectbox(
            tr("conn.saved"), names, index=None, key=keys.SAVED_PICK,
            placeholder=tr("conn.saved_none"), on_change=_switch_to_saved,
        )  # fmt: skip
    st.text_input(tr("conn.save_name"), key=keys.SAVE_NAME, on_change=_forget_question)
    replacing = st.session_state.get(keys.CONFIRM_REPLACE)
    if replacing:
        st.warning(tr("conn.replace_ask", name=escape_markdown(replacing)))
        cols = st.columns(2)
        cols[0].button(tr("conn.replace"), key="replace_connection", on_click=_replace_confirmed)
        cols[1].button(
            tr("conn.replace_cancel"), key="cancel_replace_connection", on_click=_forget_question
        )
        return
    cols = st.columns(2)
    cols[0].button(tr("conn.save"), key="save_connection", on_click=_save_current)
    if names:
        cols[1].button(tr("conn.delete"), key="delete_connection", on_click=_delete_picked)


def _switch_to_saved() -> None:
    state = st.session_state
    entry = _saved_named(state.get(keys.SAVED_PICK))
    if entry is None:
        return
    state[keys.CONNECTION_KIND] = SERVER
    state[keys.BASE_URL] = entry["base_url"]
    state[keys.API_KEY] = entry.get("api_key", "")
    state[keys.REMEMBER_KEY] = bool(entry.get("api_key"))
    # The name box names what is picked: Save then updates this entry, never the one before.
    state[keys.SAVE_NAME] = entry["name"]
    state.pop(keys.CONFIRM_REPLACE, None)
    if entry.get("model"):
        state[MODEL] = state[keys.SERVER_MODEL] = entry["model"]
    _edited()


def _entry_to_save() -> dict | None:
    """The saved-connection entry the sidebar describes, or None without a name or a URL."""
    state = st.session_state
    name = (state.get(keys.SAVE_NAME) or "").strip()
    url = (state.get(keys.BASE_URL) or "").strip()
    if not name or not url:
        return None
    entry = {"name": name, "base_url": url}
    key = state.get(keys.API_KEY)
    if state.get(keys.REMEMBER_KEY) and isinstance(key, str) and key.strip():
        entry["api_key"] = key.strip()  # only a typed key, and only when asked to remember it
    model = state.get(MODEL)
    if isinstance(model, str) and model.strip():
        entry["model"] = model
    return entry


def _save_current() -> None:
    """Save under the typed name; a different entry of that name is replaced only when confirmed."""
    entry = _entry_to_save()
    if entry is None:
        return
    existing = _saved_named(entry["name"])
    if existing is not None and existing != entry:
        st.session_state[keys.CONFIRM_REPLACE] = entry["name"]
        return
    _store_entry(entry)


def _replace_confirmed() -> None:
    entry = _entry_to_save()
    asked = st.session_state.pop(keys.CONFIRM_REPLACE, None)
    # The question was about one name: if the box now says another, nothing is replaced.
    if entry is not None and entry["name"] == asked:
        _store_entry(entry)


def _forget_question() -> None:
    st.session_state.pop(keys.CONFIRM_REPLACE, None)


def _store_entry(entry: dict) -> None:
    state = st.session_state
    others = [e for e in connection_store.saved() if e["name"] != entry["name"]]
    state[keys.SAVED_CONNECTIONS] = [*others, entry][-SAVED_LIMIT:]
    state[keys.SAVED_PICK] = entry["name"]
    _edited()


def _delete_picked() -> None:
    state = st.session_state
    name = state.get(keys.SAVED_PICK)
    state[keys.SAVED_CONNECTIONS] = [e for e in connection_store.saved() if e["name"] != name]
    state[keys.SAVED_PICK] = None
    if name and state.get(keys.SAVE_NAME) == name:
        state[keys.SAVE_NAME] = ""
    _forget_question()
    _edited()


def _saved_named(name: str | None) -> dict | None:
    return next((e for e in connection_store.saved() if e["name"] == name), None)


def _follow_model(use_local: bool) -> None:
    """Keep the model box with the connection, so what it shows is what is sent.

    The local model: the id its server lists (its alias), whatever the box held. A server: the
    model last used with it, kept aside while the local model was in use.
    """
    state = st.session_state
    if not connection_store.answered():
        return  # the browser may still name another connection, and its model
    kind, before = (LOCAL if use_local else SERVER), state.get(keys.MODEL_KIND)
    if use_local:
        ids = local_server().models()
        if not ids:
            return  # not ready yet: the box changes once the server lists its models
        if before != LOCAL:
            if before == SERVER:
                state[keys.SERVER_MODEL] = state.get(MODEL)
            state[MODEL] = ids[0]
        elif state.get(MODEL) not in ids:
            state[MODEL] = ids[0]
    elif before == LOCAL:
        state[MODEL] = state.get(keys.SERVER_MODEL) or DEFAULTS[MODEL]
    state[keys.MODEL_KIND] = kind


def _current_name(use_local: bool, conn: Connection) -> str:
    """The sidebar header's name for the connection: the local model, a saved name, a host."""
    if use_local:
        return tr("conn.kind.local")
    for entry in connection_store.saved():
        if entry["base_url"].strip().rstrip("/") == conn.base_url.rstrip("/"):
            return entry["name"]
    return host_of(conn.base_url) or conn.base_url


def _typed_anything() -> bool:
    state = st.session_state
    values = (state.get(keys.BASE_URL), state.get(keys.API_KEY))
    return any(isinstance(value, str) and value.strip() for value in values)


def _get_started() -> None:
    """Nothing configured and no local model: the two ways to a first answer."""
    with st.container(border=True):
        st.subheader(tr("start.title"))
        st.markdown(tr("start.server"))
        st.markdown(tr("start.local"))
        st.code(INSTALL_LOCAL, language="bash")


def _edited(name: str | None = None) -> None:
    """Connection widget `name` (None: an action on the section) changed what is sent: the
    whole page follows (a sidebar widget would otherwise rerun only the sidebar's fragment)."""
    if name is not None and connection_store.stale_echo(name):
        st.rerun(scope=[keys.SIDEBAR, keys.LIVE])  # it shows the restored value again
    st.session_state[_EDITED] = True
    st.rerun()


def missing_key_note(conn: Connection) -> Message | None:
    """Why no request may be sent, or None when one may."""
    if conn.base_url_source == LOCAL:
        if local_server().alive():
            return None
        return Message("local.not_ready" if connection_store.answered() else "local.starting")
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
        st.error(escape_markdown(tr("conn.failed", error=describe(err, current()))))
        return
    st.session_state[MODELS_KEY] = {"base_url": conn.base_url, "ids": models}
    st.success(tr("conn.ok", count=len(models)))


def known_models(conn: Connection) -> list[str]:
    """Model ids fetched for this base URL in this session (the local server's own), if any."""
    if conn.base_url_source == LOCAL:
        return local_server().models()
    cached = st.session_state.get(MODELS_KEY)
    if cached and cached.get("base_url") == conn.base_url:
        return list(cached["ids"])
    return []
