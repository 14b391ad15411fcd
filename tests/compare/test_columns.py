"""Columns: each column's body, its overrides checked as the form checks them."""

from __future__ import annotations

from lib.compare.columns import (
    CURRENT,
    LOCAL,
    OVERRIDABLE,
    Column,
    Resolved,
    column_body,
    column_limits,
    comparison_problems,
    override_problems,
    resolve_column,
)
from lib.config.connection import resolve
from lib.config.settings import read
from lib.i18n import Message
from lib.request.validate import Problem
from lib.run.model import RunLimits

FORM_BODY = {
    "model": "gpt-3.5-turbo-instruct",
    "prompt": "Once",
    "max_tokens": 256,
    "temperature": 0.7,
    "stream": True,
    "logprobs": 2,
    "stream_options": {"include_usage": True},
}


def test_a_column_body_is_the_forms_with_its_model_and_overrides():
    column = Column(model=" B ", overrides={"seed": 7, "temperature": 1.5, "logprobs": None})
    body = column_body(FORM_BODY, column)
    assert body == {
        "model": "B",
        "prompt": "Once",
        "max_tokens": 256,
        "temperature": 1.5,
        "stream": True,
        "stream_options": {"include_usage": True},
        "seed": 7,
    }
    assert list(body) == ["model", "prompt", "max_tokens", "temperature", "stream", "seed",
                          "stream_options"]  # fmt: skip
    assert FORM_BODY["temperature"] == 0.7  # the form's body is left as it was


def test_a_column_without_model_or_overrides_sends_the_forms_body():
    assert column_body(FORM_BODY, Column()) == FORM_BODY


def test_overrides_are_checked_with_the_forms_rules_and_messages():
    assert override_problems("temperature", 1.5) == []
    assert override_problems("seed", None) == []
    assert override_problems("temperature", 9) == [
        Problem.of("temperature", "out_of_range", low=0.0, high=2.0, value="9")
    ]
    assert override_problems("stop", ["a", "b", "c", "d", "e"])[0].code == "stop_too_many"
    assert override_problems("logit_bias", {"x": 1})[0].code == "logit_bias_key"
    assert override_problems("prompt", "other") == [Problem.of("prompt", "not_overridable")]
    assert override_problems("temperature", 9)[0].text("zh").startswith("temperature")


def test_the_prompt_model_and_stream_are_the_same_for_every_column():
    assert {"prompt", "model", "stream", "stream_options"}.isdisjoint(OVERRIDABLE)
    assert {"temperature", "n", "best_of", "logprobs", "stop", "seed"} <= set(OVERRIDABLE)


# Limits over the columns ------------------------------------------------------------------


def test_a_column_over_the_hosts_max_tokens_is_named_and_said_in_both_languages():
    columns = [Column(), Column(overrides={"max_tokens": 5000})]
    problems = comparison_problems(FORM_BODY, columns, max_tokens_limit=1000)
    assert problems == [
        Message(
            "compare.column_problem",
            {
                "column": 2,
                "problem": Problem.of("max_tokens", "host_limit", high=1000, value="5000"),
            },
        )
    ]
    assert (
        problems[0].text("en")
        == "Column 2: max_tokens may be at most 1000 on this instance (got 5000)."
    )
    assert problems[0].text("zh") == "第 2 列：在此实例上 max_tokens 不能大于 1000（当前为 5000）。"


def test_the_forms_own_problems_are_not_repeated_for_every_column():
    body = {**FORM_BODY, "temperature": 9}
    assert comparison_problems(body, [Column(), Column(model="B")]) == []
    # A column that fixes it has nothing to say; one that breaks something else does.
    fixed = [Column(overrides={"temperature": 1.0}), Column(overrides={"top_p": 3})]
    assert [p.params["column"] for p in comparison_problems(body, fixed)] == [2]


def test_choices_are_summed_over_the_columns_n_or_best_of_whichever_is_larger():
    body = {**FORM_BODY, "stream": False, "n": 40}
    del body["stream_options"]
    three = [Column(), Column(), Column(overrides={"n": 8, "best_of": 20})]
    assert comparison_problems(body, three) == []  # 40 + 40 + 20 = 100
    four = [*three, Column(overrides={"n": 29})]  # 129
    assert comparison_problems(body, four) == [
        Message("compare.too_many_choices", {"total": 129, "most": 128})
    ]
    batch = {**body, "prompt": ["a", "b"], "n": 30}  # two prompts: 60 choices a column
    assert comparison_problems(batch, [Column(), Column()]) == []
    assert comparison_problems(batch, [Column(), Column(overrides={"n": 5, "best_of": 20})]) == []
    assert comparison_problems(batch, [Column(), Column(), Column(overrides={"n": 4})]) == []
    assert comparison_problems(batch, [Column(), Column(), Column(overrides={"n": 5})]) == [
        Message("compare.too_many_choices", {"total": 130, "most": 128})
    ]


