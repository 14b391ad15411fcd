"""Presets: save, open, rename, delete, export/import round trip, built-ins and links."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.request.presets import export_bytes, parse_import, renamed, saved_with
from lib.ui import keys
from tests.support.app import all_text, document_text, open_sections, prompt_box, submit


@pytest.fixture
def app(make_app) -> AppTest:
    return open_sections(make_app(), keys.PRESETS_SECTION)  # the section, as a click opens it


def saved(at: AppTest) -> list[dict]:
    return at.session_state["_kept_presets_store"]


def test_save_then_open_restores_the_request_and_the_document(app, relay):
    prompt_box(app).set_value("Dear diary,")
    app.number_input(key="max_tokens").set_value(42)
    app.slider(key="temperature").set_value(0.3)
    app.text_input(key="preset_name").set_value("Diary")
    app.checkbox(key="preset_with_document").check()
    app.button(key="preset_save").click().run()
    (item,) = saved(app)
    assert item["name"] == "Diary" and item["document"] == "Dear diary,"
    assert item["request"]["max_tokens"] == 42 and "prompt" not in item["request"]
    # Change everything, then open the preset: what was saved is what is sent.
    app.number_input(key="max_tokens").set_value(7)
    app.slider(key="temperature").set_value(1.5)
    prompt_box(app).set_value("Something else").run()
    # A sidebar field reruns only the sidebar and the live region; AppTest's tree then holds
    # only theirs (a browser keeps the rest on screen): one whole run shows the Presets too.
    app.run()
    app.selectbox(key="preset_pick").set_value("Diary")
    app.button(key="preset_open").click().run()
    assert document_text(app) == "Dear diary,"
    submit(app)
    body = relay.last["body"]
    assert (body["max_tokens"], body["temperature"], body["prompt"]) == (42, 0.3, "Dear diary,")


def test_a_preset_without_the_document_keeps_the_current_one(app, relay):
    app.number_input(key="max_tokens").set_value(11)
    app.text_input(key="preset_name").set_value("Short")
    app.button(key="preset_save").click().run()
    prompt_box(app).set_value("Keep me").run()
    app.selectbox(key="preset_pick").set_value("Short")
    app.button(key="preset_open").click().run()
    assert document_text(app) == "Keep me"
    assert app.number_input(key="max_tokens").value == 11


def test_rename_delete_and_export_import_round_trip(app):
    app.text_input(key="preset_name").set_value("One")
    app.button(key="preset_save").click().run()
    app.text_input(key="preset_name").set_value("Two")
    app.button(key="preset_rename").click().run()
    assert [p["name"] for p in saved(app)] == ["Two"]
    exported = export_bytes(saved(app)).decode()
    app.button(key="preset_delete").click().run()
    assert saved(app) == []
    app.text_area(key="preset_import").set_value(exported)
    app.button(key="preset_import_button").click().run()
    assert [p["name"] for p in saved(app)] == ["Two"]
    assert "Imported 1 preset." in all_text(app)
    app.text_area(key="preset_import").set_value('[{"name": ""}]')
    app.button(key="preset_import_button").click().run()
    assert "Preset 1 needs a name" in " ".join(e.value for e in app.error)


def test_pure_helpers():
    from lib.request.presets import BUILT_IN
    from tests.support.seed import SEED_EXAMPLE

    assert BUILT_IN["relay-example"]["request"] == SEED_EXAMPLE  # the relay docs' example first
    assert next(iter(BUILT_IN)) == "relay-example"
    one = {"name": "a", "request": {"model": "m"}, "document": None}
    assert saved_with([one], {**one, "document": "x"}) == [{**one, "document": "x"}]
    assert renamed([one], "a", "b")[0]["name"] == "b"
    assert parse_import(json.dumps([one])) == ([one], [])
    assert parse_import("{")[1][0].key == "preset.not_json"


def test_the_relay_example_opens_from_a_link_and_is_sent_as_documented(make_app, relay):
    app = make_app({"preset": "relay-example"})
    assert document_text(app) == "Say this is a test"
    submit(app)
    assert relay.last["body"] == {
        "model": "gpt-3.5-turbo-instruct", "prompt": "Say this is a test", "max_tokens": 7,
        "temperature": 0.0, "top_p": 1.0, "n": 1, "stream": False, "stop": "\n",
    }  # fmt: skip


def test_built_in_presets_read_in_chinese(make_app):
    app = open_sections(make_app({"lang": "zh"}), keys.PRESETS_SECTION)
    options = app.selectbox(key="preset_pick").options  # as the reader sees them
    assert options[0] == "示例：中转文档中的请求（Say this is a test）"
    assert "示例：写诗（中文）" in options
