"""The request form: widget values to request body and back."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.request.fields import DEFAULTS
from lib.request.form import (
    build_body,
    continued_prompt,
    decode_escapes,
    encode_escapes,
    values_from_body,
)
from lib.request.io import body_from_text
from tests.support.bodies import default_body
from tests.support.seed import SEED_EXAMPLE


def test_defaults_build_a_valid_minimal_request():
    body, problems = build_body(DEFAULTS)
    assert problems == []
    assert body == default_body()


def test_escapes_round_trip():
    assert decode_escapes(r"a\nb\tc\\n\u00e9\q") == "a\nb\tc\\né\\q"
    for text in ["\n", "\n\n", "###", "a\\b", "\r\n", "\u2028", "x\x00y", "你好"]:
        assert decode_escapes(encode_escapes(text)) == text


def test_json_problems_are_reported_not_raised():
    body, problems = build_body({**DEFAULTS, "logit_bias": "{", "extra_json": "[1]"})
    assert [p.text("en") for p in problems] == [
        "logit_bias is not valid JSON: line 1, column 2: Expecting property name enclosed in "
        "double quotes.",
        'extra JSON must be a JSON object, like {"top_k": 40}.',
    ]
    assert "logit_bias" not in body


def test_extra_json_overrides_and_adds_fields():
    body, _ = build_body({**DEFAULTS, "extra_json": '{"top_k": 5, "max_tokens": 9}'})
    assert body["top_k"] == 5 and body["max_tokens"] == 9


def test_continued_prompt():
    assert continued_prompt("Q\n", " A", r"\nQ:", echoed=False) == "Q\n A\nQ:"
    assert continued_prompt("Q\n", "Q\n A", "", echoed=True) == "Q\n A"


def test_seed_example_loads_into_widgets():
    values, notes = values_from_body(SEED_EXAMPLE)
    assert notes == []
    assert values["stop"] == ["\\n"] and values["logprobs"] == "off"
    assert values["temperature"] == 0.0 and values["stream"] is False
    body, problems = build_body(values)
    assert problems == []
    assert body == {k: v for k, v in SEED_EXAMPLE.items() if k != "logprobs"}


def test_unknown_fields_go_to_extra_json_and_bad_values_are_reset():
    bad = {"temperature": 9, "n": 0, "stop": [1], "prompt": {"x": 1}}
    values, notes = values_from_body({"model": "m", "top_p": 1, "top_k": 3, **bad})
    assert json.loads(values["extra_json"]) == {"top_k": 3}
    assert values["temperature"] == DEFAULTS["temperature"] and values["n"] == DEFAULTS["n"]
    assert len(notes) == 4 and all("reset to the default" in n.text("en") for n in notes)
    assert "已重置为默认值" in notes[0].text("zh")


@pytest.mark.parametrize(
    ("prompt", "mode"),
    [("hi", "text"), (["a", "b"], "strings"), ([1, 2], "tokens"), ([[1], [2, 3]], "token_lists")],
)
def test_prompt_forms_round_trip(prompt, mode):
    values, _ = values_from_body({"model": "m", "prompt": prompt})
    assert values["prompt_mode"] == mode
    assert build_body(values)[0]["prompt"] == prompt


form_values = st.fixed_dictionaries(
    {
        "model": st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and s),
        "prompt": st.text(max_size=40),
        "max_tokens": st.integers(1, 10_000),
        "temperature": st.sampled_from([0.0, 0.5, 0.7, 1.0, 2.0]),
        "top_p": st.sampled_from([0.0, 0.25, 1.0]),
        "n": st.integers(1, 5),
        "stream": st.booleans(),
        "logprobs": st.sampled_from(["off", 0, 3, 5]),
        "stop": st.lists(st.text(min_size=1, max_size=5), max_size=4, unique=True),
        "suffix": st.text(max_size=5),
        "echo": st.booleans(),
        "presence_penalty": st.sampled_from([-2.0, 0.0, 1.5]),
        "frequency_penalty": st.sampled_from([-1.0, 0.0, 2.0]),
        "seed": st.none() | st.integers(-5, 5),
        "user": st.text(max_size=5),
        "include_usage": st.booleans(),
        "extra_json": st.sampled_from(["", '{"top_k": 40}']),
    }
)


@settings(max_examples=200, deadline=None)
@given(form_values)
def test_body_to_widgets_to_body_is_identity(values):
    values = {**values, "stop": [encode_escapes(s) for s in values["stop"]]}
    body, problems = build_body(values)
    assert problems == []
    rebuilt, notes = values_from_body(body)
    assert notes == []
    assert build_body(rebuilt)[0] == body


def test_a_long_reset_value_is_shortened_in_its_note():
    _, notes = values_from_body({"model": "m", "stop": [1] * 40})
    shown = json.dumps([1] * 40)[:39] + "…"
    assert notes[0].text("en") == f"stop: {shown} cannot be used here; reset to the default."


# What is imported is what is sent: a field the import leaves out stays out (the server's own
# default applies), and where the form cannot leave it out a note says what is sent instead.

CURL_WITHOUT_STREAM = """curl https://api.gptnb.me/v1/completions \\
  -H 'Content-Type: application/json' \\
  -d '{"model": "m", "prompt": "hi", "max_tokens": 5, "temperature": 0.2, "top_p": 1, "n": 1}'"""


@pytest.mark.parametrize(
    "text",
    [
        CURL_WITHOUT_STREAM,
        '{"model": "m", "prompt": "hi", "max_tokens": 5, "temperature": 0.2, "top_p": 1, "n": 1}',
    ],
)
def test_an_import_without_stream_is_sent_without_stream(text):
    values, notes = values_from_body(body_from_text(text)[0])
    assert notes == []
    assert values["stream"] is False  # the switch shows what the server does by default
    body, problems = build_body(values)
    assert problems == []
    assert body == {"model": "m", "prompt": "hi", "max_tokens": 5, "temperature": 0.2,
                    "top_p": 1.0, "n": 1}  # fmt: skip


def test_turning_stream_on_after_such_an_import_sends_it():
    values, _ = values_from_body({"model": "m", "prompt": "hi"})
    body, _ = build_body({**values, "stream": True})  # the form's own default: with usage
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    body, _ = build_body({**values, "stream": True, "include_usage": False})
    assert body["stream"] is True and "stream_options" not in body
    assert "stream" not in build_body({**values, "stream": False})[0]  # back to "not sent"


@pytest.mark.parametrize(
    "imported",
    [
        {"stream": True},
        {"stream": False},
        {"stream": True, "stream_options": {"include_usage": True}},
        {"stream": True, "stream_options": {"include_usage": False}},
        {"stream": True, "stream_options": {}},
        {"stream": True, "stream_options": {"include_usage": True, "continuous_usage_stats": True}},
    ],
)
def test_the_stream_switch_and_include_usage_follow_the_import_exactly(imported):
    body = {"model": "m", "prompt": "p", "max_tokens": 3, "temperature": 0.5, "top_p": 1.0,
            "n": 1, **imported}  # fmt: skip
    values, notes = values_from_body(body)
    assert notes == []
    assert values["stream"] is imported["stream"]
    assert build_body(values)[0] == body


def test_stream_options_without_stream_is_kept_so_validation_can_explain_it():
    body = {"model": "m", "prompt": "p", "stream_options": {"include_usage": True}}
    values, _ = values_from_body(body)
    rebuilt, problems = build_body(values)
    assert "stream" not in rebuilt and rebuilt["stream_options"] == {"include_usage": True}
    assert [p.key for p in problems] == ["problem.stream_options_without_stream"]


def test_number_fields_the_import_leaves_out_are_not_sent():
    values, notes = values_from_body({"model": "m", "prompt": "p", "temperature": 1.0,
                                      "top_p": 1.0})  # fmt: skip
    assert notes == []
    assert values["max_tokens"] is None and values["n"] is None  # emptied boxes
    assert build_body(values)[0] == {"model": "m", "prompt": "p", "temperature": 1.0,
                                     "top_p": 1.0}  # fmt: skip


def test_what_the_form_cannot_leave_out_is_said_in_a_note():
    values, notes = values_from_body({"stream": False})
    said = [n.text("en") for n in notes]
    assert said == [
        "model is not in the request; the model chosen in the form is sent.",
        'prompt is not in the request; the form sends "".',
        "temperature is not in the request; the form sends 0.7.",
        "top_p is not in the request; the form sends 1.0.",
    ]
    assert all(n.text("zh") != n.text("en") for n in notes)
    assert "model" not in values  # the form keeps the model it has
    body, _ = build_body({**values, "model": "kept"})
    assert body == {"model": "kept", "prompt": "", "temperature": 0.7, "top_p": 1.0,
                    "stream": False}  # fmt: skip
