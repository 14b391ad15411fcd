"""AppTest helpers shared by the page tests: the app, submitting, reading what is shown."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from tests.support.paths import APP

__all__ = ["APP", "KEY", "all_text", "choice_texts", "plain", "set_model", "shown", "submit"]

KEY = "sk-test-SECRET-123"


def submit(at: AppTest) -> AppTest:
    at.button(key="btn_submit").click().run()
    assert not at.exception, at.exception
    return at


def set_model(at: AppTest, model: str) -> None:
    # AppTest's selectbox cannot type a new option as a browser can; list it first.
    picker = at.selectbox(key="model")
    picker.options.append(model)
    picker.set_value(model)
    at.run()


def choice_texts(at: AppTest) -> list[str]:
    """The completion boxes: plain-text code blocks other than the share link."""
    return [
        c.value
        for c in at.code
        if c.language == "plaintext" and not c.value.startswith(("/?", "http"))
    ]


def plain(markdown: str) -> str:
    """What a reader sees of escaped markdown: the text without its backslash escapes."""
    # Untrusted text carries word joiners that stop Markdown from autolinking URLs.
    return re.sub(r"\\(.)", r"\1", str(markdown)).replace("\u2060", "")


def shown(elements) -> str:
    return " ".join(plain(e.value) for e in elements)


def all_text(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "error", "warning", "info", "success")
        for e in getattr(at, kind)
    ]
    return "\n".join(plain(p) for p in parts)
