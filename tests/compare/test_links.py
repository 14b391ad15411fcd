"""A comparison's columns in a share link: numbered fields that round-trip, and what is refused."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from lib.compare.columns import CURRENT, LOCAL, Column
from lib.compare.links import conn_ok, from_query, to_query, without_columns
from lib.i18n import Message
from lib.request.share import from_query as share_from_query
from lib.request.share import link

COLUMNS = [
    Column(model="A"),
    Column(conn="Team relay", model="B", overrides={"temperature": 1.5, "stop": ["\n", "##"]}),
    Column(conn=LOCAL, overrides={"logprobs": 3, "logit_bias": {"50256": -100}, "seed": None}),
]


def test_columns_travel_as_numbered_fields():
    assert to_query(COLUMNS) == {
        "c1.model": "A",
        "c2.conn": "Team relay",
        "c2.model": "B",
        "c2.temperature": "1.5",
        "c2.stop": '["\\n", "##"]',
        "c3.conn": "local",
        "c3.model": "",
        "c3.logprobs": "3",
        "c3.logit_bias": '{"50256":-100}',
        "c3.seed": "",
    }


def test_a_link_round_trips_the_columns_next_to_the_forms_fields():
    url = link("https://play.example", {"prompt": "Hi", "temperature": 0.2}, to_query(COLUMNS))
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    assert from_query(params) == (COLUMNS, [])
    # share.py reads the rest of the link without a note about the columns' parameters.
    assert share_from_query(without_columns(params)) == ({"prompt": "Hi", "temperature": 0.2}, [])


def test_a_column_that_changes_nothing_still_travels():
    assert from_query(to_query([Column(), Column(model="B")])) == (
        [Column(), Column(model="B")],
        [],
    )


def test_more_than_four_columns_are_not_written():
    assert "c5.model" not in to_query([Column(model=str(i)) for i in range(6)])


def test_bad_values_are_notes_and_lose_nothing_else():
    columns, notes = from_query(
        {
            "c1.model": "A",
            "c1.temperature": "9",
            "c1.top_p": "0.5",
            "c2.model": "B",
            "c2.n": "lots",
            "c2.logit_bias": "{oops",
            "c2.echo": "true",
            "c5.model": "E",
            "c2.prompt": "other",
            "c2.color": "red",
        }
    )
    assert columns == [
        Column(model="A", overrides={"top_p": 0.5}),
        Column(model="B", overrides={"echo": True}),
    ]
    assert notes == [
        Message("compare.bad_value", {"column": 1, "name": "temperature", "value": "9"}),
        Message("compare.bad_value", {"column": 2, "name": "n", "value": "lots"}),
        Message("compare.bad_value", {"column": 2, "name": "logit_bias", "value": "{oops"}),
        Message("share.unknown", {"name": "c5.model"}),
        Message("compare.not_overridable", {"column": 2, "name": "c2.prompt"}),
        Message("share.unknown", {"column": 2, "name": "c2.color"}),
    ]
    assert notes[0].text("en") == (
        "Column 1: temperature=9 is not a valid value; the column follows the form there."
    )
    assert notes[0].text("zh") == "第 1 列：temperature=9 不是有效值，该列此项沿用表单的设置。"


def test_off_and_empty_values_leave_the_field_out_of_the_column():
    columns, notes = from_query({"c1.model": "", "c1.logprobs": "off", "c1.max_tokens": ""})
    assert columns == [Column(overrides={"logprobs": None, "max_tokens": None})]
    assert notes == []


@pytest.mark.parametrize(
    "value",
    [
        "https://evil.example/v1",
        "http://127.0.0.1:8000",
        "evil.example:8080",
        "10.0.0.1",
        "user@host",
        "api.example/v1",
        "sk-abc123",
        "sk_live_51HxY",
        "Bearer abc",
        "AbCdEf0123456789XyZw99",  # a long mixed-case run with digits: a key's shape
        "0123456789abcdef0123456789abcdef",  # 32 hex digits
        "",
        "name\nwith a break",
    ],
)
def test_a_url_or_a_key_as_a_connection_is_refused_with_a_note(value):
    assert not conn_ok(value)
    columns, notes = from_query({"c1.conn": value, "c1.model": "A"})
    assert columns == [Column(conn=CURRENT, model="A")]
    assert notes == [Message("compare.bad_conn", {"column": 1})]
    assert value not in notes[0].text("en") or not value  # the note never repeats it
    # ...and such a name is never written into a link: that column uses the current one.
    assert "c1.conn" not in to_query([Column(conn=value)])


@pytest.mark.parametrize("value", ["Team relay", "vllm-8b", "本地 服务器", "local", "current"])
def test_plain_names_travel(value):
    assert conn_ok(value)
    assert from_query({"c1.conn": value}) == ([Column(conn=value)], [])


def test_columns_are_read_in_column_order_and_gaps_close():
    columns, _ = from_query({"c3.model": "C", "c1.model": "A"})
    assert columns == [Column(model="A"), Column(model="C")]
