"""Compare (#20) under AppTest: columns from a link, one send to every column (each with its
own connection and key), the limits summed over columns, History and the export."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.compare.export import FORMAT_NAME, groups
from lib.ui import keys
from tests.support.app import all_text, plain

A, B = "fake-instruct", "gpt-3.5-turbo-instruct"
TEAM_KEY = "sk-team-KEY-0123456789"


def follow(at: AppTest) -> AppTest:
    """Run the page again until the comparison sent has ended and its end is drawn (a browser
    does it from the live region's timer)."""
    comparison = at.session_state[keys.COMPARE]
    for run in comparison.runs:
        if run.worker is not None:
            assert run.worker.done.wait(30)
    at.run()
    assert not at.exception, at.exception
    return at


def send(at: AppTest) -> AppTest:
    at.button(key=keys.SUBMIT).click().run()
    assert not at.exception, at.exception
    return follow(at)


def test_a_link_opens_a_comparison_and_round_trips(make_app):
    query = {"prompt": "Hi", "c1.model": A, "c2.model": B, "c2.temperature": "1.5"}
    at = make_app(query)
    assert at.toggle(key=keys.COMPARE_ON).value is True
    assert at.text_input(key=f"{keys.COMPARE_MODEL}1").value == A
    assert at.text_input(key=f"{keys.COMPARE_MODEL}2").value == B
    assert "temperature = 1.5" in all_text(at)  # column 2's chip
    # The address bar keeps the columns (the link round-trips).
    params = at.query_params
    assert params["c1.model"] == A and params["c2.model"] == B
    assert params["c2.temperature"] == "1.5"
    # Compare off: the link is an ordinary one again.
    at.toggle(key=keys.COMPARE_ON).set_value(False).run()
    assert "c1.model" not in at.query_params


def test_submit_sends_every_column_and_history_groups_them(make_app, relay):
    at = make_app({"prompt": "Once", "c1.model": A, "c2.model": B, "c2.max_tokens": "3"})
    send(at)
    bodies = sorted((r["body"] for r in relay.received), key=lambda b: b["model"])
    assert [b["model"] for b in bodies] == [A, B]
    assert bodies[0]["prompt"] == bodies[1]["prompt"] == "Once"
    assert bodies[1]["max_tokens"] == 3 and bodies[0]["max_tokens"] != 3
    text = all_text(at)
    assert text.count("Status: **done**") == 2  # a status line per column
    # Each column's text, as the relay generated it for that column's request.
    shown = [c.value for c in at.code if c.language == "plaintext"]
    for body in bodies:
        assert relay.expected_text(body) in shown
    entries = at.session_state[keys.HISTORY]
    grouped = groups(entries)
    assert len(grouped) == 1
    runs = next(iter(grouped.values()))
    assert [e["request"]["model"] for e in runs] == [A, B]
    assert [e["comparison"]["column"] for e in runs] == [1, 2]


def test_columns_count_against_the_choice_cap(make_app, relay):
    at = make_app({"prompt": "x", "c1.n": "100", "c2.n": "100"})
    assert "200 completions in all" in all_text(at)
    assert at.button(key=keys.SUBMIT).disabled
    assert relay.received == []


def test_each_column_sends_only_its_own_connections_key(make_app, relay):
    at = make_app({"prompt": "k", "c1.model": A, "c2.model": B, "c2.conn": "Team"})
    # A saved connection of this browser, with its own key (the current one has none).
    at.session_state[keys.SAVED_CONNECTIONS] = [
        {"name": "Team", "base_url": relay.base_url, "api_key": TEAM_KEY}
    ]
    at.run()
    send(at)
    by_model = {r["body"]["model"]: r["headers"] for r in relay.received}
    assert "authorization" not in by_model[A]
    assert by_model[B]["authorization"] == f"Bearer {TEAM_KEY}"
    assert TEAM_KEY not in json.dumps(at.session_state[keys.HISTORY])


def test_an_unknown_connection_name_uses_the_current_one_with_a_note(make_app, relay):
    at = make_app({"prompt": "k", "c1.model": A, "c2.conn": "Nobody"})
    assert "no saved connection named 'Nobody'" in all_text(at)
    send(at)
    assert len(relay.received) == 2
    assert {r["path"] for r in relay.received} == {"/v1/completions"}


def test_export_is_one_document_with_every_column(make_app, relay):
    at = make_app({"prompt": "e", "c1.model": A, "c2.model": B})
    send(at)
    from lib.ui.compare.view import records

    comparison = at.session_state[keys.COMPARE]
    from lib.compare.export import export_document

    document = export_document(records(comparison))
    assert document["format"] == FORMAT_NAME
    assert [c["entry"]["request"]["model"] for c in document["columns"]] == [A, B]
    assert any(b.label.startswith("Export comparison") for b in at.get("download_button"))


@pytest.mark.parametrize("lang", ["zh"])
def test_compare_in_chinese(make_app, lang):
    at = make_app({"prompt": "x", "c1.model": A, "c2.model": B, "lang": lang})
    assert at.toggle(key=keys.COMPARE_ON).label == "对比"
    assert "第 1 列" in all_text(at)


def test_history_groups_a_comparison_and_reopens_it(make_app, relay):
    at = make_app({"prompt": "g", "c1.model": A, "c2.model": B, "c2.temperature": "1.5"})
    send(at)
    entries = at.session_state[keys.HISTORY]
    at.switch_page("pages/history.py").run()
    at.toggle(key=keys.HISTORY_COMPARISONS).set_value(True).run()
    titles = [plain(e.label) for e in at.expander]
    assert any(f"Comparison of 2 columns: {A} · {B}" in t for t in titles), titles
    at.button(key=f"reopen_{entries[0]['comparison']['group']}").click().run()
    assert at.session_state[keys.COMPARE_ON] is True
    columns = at.session_state[keys.COMPARE_COLUMNS]
    assert [c.model for c in columns] == [A, B]
    assert columns[1].overrides == {"temperature": 1.5}


def test_a_locked_instance_offers_only_its_own_server_in_columns(make_app, relay):
    saved = [{"name": "Elsewhere", "base_url": "http://127.0.0.1:9/v1", "api_key": TEAM_KEY}]
    at = make_app(
        {"prompt": "l", "c1.model": A, "c2.model": B, "c2.conn": "Elsewhere"},
        secrets={"LOCK_BASE_URL": True},
    )
    at.session_state[keys.SAVED_CONNECTIONS] = saved
    at.run()
    for number in (1, 2):
        assert at.selectbox(key=f"{keys.COMPARE_CONN}{number}").options[0] == "Current connection"
    assert "Elsewhere" not in at.selectbox(key=f"{keys.COMPARE_CONN}1").options
    assert "this instance only sends to its own server" in all_text(at)
    send(at)
    # Both went to the instance's server, neither with the saved connection's key.
    assert sorted(r["body"]["model"] for r in relay.received) == [A, B]
    assert all("authorization" not in r["headers"] for r in relay.received)


def test_a_columns_field_is_set_and_cleared_from_its_popover(make_app, relay):
    at = make_app({"prompt": "o", "c1.model": A, "c2.model": B})
    at.selectbox(key=f"{keys.COMPARE_FIELD}2").set_value("temperature")
    at.text_input(key=f"{keys.COMPARE_VALUE}2").set_value("1.5")
    at.button(key="compare_set_2").click().run()
    assert "temperature = 1.5" in all_text(at)
    assert at.query_params["c2.temperature"] == "1.5"
    at.text_input(key=f"{keys.COMPARE_VALUE}2").set_value("hot")
    at.button(key="compare_set_2").click().run()
    assert "temperature = hot is not a valid value" in all_text(at)
    send(at)
    by_model = {r["body"]["model"]: r["body"] for r in relay.received}
    assert by_model[B]["temperature"] == 1.5 and by_model[A]["temperature"] != 1.5
    at.button(key="compare_unset_2").click().run()
    assert "temperature = 1.5" not in all_text(at)
    assert "c2.temperature" not in at.query_params


def test_a_comparison_that_ends_while_history_shows_lands_there(make_app, relay):
    at = make_app({"prompt": "h", "c1.model": A, "c2.model": B})
    at.button(key=keys.SUBMIT).click().run()
    for run in at.session_state[keys.COMPARE].runs:
        assert run.worker.done.wait(30)
    at.switch_page("pages/history.py").run()
    assert not at.exception
    assert len(groups(at.session_state[keys.HISTORY])) == 1
