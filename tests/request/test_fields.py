"""The field table: every range and limit is read from it by validation, form, links and widgets."""

from __future__ import annotations

import dataclasses

import pytest
from streamlit.testing.v1 import AppTest

from lib.i18n import t
from lib.request.fields import (
    DECIMAL,
    DEFAULTS,
    FIELDS,
    FLOAT,
    INT,
    KEY_ORDER,
    NUMBER,
    SHARED_FIELDS,
    SLIDER,
)
from lib.request.form import build_body, values_from_body, widget_value_ok
from lib.request.share import from_query
from lib.request.validate import validate
from lib.ui.playground.request_form import STOP_PICK, widget_kwargs
from tests.support.seed import SEED_EXAMPLE

THREE_STOPS = ["a", "b", "c"]


@pytest.fixture
def two_stops(monkeypatch):
    """The table with a stop limit of 2 instead of the API's 4."""
    monkeypatch.setitem(FIELDS, "stop", dataclasses.replace(FIELDS["stop"], most=2))


def test_the_stop_limit_is_read_from_the_table_everywhere(two_stops):
    # Validation
    assert validate({**SEED_EXAMPLE, "stop": THREE_STOPS[:2]}) == []
    problems = validate({**SEED_EXAMPLE, "stop": THREE_STOPS})
    assert [p.text("en") for p in problems] == ["stop takes at most 2 sequences (got 3)."]
    assert [p.text("en") for p in validate({**SEED_EXAMPLE, "stop": 5})] == [
        "stop must be text or a list of up to 2 texts."
    ]
    # The widget and its tooltip
    assert widget_kwargs("stop")["max_selections"] == 2
    row = FIELDS["stop"]
    assert t("en", "help.stop", most=row.most).startswith("Up to 2 sequences")
    # The link decoder
    assert from_query({"stop": '["a", "b"]'}) == ({"stop": ["a", "b"]}, [])
    values, notes = from_query({"stop": '["a", "b", "c"]'})
    assert values == {} and [n.key for n in notes] == ["share.bad_value"]
    # Loading a body into the form
    values, notes = values_from_body({**SEED_EXAMPLE, "stop": THREE_STOPS})
    assert values["stop"] == [] and [n.key for n in notes] == ["load.reset"]


def _suggestions_offered(at: AppTest) -> bool:
    return STOP_PICK in [group.key for group in at.button_group]


def test_the_page_draws_the_stop_box_with_the_tables_limit(two_stops, make_app):
    at = make_app({"stop": '["a", "b", "c"]'})
    stop = at.multiselect(key="stop")
    assert stop.proto.max_selections == 2
    assert stop.value == []  # the link's three stops were refused
    stop.set_value(["x"]).run()
    assert _suggestions_offered(at)
    at.multiselect(key="stop").set_value(["x", "y"]).run()
    assert not _suggestions_offered(at)  # at the limit: no more suggestions


def test_the_api_limits_as_the_page_shows_them():
    assert widget_kwargs("stop")["max_selections"] == 4
    assert widget_kwargs("logprobs")["options"] == ["off", 0, 1, 2, 3, 4, 5]
    assert widget_kwargs("temperature") == {"min_value": 0.0, "max_value": 2.0, "step": 0.01}
    assert widget_kwargs("presence_penalty")["min_value"] == -2.0
    assert widget_kwargs("n") == {"value": None, "step": 1}  # no bounds: validation explains


RANGED = [
    row
    for row in FIELDS.values()
    if row.api and row.kind in (INT, FLOAT) and row.low is not None and row.high is not None
]


@pytest.mark.parametrize("row", RANGED, ids=lambda row: row.name)
def test_validation_widgets_and_links_agree_on_each_range(row):
    step = 1 if row.kind == INT else 0.01
    inside, outside = [row.low, row.high], [row.low - step, row.high + step]
    server = row.servers[0] if row.servers else None  # a server's own samplers: for it
    for value in inside:
        assert validate({**SEED_EXAMPLE, "stream": False, row.name: value}, None, server) == []
    for value in outside:
        codes = [p.code for p in validate({**SEED_EXAMPLE, row.name: value}, None, server)]
        assert codes == ["out_of_range"]
    if row.widget in (NUMBER, SLIDER, DECIMAL):
        as_widget = int if row.kind == INT else float
        assert all(widget_value_ok(row.name, as_widget(v)) for v in inside)
        assert not any(widget_value_ok(row.name, as_widget(v)) for v in outside)
        assert from_query({row.name: str(as_widget(row.high))})[1] == []
        assert from_query({row.name: str(as_widget(row.high + step))})[1] != []
    if row.widget == SLIDER:
        kwargs = widget_kwargs(row.name)
        assert (kwargs["min_value"], kwargs["max_value"]) == (row.low, row.high)


def test_the_body_follows_the_seeds_key_order():
    assert KEY_ORDER[: len(SEED_EXAMPLE)] == tuple(SEED_EXAMPLE)


def test_every_widget_is_shared_in_links_and_has_a_default():
    assert tuple(DEFAULTS) == SHARED_FIELDS
    assert "stream_options" in KEY_ORDER and "stream_options" not in DEFAULTS


def test_fields_sent_only_when_changed_stay_out_of_the_default_body():
    body, problems = build_body(DEFAULTS)
    assert problems == []
    changed = [row.name for row in FIELDS.values() if row.sent == "changed"]
    assert changed and not set(changed) & set(body)
