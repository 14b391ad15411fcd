"""The history page under AppTest: listing, filters, reopen, delete, clear, export, import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from lib.history import FORMAT_NAME, export_bytes
from tests.test_playground_app import APP, plain, set_model, submit

KEY = "sk-history-SECRET-42"
HISTORY = "pages/history.py"


@pytest.fixture
def app(relay, monkeypatch) -> AppTest:
    """The app after three runs: ok (temperature 0.2), error, ok with another prompt."""
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    at.text_area(key="prompt").set_value("alpha prompt")
    at.slider(key="temperature").set_value(0.2)
    submit(at)
    set_model(at, "scenario/http_500")
    at.text_area(key="prompt").set_value("gamma prompt")
    submit(at)
    set_model(at, "fake-instruct")
    at.text_area(key="prompt").set_value("beta prompt")
    submit(at)
    at.switch_page(HISTORY).run()
    assert not at.exception
    return at


def labels(at: AppTest) -> list[str]:
    return [plain(e.label) for e in at.expander]


def test_lists_newest_first_with_status_model_and_prompt(app):
    rows = labels(app)
    assert len(rows) == 3
    assert "beta prompt" in rows[0] and "fake-instruct" in rows[0] and " done " in f" {rows[0]} "
    assert "scenario/http_500" in rows[1] and "failed" in rows[1] and "gamma" in rows[1]
    assert "alpha prompt" in rows[2] and "gpt-3.5-turbo-instruct" in rows[2]
    assert "3 runs" in app.caption[0].value


def test_entry_shows_request_response_and_text(app, relay):
    codes = [c.value for c in app.code]
    assert relay.expected_text(relay.received[2]["body"]) in codes
    assert any('"prompt": "beta prompt"' in c for c in codes)
    assert any("HTTP 500" in plain(e.value) for e in app.error)


def test_filter_by_text_model_and_status(app):
    app.text_input(key="history_search").set_value("ALPHA").run()
    assert len(labels(app)) == 1 and "alpha prompt" in labels(app)[0]
    app.text_input(key="history_search").set_value("").run()
    app.multiselect(key="history_statuses").set_value(["error"]).run()
    assert len(labels(app)) == 1 and "http_500" in labels(app)[0]
    app.multiselect(key="history_statuses").set_value([]).run()
    app.multiselect(key="history_models").set_value(["fake-instruct"]).run()
    assert len(labels(app)) == 1 and "beta" in labels(app)[0]
    app.text_input(key="history_search").set_value("nothing like this").run()
    assert "No run matches the filter." in [i.value for i in app.info]


def test_open_in_playground_loads_the_request(app, relay):
    oldest = app.session_state["history"][0]
    app.button(key=f"open_{oldest['id']}").click().run()
    assert not app.exception
    assert app.text_area(key="prompt").value == "alpha prompt"
    assert app.slider(key="temperature").value == 0.2
    assert app.selectbox(key="model").value == "gpt-3.5-turbo-instruct"
    # AppTest keeps returning to the page it was last told to open; follow st.switch_page.
    app.switch_page("pages/playground.py").run()
    assert app.text_area(key="prompt").value == "alpha prompt"
    submit(app)
    assert relay.last["body"] == relay.received[0]["body"]


def test_delete_one_entry(app):
    entry = app.session_state["history"][1]
    app.button(key=f"del_{entry['id']}").click().run()
    assert len(labels(app)) == 2
    assert entry["id"] not in [e["id"] for e in app.session_state["history"]]
    assert "Entry deleted." in [s.value.replace("\\", "") for s in app.success]


def test_clear_asks_first(app):
    app.button(key="clear").click().run()
    assert len(labels(app)) == 3  # nothing deleted until confirmed
    app.button(key="clear_cancel").click().run()
    assert len(labels(app)) == 3
    app.button(key="clear").click().run()
    app.button(key="clear_confirm").click().run()
    assert labels(app) == []
    assert app.session_state["history"] == []
    assert any("No runs yet" in i.value for i in app.info)


def test_download_all_round_trips_and_never_holds_the_key(app):
    # AppTest discards the media store after each run; the browser test downloads the file.
    assert not app.download_button(key="download_all").disabled
    data = export_bytes(app.session_state["history"])
    assert KEY.encode() not in data
    assert b"Authorization" not in data and b"Bearer" not in data
    doc = json.loads(data)
    assert doc["format"] == FORMAT_NAME and len(doc["entries"]) == 3
    assert doc["entries"] == app.session_state["history"]


def test_import_merges_and_skips_duplicates(app):
    history = app.session_state["history"]
    extra = {**history[0], "id": "imported-1", "created_at": "2020-01-01T00:00:00+00:00"}
    data = export_bytes([*history, extra])
    app.file_uploader[0].upload("history.json", data, "application/json").run()
    assert not app.exception
    assert "Imported 1 entries; 3 already present were skipped." in plain(app.success[0].value)
    assert len(app.session_state["history"]) == 4
    assert app.session_state["history"][0]["id"] == "imported-1"  # oldest first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"not json at all", "not JSON"),
        (json.dumps({"format": FORMAT_NAME, "version": 9, "entries": []}).encode(), "version 9"),
        (json.dumps({"format": "x", "version": 1, "entries": []}).encode(), "not a history"),
        (
            json.dumps({"format": FORMAT_NAME, "version": 1, "entries": [{"id": 1}]}).encode(),
            "Entry 1",
        ),
        (b" " * (21 * 1024 * 1024), "too large"),
    ],
)
def test_bad_import_changes_nothing(app, data, message):
    before = list(app.session_state["history"])
    app.file_uploader[0].upload("bad.json", data, "application/json").run()
    assert not app.exception
    errors = " ".join(plain(e.value) for e in app.error)
    assert "Nothing was imported" in errors and message in errors
    assert app.session_state["history"] == before


def test_many_entries_are_paginated(app):
    history = app.session_state["history"]
    many = [
        {**history[0], "id": f"bulk-{i}", "created_at": f"2021-01-01T00:00:{i % 60:02d}+00:00"}
        for i in range(45)
    ]
    app.file_uploader[0].upload("bulk.json", export_bytes(many), "application/json").run()
    assert len(labels(app)) == 20
    app.number_input(key="history_page").set_value(3).run()
    assert len(labels(app)) == 8  # 48 entries: 20 + 20 + 8


def test_history_is_capped(app, monkeypatch):
    monkeypatch.setattr("lib.ui.history_store.HISTORY_LIMIT", 4)
    history = app.session_state["history"]
    more = [{**history[0], "id": f"x{i}", "created_at": f"2030-01-0{i + 1}T00:00:00+00:00"}
            for i in range(3)]  # fmt: skip
    app.file_uploader[0].upload("more.json", export_bytes(more), "application/json").run()
    assert len(app.session_state["history"]) == 4
    assert "2 older were dropped" in " ".join(i.value for i in app.info)


def test_module_docstring_documents_the_format():
    doc = Path(__file__).resolve().parent.parent / "README.md"
    assert FORMAT_NAME in doc.read_text()


@pytest.mark.parametrize(
    "odd",
    [
        {"error": {"code": 5, "retry_after": "soon", "status": "500", "message": ":red[x]"}},
        {"error": {"key": "nope"}},
        {"error": {"key": "client.dns"}},
        {"error": {"key": "client.dns", "params": [1]}},
        {"created_at": "0001-01-01T00:00:00+14:00"},
        {"id": "![px](http://127.0.0.1:9/p.png) :red[RED-ID]"},
    ],
)
def test_odd_but_valid_imports_never_break_the_page(app, odd):
    entry = {**app.session_state["history"][0], "id": "odd-1", **odd}
    app.file_uploader[0].upload("odd.json", export_bytes([entry]), "application/json").run()
    assert not app.exception
    app.run()
    assert not app.exception
    page_markdown = " ".join(str(e.value) for e in (*app.caption, *app.error))
    assert not re.search(r"(?<!\\)(!\[|:red)", page_markdown)


def test_unreadable_timings_are_refused(app):
    entry = {**app.session_state["history"][0], "id": "odd-2", "timings": {"total_s": 10**400}}
    app.file_uploader[0].upload("odd.json", export_bytes([entry]), "application/json").run()
    assert "Nothing was imported" in plain(app.error[0].value)


def test_open_in_playground_explains_fields_it_could_not_load(app):
    entry = {**app.session_state["history"][0], "id": "odd-3"}
    entry["request"] = {**entry["request"], "n": 500, "temperature": "hot"}
    app.file_uploader[0].upload("odd.json", export_bytes([entry]), "application/json").run()
    app.button(key="open_odd-3").click().run()
    warning = " ".join(plain(w.value) for w in app.warning)
    assert "Some fields could not be loaded" in warning and "n: 500" in warning
    assert app.number_input(key="n").value == 1