def test_a_comparison_has_two_to_four_columns():
    assert comparison_problems(FORM_BODY, [Column()]) == [
        Message("compare.column_count", {"count": 1, "low": 2, "high": 4})
    ]
    assert comparison_problems(FORM_BODY, [Column()] * 5)[0].text("en") == (
        "A comparison has 2 to 4 columns (this one has 5)."
    )


def test_the_columns_share_one_runs_output_caps():
    assert column_limits(RunLimits(400_000, 50_000), 4) == RunLimits(100_000, 12_500)
    assert column_limits(RunLimits(3, 3), 4) == RunLimits(1, 1)


# Connections --------------------------------------------------------------------------------

SAVED = [
    {"name": "Team relay", "base_url": "https://relay.example/v1", "api_key": "sk-relay"},
    {"name": "Other", "base_url": "https://other.example/v1"},
    {"name": "Configured", "base_url": "https://api.gptnb.me/v1"},
]


def _settings(**values):
    return read({"OPENAI_API_KEY": "sk-team", **values}, {})


def _current(settings):
    return resolve("", "sk-sidebar", settings)


def test_a_saved_connection_sends_its_own_key_only():
    settings = _settings()
    current = _current(settings)
    team = resolve_column(Column(conn="Team relay"), 2, SAVED, current, settings)
    assert (team.connection.base_url, team.connection.api_key) == (
        "https://relay.example/v1",
        "sk-relay",
    )
    other = resolve_column(Column(conn="Other"), 2, SAVED, current, settings)
    # Neither the sidebar's key nor the configured team key goes to another server.
    assert (other.connection.api_key, other.connection.key_withheld) == (None, True)
    assert other.note is None and other.conn == "Other"
    configured = resolve_column(Column(conn="Configured"), 3, SAVED, current, settings)
    assert configured.connection.api_key == "sk-team"  # the configured key to its own server


def test_current_and_local_columns():
    settings = _settings()
    current = _current(settings)
    assert resolve_column(Column(), 1, SAVED, current, settings) == Resolved(current, CURRENT)
    local = resolve_column(Column(conn=LOCAL), 1, [], current, settings, "http://127.0.0.1:9/v1")
    assert (local.connection.base_url, local.connection.api_key, local.conn) == (
        "http://127.0.0.1:9/v1", None, LOCAL,
    )  # fmt: skip
    absent = resolve_column(Column(conn=LOCAL), 3, [], current, settings, None)
    assert absent == Resolved(current, CURRENT, Message("compare.no_local", {"column": 3}))


def test_an_unknown_name_uses_the_current_connection_with_a_note():
    settings = _settings()
    current = _current(settings)
    found = resolve_column(Column(conn="Nope"), 2, SAVED, current, settings)
    assert found == Resolved(
        current, CURRENT, Message("compare.unknown_conn", {"column": 2, "name": "Nope"})
    )
    assert found.note.text("en") == (
        "Column 2: there is no saved connection named 'Nope' here; the column uses the current "
        "connection."
    )


def test_a_locked_instance_offers_only_its_own_server():
    settings = _settings(LOCK_BASE_URL=True)
    current = _current(settings)
    locked = resolve_column(Column(conn="Team relay"), 2, SAVED, current, settings)
    assert locked == Resolved(current, CURRENT, Message("compare.locked", {"column": 2}))
    assert "sk-relay" not in repr(locked)
    local = resolve_column(Column(conn=LOCAL), 1, [], current, settings, "http://127.0.0.1:9/v1")
    assert local.note == Message("compare.no_local", {"column": 1})
    allowed = _settings(LOCK_BASE_URL=True, ALLOW_LOCAL_MODEL=True)
    offered = resolve_column(Column(conn=LOCAL), 1, [], current, allowed, "http://127.0.0.1:9/v1")
    assert offered.conn == LOCAL and offered.note is None
