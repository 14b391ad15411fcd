"""The history page under AppTest: listing, filters, reopen, delete, clear, export, import."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from lib.history.entries import FORMAT_NAME, export_bytes
from tests.support.app import (
    APP,
    document_completion,
    document_text,
    plain,
    prompt_box,
    set_model,
    shown,
    submit,
)

KEY = "sk-history-SECRET-42"
HISTORY = "pages/history.py"
PASTE = "history_import_text_0"  # the import box for pasted text (renewed after an import)


@pytest.fixture
def app(relay, monkeypatch) -> AppTest:
    """The app after three runs: ok (temperature 0.2), error, ok with another prompt."""
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    prompt_box(at).set_value("alpha prompt")
    at.slider(key="temperature").set_value(0.2)
    submit(at)
    set_model(at, "scenario/http_500")
    prompt_box(at).set_value("gamma prompt")
    submit(at)
    set_model(at, "fake-instruct")
    prompt_box(at).set_value("beta prompt")
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
    assert prompt_box(app).value == "alpha prompt"
    assert app.slider(key="temperature").value == 0.2
    assert app.selectbox(key="model").value == "gpt-3.5-turbo-instruct"
    # AppTest keeps returning to the page it was last told to open; follow st.switch_page.
    app.switch_page("pages/playground.py").run()
    assert prompt_box(app).value == "alpha prompt"
    submit(app)
    assert relay.last["body"] == relay.received[0]["body"]


def test_open_with_completion_loads_prompt_and_completion_as_the_document(app, relay):
    oldest = app.session_state["history"][0]
    completion = relay.expected_text(relay.received[0]["body"])
    errored = next(e for e in app.session_state["history"] if e["status"] == "error")
    assert f"open_doc_{errored['id']}" not in [b.key for b in app.button]  # nothing came back
    app.button(key=f"open_doc_{oldest['id']}").click().run()
    app.switch_page("pages/playground.py").run()
    assert not app.exception
    assert document_text(app) == "alpha prompt" + completion
    assert document_completion(app) == completion
    app.button(key="btn_undo").click().run()  # the completion is the document's last one
    assert document_text(app) == "alpha prompt"


def test_stopped_and_failed_runs_open_with_their_partial_completion(relay, monkeypatch):
    # Issue #18: what arrived before a failure or a stop is what one continues from.
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    monkeypatch.setenv("MAX_OUTPUT_CHARS", "2000")
    at = AppTest.from_file(APP, default_timeout=30)
    at.run()
    prompt_box(at).set_value("broken prompt")
    set_model(at, "scenario/stream_error_object")
    submit(at)
    relay.options["endless"] = True  # cut at the output limit: a stopped run
    prompt_box(at).set_value("endless prompt")
    set_model(at, "fake-instruct")
    submit(at)
    at.switch_page(HISTORY).run()
    failed, stopped = at.session_state["history"]
    assert (failed["status"], stopped["status"]) == ("error", "stopped")
    keys = [b.key for b in at.button]
    assert f"open_doc_{failed['id']}" in keys and f"open_doc_{stopped['id']}" in keys
    partial = failed["response"]["choices"][0]["text"]
    assert partial
    at.button(key=f"open_doc_{failed['id']}").click().run()
    at.switch_page("pages/playground.py").run()
    assert not at.exception
    assert document_text(at) == "broken prompt" + partial
    assert document_completion(at) == partial


def successes(at: AppTest) -> list[str]:
    return [plain(s.value) for s in at.success]


def test_delete_one_entry(app):
    entry = app.session_state["history"][1]
    app.button(key=f"del_{entry['id']}").click().run()
    assert len(labels(app)) == 2
    assert entry["id"] not in [e["id"] for e in app.session_state["history"]]
    assert successes(app) == ["Entry deleted."]


def test_a_confirmation_stays_until_the_next_action(app):
    entry = app.session_state["history"][1]
    app.button(key=f"del_{entry['id']}").click().run()
    # The browser-storage mirror acknowledges the change with reruns of its own.
    app.run()
    app.run()
    assert successes(app) == ["Entry deleted."]
    app.text_input(key="history_search").set_value("prompt").run()  # the next action
    assert successes(app) == []


@pytest.mark.parametrize("action", ["status filter", "page switch", "open", "clear"])
def test_any_next_action_ends_the_confirmation(app, action):
    entry = app.session_state["history"][0]
    app.button(key=f"del_{entry['id']}").click().run()
    assert successes(app) == ["Entry deleted."]
    if action == "status filter":
        app.multiselect(key="history_statuses").set_value(["ok"]).run()
    elif action == "page switch":
        app.switch_page("pages/playground.py").run()
        app.switch_page(HISTORY).run()
    elif action == "open":
        app.button(key=f"open_{app.session_state['history'][0]['id']}").click().run()
        app.switch_page(HISTORY).run()
    else:
        app.button(key="clear").click().run()
    assert not app.exception
    assert successes(app) == []


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
    app.run()
    assert successes(app) == ["History cleared."]  # still there on the next run


def test_import_into_an_empty_history_is_confirmed(app):
    data = export_bytes(app.session_state["history"])
    app.button(key="clear").click().run()
    app.button(key="clear_confirm").click().run()
    app.file_uploader[0].upload("history.json", data, "application/json").run()
    assert not app.exception
    assert successes(app) == ["Imported 3 entries."]
    app.run()
    assert successes(app) == ["Imported 3 entries."]
    assert len(labels(app)) == 3 and all(label.startswith("Imported · ") for label in labels(app))


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
    assert successes(app) == ["Imported 1 entry. 3 already present were skipped."]
    assert len(app.session_state["history"]) == 4
    assert app.session_state["history"][0]["id"] == "imported-1"  # oldest first
    assert app.session_state["history"][0]["imported"] is True
    assert not any(e.get("imported") for e in app.session_state["history"][1:])
    assert labels(app)[-1].startswith("Imported · ") and labels(app)[0].startswith("20")


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
        (b'{"format": ' + b"1" * 5000 + b"}", "a number has more than 4300 digits"),
        (b"[" * 100_000, "nested too deeply"),
        (
            # One good entry and one bad: all or nothing.
            json.dumps(
                {
                    "format": FORMAT_NAME,
                    "version": 1,
                    "entries": [
                        {"id": "good", "created_at": "2020-01-01T00:00:00+00:00", "base_url": "x",
                         "request": {}, "status": "ok", "timings": {}},
                        {"id": "bad", "created_at": "2020-01-01T00:00:00+00:00", "base_url": "x",
                         "request": {}, "status": "ok", "timings": {}, "stats": []},
                    ],
                }
            ).encode(),
            "Entry 2: 'stats' has the wrong type.",
        ),
    ],
    ids=["text", "version", "format", "entry", "size", "digits", "depth", "all-or-nothing"],
)  # fmt: skip
@pytest.mark.parametrize("how", ["file", "paste"])
def test_bad_import_changes_nothing(app, data, message, how):
    before = list(app.session_state["history"])
    import_history(app, data, how)
    assert not app.exception
    errors = " ".join(plain(e.value) for e in app.error)
    assert "Nothing was imported" in errors and message in errors
    assert app.session_state["history"] == before
    if how == "paste":  # nothing lost: the text stays to be corrected
        assert app.text_area(key=PASTE).value == data.decode()


def import_history(at: AppTest, data: bytes, how: str) -> None:
    """Import `data` as a file upload, or pasted as text into the import box."""
    if how == "file":
        at.file_uploader[0].upload("history.json", data, "application/json").run()
    else:
        at.text_area(key=PASTE).set_value(data.decode())
        at.button(key="import_pasted").click().run()


def test_pasted_history_is_imported_and_the_box_emptied(app):
    # Issue #18: pasted text needs no upload, so server.maxUploadSize can stay small.
    history = app.session_state["history"]
    request = {**history[0]["request"], "prompt": "x" * 3_000_000}  # over the 2 MB upload limit
    big = {**history[0], "id": "big-1", "created_at": "2020-01-01T00:00:00+00:00"}
    big["request"] = request
    import_history(app, export_bytes([*history, big]), "paste")
    assert not app.exception
    assert successes(app) == ["Imported 1 entry. 3 already present were skipped."]
    assert app.session_state["history"][0]["id"] == "big-1"  # oldest first
    assert app.text_area(key="history_import_text_1").value == ""  # a new, empty box


def test_an_empty_paste_says_what_to_do(app):
    app.button(key="import_pasted").click().run()
    assert "Paste the text of an exported history file first." in shown(app.error)


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
    monkeypatch.setattr("lib.ui.storage.history_store.HISTORY_LIMIT", 4)
    history = app.session_state["history"]
    more = [{**history[0], "id": f"x{i}", "created_at": f"2030-01-0{i + 1}T00:00:00+00:00"}
            for i in range(3)]  # fmt: skip
    app.file_uploader[0].upload("more.json", export_bytes(more), "application/json").run()
    assert len(app.session_state["history"]) == 4
    assert "2 older were dropped" in " ".join(i.value for i in app.info)


def test_a_large_file_keeps_only_what_the_history_holds(app):
    history = app.session_state["history"]
    many = [
        {**history[0], "id": f"bulk-{i}", "created_at": f"2030-01-01T{i // 60:02d}:{i % 60:02d}Z"}
        for i in range(1_000)
    ]
    before = len(app.session_state["_history_ops"])  # the runs, never acknowledged here
    app.file_uploader[0].upload("bulk.json", export_bytes(many), "application/json").run()
    assert not app.exception
    assert successes(app) == [
        "Imported 500 entries. The history holds at most 500 runs: kept the newest 500 of 1,000 "
        "new entries."
    ]
    kept = app.session_state["history"]
    assert [e["id"] for e in kept] == [f"bulk-{i}" for i in range(500, 1_000)]
    assert "The history keeps the newest 500 runs; 3 older were dropped." in [
        i.value for i in app.info
    ]
    # Only what the history keeps goes to the browser's storage mirror.
    ops = app.session_state["_history_ops"][before:]
    assert [op["entry"]["id"] for op in ops] == [e["id"] for e in kept]


@pytest.mark.parametrize(
    "odd",
    [
        {"base_url": "https://evil.example/v1", "id": "www.evil.example"},
        {"error": {"message": "Go to https://evil.example/login or www.evil.example, "
                              "write to help@evil.example", "status": 401}},
    ],
)  # fmt: skip
def test_untrusted_text_never_becomes_a_link(app, odd):
    entry = {**app.session_state["history"][0], "id": "odd-link", **odd}
    app.file_uploader[0].upload("odd.json", export_bytes([entry]), "application/json").run()
    app.run()
    assert not app.exception
    markdown = [str(e.value) for e in (*app.caption, *app.error, *app.markdown, *app.success)]
    markdown += labels(app)
    # What GFM autolinks once escapes are resolved: scheme://, www. and name@host.
    autolink = re.compile(r"https?://|www\.|\w@\w", re.IGNORECASE)
    # Escapes resolved, but the invisible word joiners kept: they are what stops autolinks.
    resolved = [re.sub(r"\\(.)", r"\1", m) for m in markdown]
    assert [m for m in resolved if autolink.search(m)] == []
    shown = " ".join([*(t.value for t in app.text), *(plain(e.value) for e in app.error)])
    for word in ("evil", "example"):  # still shown, as text
        assert word in shown
    assert any("imported file" in c.value for c in app.caption)


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
