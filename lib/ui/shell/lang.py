"""This session's interface language: the browser's on first visit, or the reader's choice."""

from __future__ import annotations

from typing import Any

import streamlit as st

from lib.i18n import LANGUAGES, Message, language_for_locale, t, texts
from lib.ui import keys

LANGUAGE_KEY = keys.LANGUAGE  # the picker's widget key
LANGUAGE_PARAM = "lang"  # the share-link parameter, present only when the sender chose
_CHOSEN = keys.LANGUAGE_CHOSEN  # set when the reader picked a language themselves
_LINK_READ = keys.LANGUAGE_LINK_READ


def current() -> str:
    """The session's language; the first time, from the browser's locale."""
    state = st.session_state
    if state.get(LANGUAGE_KEY) not in LANGUAGES:
        state[LANGUAGE_KEY] = language_for_locale(st.context.locale)
    return state[LANGUAGE_KEY]


def tr(key: str, /, **params: Any) -> str:
    """The message `key` in this session's language."""
    return t(current(), key, **params)


def tr_all(messages: list[Message]) -> str:
    return texts(current(), messages)


def chosen() -> str | None:
    """The language if the reader chose it (only then does a share link carry it)."""
    return current() if st.session_state.get(_CHOSEN) else None


def choose(lang: str) -> None:
    """Set the language as the reader's own choice (from the picker or a link)."""
    if lang in LANGUAGES:
        st.session_state[LANGUAGE_KEY] = lang
        st.session_state[_CHOSEN] = True


def apply_link_language() -> None:
    """On a session's first run, take the language a share link names (before any widget)."""
    if st.session_state.get(_LINK_READ):
        return
    st.session_state[_LINK_READ] = True
    choose(st.query_params.get(LANGUAGE_PARAM, ""))


def _picked() -> None:
    st.session_state[_CHOSEN] = True


def language_picker() -> None:
    current()
    st.sidebar.selectbox(
        t(current(), "language.label"),
        list(LANGUAGES),
        key=LANGUAGE_KEY,
        format_func=LANGUAGES.get,
        on_change=_picked,
        persist_state="session",
    )
