"""AppTest helpers shared by the page tests: the app, submitting, reading what is shown."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from tests.support.paths import APP

__all__ = [
    "APP", "KEY", "all_text", "choice_texts", "document_data", "document_text", "plain",
    "prompt_box", "set_model", "shown", "submit",
]  # fmt: skip
DOCUMENT_COMPONENT = "completions_playground_document"

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


def document_data(at: AppTest) -> dict | None:
    """What the document editor was given to show (None when it is not on the page)."""
    for element in at.get("bidi_component"):
        if element.proto.component_name == DOCUMENT_COMPONENT:
            return json.loads(element.proto.json)
    return None


def document_text(at: AppTest) -> str:
    data = document_data(at)
    assert data is not None, "the document editor is not on the page"
    return "".join(s["text"] for s in data["doc"]["segments"])


def document_completion(at: AppTest) -> str:
    """The model's text in the document (what the editor tints)."""
    data = document_data(at)
    assert data is not None, "the document editor is not on the page"
    return "".join(s["text"] for s in data["doc"]["segments"] if s["kind"] == "model")


class PromptBox:
    """The prompt as a test sets it: the document in text mode, the JSON box otherwise.

    AppTest cannot type into a component; a prompt set in the session is what a share link or
    an import does, and the page takes it into the document the same way.
    """

    def __init__(self, at: AppTest) -> None:
        self.at = at

    def _area(self):
        try:
            return self.at.text_area(key="prompt")
        except KeyError:
            return None

    def set_value(self, value: str) -> AppTest:
        area = self._area()
        if area is not None:
            area.set_value(value)
        else:
            self.at.session_state["prompt"] = value
        return self.at

    input = set_value

    @property
    def value(self) -> str:
        area = self._area()
        return area.value if area is not None else document_text(self.at)


def prompt_box(at: AppTest) -> PromptBox:
    return PromptBox(at)


def choice_texts(at: AppTest) -> list[str]:
    """Each choice's text: the document's completion first (text mode), then the cards."""
    cards = [
        c.value
        for c in at.code
        if c.language == "plaintext" and not c.value.startswith(("/?", "http"))
    ]
    data = document_data(at)
    if data is None or not any(s["kind"] == "model" for s in data["doc"]["segments"]):
        return cards
    return [document_completion(at), *cards]


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
