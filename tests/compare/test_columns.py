"""Columns: each column's body, its overrides checked as the form checks them."""

from __future__ import annotations

from lib.compare.columns import OVERRIDABLE, Column, column_body, override_problems
from lib.request.validate import Problem

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
