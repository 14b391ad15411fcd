"""An upstream that echoes the team key: the page, the history and the export never hold it."""

from __future__ import annotations

import json

from lib.client.errors import redact
from lib.history.entries import export_bytes
from tests.support.app import (
    all_text,
    choice_texts,
    document_data,
    open_sections,
    prompt_box,
    submit,
)

TEAM_KEY = "sk-team-ECHOED-7777-abcdefgh"
REDACTED = "echo *** upper *** start *** end"


def leaks(text: str) -> bool:
    return redact(text, TEAM_KEY) != text  # the key, or 8+ of its first characters, any case


def test_an_echoed_key_is_shown_stored_and_exported_as_stars(make_app, relay, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", TEAM_KEY)
    relay.options["echo_key_text"] = True
    at = open_sections(make_app())  # the menu's snippets and the details are read too
    prompt_box(at).set_value("Say my key")
    submit(at)
    assert relay.last["headers"]["authorization"] == f"Bearer {TEAM_KEY}"
    assert choice_texts(at)[0] == REDACTED
    page = json.dumps(document_data(at)) + all_text(at) + " ".join(c.value for c in at.code)
    assert not leaks(page)
    entry = at.session_state["history"][-1]
    assert entry["response"]["choices"][0]["text"] == REDACTED
    assert not leaks(json.dumps(entry)) and not leaks(export_bytes([entry]).decode())


def test_an_echoed_key_in_a_whole_answer_with_tokens_too(make_app, relay, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", TEAM_KEY)
    relay.options["echo_key_text"] = True
    at = open_sections(make_app())  # the menu's snippets and the details are read too
    at.toggle(key="stream").set_value(False)
    at.selectbox(key="logprobs").set_value(3)
    prompt_box(at).set_value("Say my key")
    submit(at)
    assert relay.last["body"]["stream"] is False
    assert choice_texts(at)[0] == REDACTED
    page = json.dumps(document_data(at)) + all_text(at) + " ".join(c.value for c in at.code)
    page += " ".join(str(j.value) for j in at.json)
    assert not leaks(page)
    assert not leaks(json.dumps(at.session_state["history"][-1]))
