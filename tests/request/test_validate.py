"""validate(): the request rules from the seed and OpenAI's spec."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.i18n import Message
from lib.request.fields import KEY_ORDER, MAX_CHOICES, ordered
from lib.request.validate import validate
from tests.support.seed import SEED_EXAMPLE


def codes(body):
    return [(p.field, p.code) for p in validate(body)]


def english(body):
    return [p.text("en") for p in validate(body)]


def test_seed_example_is_valid():
    assert validate(SEED_EXAMPLE) == []


def test_full_openai_request_is_valid():
    body = {
        **SEED_EXAMPLE,
        "stream": True,
        "suffix": "end",
        "echo": True,
        "presence_penalty": -2,
        "frequency_penalty": 2,
        "logit_bias": {"50256": -100, 123: 100},
        "seed": -5,
        "user": "u1",
        "stream_options": {"include_usage": True},
        "relay_specific": {"anything": [1, 2]},
    }
    assert validate(body) == []


@pytest.mark.parametrize("model", [None, "", "   "])
def test_model_required(model):
    body = {**SEED_EXAMPLE, "model": model}
    assert codes(body) == [("model", "model_missing")]
    assert english(body) == ["model is required: pick or type a model id."]


def test_model_missing_key():
    body = dict(SEED_EXAMPLE)
    del body["model"]
    assert codes(body) == [("model", "model_missing")]


@pytest.mark.parametrize(
    "prompt",
    ["", "text", ["a", "b"], [1, 2, 3], [[1, 2], [3]], None],
)
def test_prompt_forms_accepted(prompt):
    assert validate({**SEED_EXAMPLE, "prompt": prompt}) == []


@pytest.mark.parametrize(
    ("prompt", "code"),
    [
        (5, "prompt_type"),
        ({"a": 1}, "prompt_type"),
        ([], "prompt_empty_list"),
        (["a", 1], "prompt_type"),
        ([1, True], "prompt_type"),
        ([[1], []], "prompt_type"),
        ([[1], ["a"]], "prompt_type"),
        ([1, -1], "token_id"),
        ([[0], [-3]], "token_id"),
        ([1.5], "prompt_type"),
    ],
)
def test_prompt_forms_rejected(prompt, code):
    assert codes({**SEED_EXAMPLE, "prompt": prompt}) == [("prompt", code)]


@pytest.mark.parametrize(
    ("field", "good", "bad"),
    [
        ("temperature", [0, 0.7, 2], [-0.1, 2.01]),
        ("top_p", [0, 0.5, 1], [-0.01, 1.5]),
        ("presence_penalty", [-2, 0, 2], [-2.5, 3]),
        ("frequency_penalty", [-2, 0, 2], [-3, 2.1]),
        ("logprobs", [0, 5], [-1, 6]),
        ("n", [1, 20], [0, -1]),
        ("max_tokens", [1, 4096], [0, -5]),
    ],
)
def test_numeric_ranges(field, good, bad):
    for value in good:
        assert validate({**SEED_EXAMPLE, field: value}) == [], (field, value)
    for value in bad:
        problems = english({**SEED_EXAMPLE, field: value})
        assert len(problems) == 1 and problems[0].startswith(field), (field, value, problems)
        assert str(value) in problems[0]


def test_range_message_is_readable():
    assert english({**SEED_EXAMPLE, "temperature": 3}) == [
        "temperature must be between 0 and 2 (got 3)."
    ]
    assert english({**SEED_EXAMPLE, "max_tokens": 0}) == ["max_tokens must be at least 1 (got 0)."]


@pytest.mark.parametrize("value", [True, "1", math.nan, math.inf, [1]])
def test_numbers_must_be_numbers(value):
    assert codes({**SEED_EXAMPLE, "temperature": value})[0] == ("temperature", "not_number")


@pytest.mark.parametrize("field", ["n", "max_tokens", "logprobs", "best_of", "seed"])
def test_integers_reject_fractions(field):
    assert (field, "not_integer") in codes({**SEED_EXAMPLE, field: 1.5})


def test_integral_float_is_accepted_for_integer_field():
    assert validate({**SEED_EXAMPLE, "max_tokens": 16.0}) == []


@pytest.mark.parametrize("stop", [None, "\n", ["a"], ["a", "b", "c", "d"]])
def test_stop_accepted(stop):
    assert validate({**SEED_EXAMPLE, "stop": stop}) == []


@pytest.mark.parametrize(
    ("stop", "code"),
    [
        (["a", "b", "c", "d", "e"], "stop_too_many"),
        ("", "stop_empty"),
        (["a", ""], "stop_empty"),
        ([1], "stop_type"),
        (5, "stop_type"),
    ],
)
def test_stop_rejected(stop, code):
    assert codes({**SEED_EXAMPLE, "stop": stop}) == [("stop", code)]


def test_best_of_rules():
    assert validate({**SEED_EXAMPLE, "best_of": 3, "n": 2}) == []
    assert codes({**SEED_EXAMPLE, "best_of": 1, "n": 2}) == [("best_of", "best_of_lt_n")]
    assert codes({**SEED_EXAMPLE, "best_of": 2, "stream": True}) == [("best_of", "best_of_stream")]
    assert english({**SEED_EXAMPLE, "best_of": 1, "n": 2}) == [
        "best_of (1) must be at least n (2)."
    ]


def test_logit_bias_rules():
    assert codes({**SEED_EXAMPLE, "logit_bias": {"abc": 1}}) == [("logit_bias", "logit_bias_key")]
    assert codes({**SEED_EXAMPLE, "logit_bias": {"-1": 1}}) == [("logit_bias", "logit_bias_key")]
    assert codes({**SEED_EXAMPLE, "logit_bias": {"5": 101}}) == [("logit_bias", "logit_bias_value")]
    assert codes({**SEED_EXAMPLE, "logit_bias": {"5": "x"}}) == [("logit_bias", "logit_bias_value")]
    assert codes({**SEED_EXAMPLE, "logit_bias": [1]}) == [("logit_bias", "logit_bias_type")]


def test_booleans_and_strings():
    assert codes({**SEED_EXAMPLE, "stream": "yes"}) == [("stream", "not_bool")]
    assert codes({**SEED_EXAMPLE, "echo": 1}) == [("echo", "not_bool")]
    assert codes({**SEED_EXAMPLE, "suffix": 3}) == [("suffix", "not_string")]
    assert codes({**SEED_EXAMPLE, "user": ["x"]}) == [("user", "not_string")]


def test_stream_options_needs_stream():
    opts = {"include_usage": True}
    assert codes({**SEED_EXAMPLE, "stream_options": opts}) == [
        ("stream_options", "stream_options_without_stream")
    ]
    assert validate({**SEED_EXAMPLE, "stream": True, "stream_options": opts}) == []
    assert codes({**SEED_EXAMPLE, "stream": True, "stream_options": 1}) == [
        ("stream_options", "stream_options_type")
    ]


def test_unknown_keys_must_be_json():
    assert validate({**SEED_EXAMPLE, "top_k": 40, "mirostat": {"tau": 5}}) == []
    assert codes({**SEED_EXAMPLE, "extra": {1, 2}}) == [("extra", "not_json")]
    assert codes({**SEED_EXAMPLE, "extra": math.nan}) == [("extra", "not_json")]


def test_not_a_dict():
    assert english([1]) == ["The request must be a JSON object."]


def test_ordered_follows_seed_then_extras():
    body = {"zeta": 1, "stop": None, "user": "u", "model": "m", "prompt": "p"}
    assert list(ordered(body)) == ["model", "prompt", "stop", "user", "zeta"]
    assert KEY_ORDER[:3] == ("model", "prompt", "max_tokens")


json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
anything = st.recursive(
    json_scalars | st.sets(st.integers(), max_size=2) | st.tuples(st.integers()),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from([*KEY_ORDER, "extra"]) | st.text(max_size=6)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(field_names, anything, max_size=10))
def test_validate_never_raises(body):
    problems = validate(body)
    assert isinstance(problems, list)
    assert all(isinstance(p, Message) and p.text("en") and p.text("zh") for p in problems)


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "model": st.text(min_size=1, max_size=10).filter(str.strip),
            "temperature": st.floats(0, 2),
            "top_p": st.floats(0, 1),
            "n": st.integers(1, 5),
            "max_tokens": st.integers(1, 10_000),
            "logprobs": st.none() | st.integers(0, 5),
            "stop": st.none() | st.lists(st.text(min_size=1), max_size=4),
        }
    )
)
def test_in_range_requests_are_valid(body):
    assert validate(body) == []


def test_total_choices_of_a_batch_are_limited():
    batch = {"model": "m", "prompt": ["a"] * 1000, "n": 128}
    problems = [p for p in validate(batch) if p.code == "too_many_choices"]
    assert problems and problems[0].text("en") == (
        f"1000 prompts × n=128 asks for 128000 choices; one request may ask for at most "
        f"{MAX_CHOICES}."
    )
    tokens = {"model": "m", "prompt": [[1], [2]], "n": MAX_CHOICES // 2}
    assert validate(tokens) == []
    assert [p.code for p in validate({**tokens, "n": MAX_CHOICES // 2 + 1})] == ["too_many_choices"]
    # A list of token ids is one prompt, not a batch.
    assert validate({"model": "m", "prompt": list(range(500)), "n": 2}) == []


def test_problems_are_listed_model_first_then_by_kind_in_table_order():
    body = {"model": "", "user": 1, "echo": "x", "stream": "x", "seed": 0.5, "temperature": 9,
            "stop": [""], "prompt": 5}  # fmt: skip
    assert codes(body) == [
        ("model", "model_missing"),
        ("prompt", "prompt_type"),
        ("temperature", "out_of_range"),
        ("seed", "not_integer"),
        ("stream", "not_bool"),
        ("echo", "not_bool"),
        ("user", "not_string"),
        ("stop", "stop_empty"),
    ]


def test_a_problem_is_a_message_naming_its_field():
    problem = validate({**SEED_EXAMPLE, "n": 0})[0]
    assert isinstance(problem, Message)
    assert (problem.key, problem.params["field"]) == ("problem.out_of_range", "n")
    assert (problem.field, problem.code) == ("n", "out_of_range")
    assert problem.text("zh") == "n 必须介于 1 和 128 之间（当前为 0）。"


def test_long_values_are_shortened_in_messages():
    [problem] = validate({**SEED_EXAMPLE, "logit_bias": {"x" * 100: 1}})
    quoted = problem.params["key"]
    assert len(quoted) == 40 and quoted == repr("x" * 100)[:39] + "…"


# -- a hosted instance's MAX_TOKENS_LIMIT holds every length field ---------------------------

LIMITED = {"model": "m", "prompt": "p", "max_tokens": 100}


def limited(extra: dict) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in validate({**LIMITED, **extra}, max_tokens_limit=100)]


@pytest.mark.parametrize(
    "name",
    ["max_completion_tokens", "max_new_tokens", "max_output_tokens", "max_length", "n_predict",
     "num_predict", "min_tokens", "min_new_tokens", "min_length"],
)  # fmt: skip
def test_every_known_length_field_is_held_to_the_limit(name):
    assert limited({name: 100}) == []
    assert limited({name: 0}) == []
    assert limited({name: 100_000}) == [(name, "host_length")]
    assert limited({name: -1}) == [(name, "host_length")]  # llama.cpp, Ollama: -1 is endless
    assert limited({name: "100000"}) == [(name, "host_length")]
    assert limited({name: 50.5}) == [(name, "host_length")]
    assert validate({**LIMITED, name: 100_000}) == []  # without a limit, anything goes


def test_length_fields_are_held_inside_objects_too():
    assert limited({"options": {"num_predict": 5000}}) == [("options.num_predict", "host_length")]
    assert limited({"parameters": {"max_new_tokens": 10**6}}) == [
        ("parameters.max_new_tokens", "host_length")
    ]
    assert limited({"extra_body": {"max_tokens": 101}}) == [
        ("extra_body.max_tokens", "host_length")
    ]
    assert limited({"options": {"num_predict": 50}}) == []


def test_min_tokens_with_ignore_eos_is_held_and_ignore_eos_alone_is_bounded_by_max_tokens():
    assert limited({"min_tokens": 100_000, "ignore_eos": True}) == [("min_tokens", "host_length")]
    assert limited({"ignore_eos": True}) == []  # it runs to max_tokens, which is held


def test_the_message_says_the_limit_and_the_value():
    (problem,) = validate({**LIMITED, "n_predict": -1}, max_tokens_limit=100)
    assert problem.text("en") == (
        "n_predict must be a whole number from 0 to 100 on this instance, as max_tokens (got -1)."
    )
    assert "n_predict" in problem.text("zh") and "100" in problem.text("zh")
