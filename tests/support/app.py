"""AppTest helpers shared by the page tests: the app, submitting, reading what is shown."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.run.model import RUNNING
from lib.ui import keys
from tests.support.paths import APP

__all__ = [
    "APP", "KEY", "all_text", "choice_texts", "document_data", "document_text", "open_sections",
    "plain", "prompt_box", "set_model", "shown", "submit",
]  # fmt: skip
DOCUMENT_COMPONENT = "completions_playground_document"

KEY = "sk-test-SECRET-123"


# The sections and menus drawn only while open (lib/ui/keys.py).
SECTIONS = (
    keys.SHARE_MENU,
    keys.ADVANCED_SECTION,
    keys.SERVER_SAMPLERS_SECTION,
    keys.INJECT_SECTION,
    keys.PRESETS_SECTION,
    keys.RUN_DETAILS,
)


def open_sections(at: AppTest, *names: str) -> AppTest:
    """Open sections drawn only while open (all of them by default), as a click on each
    would, and run: their fields are drawn from then on."""
    for name in names or SECTIONS:
        at.session_state[name] = True
    return at.run()


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
            return json.loads(element.proto.json)[0]  # lib/ui/component_data.py
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


# AppTest runs the app's script; `follow_runs` makes it follow a streaming run to its end as a
# browser does. In a browser the live region's timer draws a run frame by frame, and a frame
# that finds the run ended makes the browser redraw the region (lib/ui/playground/live.py).
# AppTest has no timer and no browser: after each script run that leaves a run unfinished on
# the page, the test waits for the run to end and runs the script again, and once more after
# the run that drew its end. (An autouse fixture: tests/conftest.py imports it.)


def _run_state(at: AppTest) -> tuple | None:
    try:
        run = at.session_state[keys.RUN]
    except KeyError:
        return None
    return None if run is None else (run, run.id, run.recorded)


@pytest.fixture(autouse=True)
def follow_runs(monkeypatch):
    original = AppTest._run

    def run_following(self, widget_state=None, timeout=None):
        before = _run_state(self)
        result = original(self, widget_state, timeout)
        for _ in range(20):
            now = _run_state(self)
            if now is None or (before is not None and now[1:] == before[1:] == (now[1], True)):
                break  # no run, or one whose end an earlier script run drew already
            run = now[0]
            if run.status == RUNNING and run.worker is not None:
                run.worker.done.wait(timeout or self.default_timeout)
            before = now
            result = original(self, self._tree.get_widget_states(), timeout)
        return result

    monkeypatch.setattr(AppTest, "_run", run_following)
