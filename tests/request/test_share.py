"""Share links and request import/export: pure encoding and parsing."""

import random
from urllib.parse import parse_qsl, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.request.fields import DEFAULTS
from lib.request.form import build_body, values_from_body
from lib.request.io import body_from_text, export_json
from lib.request.share import COMPRESSED_PROMPT, compress, from_query, link, to_query
from tests.support.seed import SEED_CURL, SEED_EXAMPLE


def test_defaults_give_an_empty_query():
    assert to_query(DEFAULTS) == {}
    assert link("http://app:8501/", DEFAULTS) == "http://app:8501/"


def test_short_request_stays_readable():
    values = {**DEFAULTS, "prompt": "Say this is a test", "temperature": 0.2, "stop": ["\\n"]}
    url = link("http://app:8501", values)
    assert url == (
        "http://app:8501/?prompt=Say%20this%20is%20a%20test&temperature=0.2&stop=%5B%22%5C%5Cn%22%5D"
    )
    params = dict(parse_qsl(urlsplit(url).query))
    assert from_query(params) == ({"prompt": "Say this is a test", "temperature": 0.2,
                                   "stop": ["\\n"]}, [])  # fmt: skip


def test_long_chinese_prompt_round_trips_compressed():
    rng = random.Random(7)
    words = ["你好", "世界", "模型", "补全", "接口", "请求", "参数", "温度", "标记", "概率"]
    prompt = "".join(rng.choice(words) for _ in range(10_000))
    assert len(prompt) == 20_000
    params = to_query({**DEFAULTS, "prompt": prompt})
    assert list(params) == [COMPRESSED_PROMPT]
    assert len(link("http://a/", {**DEFAULTS, "prompt": prompt})) < 40_000
    assert from_query(params) == ({"prompt": prompt}, [])


def test_bad_values_are_reset_with_notes():
    values, notes = from_query(
        {"temperature": "5", "n": "abc", "stream": "maybe", "logprobs": "9", "top_p": "nan",
         "stop": '["a","b","c","d","e"]', "api_key": "sk-x", "max_tokens": "64"}
    )  # fmt: skip
    assert values == {"max_tokens": 64}
    english = [n.text("en") for n in notes]
    assert len(english) == 7
    assert "temperature=5 is not a valid value" in english[0]
    assert "Unknown link parameter 'api_key' was ignored." in english


@pytest.mark.parametrize("token", ["%%%", "abc", compress("x")[:-3], ""])
def test_damaged_compressed_prompt(token):
    values, notes = from_query({COMPRESSED_PROMPT: token})
    assert values == {}
    assert [n.text("en") for n in notes] == ["The link's prompt is damaged and was not loaded."]


def test_compressed_prompt_bomb_is_refused():
    bomb = compress("a" * (3 * 1024 * 1024))
    assert len(bomb) < 10_000
    values, notes = from_query({COMPRESSED_PROMPT: bomb})
    assert values == {} and [n.key for n in notes] == ["share.damaged_prompt"]


shared_values = st.fixed_dictionaries(
    {
        "model": st.text(min_size=1, max_size=20),
        "prompt": st.text(max_size=3000),
        "max_tokens": st.integers(1, 100_000),
        "temperature": st.sampled_from([0.0, 0.3, 1.25, 2.0]),
        "n": st.integers(1, 128),
        "stream": st.booleans(),
        "logprobs": st.sampled_from(["off", 0, 5]),
        "stop": st.lists(st.text(min_size=1, max_size=6), max_size=4),
        "seed": st.none() | st.integers(-(10**9), 10**9),
        "extra_json": st.text(max_size=20),
    }
)


@settings(max_examples=150, deadline=None)
@given(shared_values)
def test_link_round_trip(values):
    params = dict(parse_qsl(urlsplit(link("http://a/", values)).query, keep_blank_values=True))
    decoded, notes = from_query(params)
    assert notes == []
    assert {**DEFAULTS, **decoded} == {**DEFAULTS, **values}


def test_seed_curl_command_imports():
    body, problems = body_from_text(SEED_CURL)
    assert problems == [] and body == SEED_EXAMPLE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste a request body"),
        ("{", "not valid JSON"),
        ("[1]", "must be a JSON object"),
        ("curl https://x/v1/completions", "no -d"),
        ("curl -d @body.json https://x", "from a file"),
        ('curl -d \'{"a": 1', "could not be read"),
    ],
)
def test_bad_request_text(text, message):
    body, problems = body_from_text(text)
    assert body is None and message in problems[0].text("en")


def test_export_uses_the_seed_key_order_and_round_trips_widget_state():
    values = {**DEFAULTS, "prompt": "hi", "stop": ["\\n"], "extra_json": '{"top_k": 3}',
              "logprobs": 2, "stream": False}  # fmt: skip
    body, _ = build_body(values)
    text = export_json(dict(reversed(list(body.items()))))
    assert list(body_from_text(text)[0]) == list(body)
    again, notes = values_from_body(body_from_text(text)[0])
    assert notes == [] and {**again, "restart_text": ""} == values


def test_numbers_the_browser_cannot_hold_are_reset():
    values, notes = from_query({"max_tokens": "999999999999999999", "seed": "-999999999999999999"})
    assert values == {} and len(notes) == 2


@pytest.mark.parametrize(
    "params",
    [
        {"extra_json": '{"x": "\\ud800"}'},
        {"logit_bias": '{"\\udfff": 5}'},
        {"prompt_mode": "token_lists", "prompt": '[[1], "\\ud800"]'},
    ],
)
def test_json_link_values_with_lone_surrogates_are_reset(params):
    values, notes = from_query(params)
    field = next(name for name in params if name != "prompt_mode")
    assert field not in values
    assert [n.text("en") for n in notes] == [
        f"{field}={params[field]} is not a valid value; it was reset to the default."
    ]


def test_json_link_values_with_real_characters_are_kept():
    pair = '{"emoji": "\\ud83d\\ude00"}'  # a surrogate *pair* is one character
    assert from_query({"extra_json": pair}) == ({"extra_json": pair}, [])
    # In text mode the prompt is taken as written: "\ud800" is six characters there.
    assert from_query({"prompt": "\\ud800"}) == ({"prompt": "\\ud800"}, [])
    assert from_query({"extra_json": "{not json"}) == ({"extra_json": "{not json"}, [])


def test_a_long_bad_value_is_shortened_in_its_note():
    _, notes = from_query({"model": "m", "temperature": "9" * 100})
    assert notes[0].params == {"name": "temperature", "value": "9" * 39 + "…"}


def test_a_link_carries_a_stream_left_to_the_server():
    values, _ = values_from_body({"model": "m", "prompt": "p", "max_tokens": 3,
                                  "temperature": 0.5, "top_p": 1.0, "n": 1})  # fmt: skip
    params = dict(parse_qsl(urlsplit(link("http://a/", values)).query))
    assert params["unsent"] == '["stream"]'
    decoded, notes = from_query(params)
    assert notes == []
    body, _ = build_body({**DEFAULTS, **decoded})
    assert "stream" not in body and "stream_options" not in body
    assert from_query({"unsent": '["temperature"]'})[1][0].key == "share.bad_value"
