"""Untrusted text: reading JSON safely (one way for every field) and showing text as written."""

from __future__ import annotations

import gc
import json
import re

import pytest

from lib.config.text import BadJson, escape_markdown, has_surrogates, read_json
from lib.history.entries import FORMAT_NAME, parse_import
from lib.request.fields import DEFAULTS
from lib.request.form import build_body
from lib.request.io import body_from_text

HUGE = "9" * 5000  # over Python's 4300-digit limit for int("...")


def english(problems) -> str:
    return " ".join(p.text("en") for p in problems)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (HUGE, "line 1, column 1: a number has more than 4300 digits"),
        ('{"a": [1,\n  -' + HUGE + "]}", "line 2, column 4: a number has more than 4300 digits"),
        ("{oops", "line 1, column 2: Expecting property name enclosed in double quotes"),
    ],
)
def test_bad_json_says_where_and_why(text, where):
    with pytest.raises(BadJson) as info:
        read_json(text)
    assert info.value.detail.text("en") == where and not info.value.too_deep
    assert "第" in info.value.detail.text("zh")


def test_deep_nesting_is_bad_json():
    with pytest.raises(BadJson) as info:
        read_json("[" * 100_000 + "]" * 100_000)
    assert info.value.too_deep and info.value.detail.text("en") == "nested too deeply to read"


def test_lone_surrogates_are_replaced_unless_asked_for():
    assert read_json('["a\\ud800", {"\\udfff": 1}]') == ["a\ufffd", {"\ufffd": 1}]
    assert read_json('"\\ud83d\\ude00"') == "\U0001f600"  # a pair is a real character
    kept = read_json('["a\\ud800"]', replace_surrogates=False)
    assert kept == ["a\ud800"] and has_surrogates(kept) and not has_surrogates(["a", {"b": 1}])


def test_a_large_document_leaves_the_garbage_collector_as_it_was():
    big = json.dumps([{"i": i} for i in range(200_000)])
    assert len(big) > 1 << 20
    assert len(read_json(big)) == 200_000 and gc.isenabled()
    gc.disable()
    try:
        read_json(big)
        assert not gc.isenabled()
    finally:
        gc.enable()


# Every place that reads JSON typed or uploaded by a person explains a huge number the same way.
NUMBER = "a number has more than 4300 digits"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"extra_json": '{"top_k": ' + HUGE + "}"}, "extra_json"),
        ({"logit_bias": '{"50256": ' + HUGE + "}"}, "logit_bias"),
        ({"prompt_mode": "tokens", "prompt": f"[1, {HUGE}]"}, "prompt"),
        ({"prompt_mode": "token_lists", "prompt": f"[[{HUGE}]]"}, "prompt"),
    ],
)
def test_form_fields_explain_huge_numbers(values, field):
    _, problems = build_body({**DEFAULTS, **values})
    assert [p.field for p in problems] == [field]
    text = problems[0].text("en")
    name = "extra JSON" if field == "extra_json" else field
    assert text.startswith(f"{name} is not valid JSON: line 1, column") and NUMBER in text
    assert "不是有效的 JSON" in problems[0].text("zh")


@pytest.mark.parametrize("text", ['{"model": "m", "seed": ' + HUGE + "}", f"curl -d '[{HUGE}]' x"])
def test_request_import_explains_huge_numbers(text):
    body, problems = body_from_text(text)
    assert body is None and english(problems).startswith("The request is not valid JSON (line 1")
    assert NUMBER in english(problems)


def test_history_import_explains_huge_numbers():
    data = ('{"format": "' + FORMAT_NAME + '", "version": 1, "entries": [' + HUGE + "]}").encode()
    entries, problems = parse_import(data)
    assert entries == [] and english(problems).startswith("The file is not JSON (line 1")
    assert NUMBER in english(problems)


# -- showing untrusted text ------------------------------------------------------------------
# GFM's autolink literals, as mdast-util-gfm-autolink-literal finds them in the text that is
# left once markdown escapes are resolved.
AUTOLINK = re.compile(r"(https?://|www(?=\.))[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)


def resolved(markdown: str) -> str:
    """The text markdown shows for `markdown`: escapes resolved, nothing else changed."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize(
    "text",
    [
        "Visit https://evil.example/login now",
        "HTTP://EVIL.EXAMPLE",
        "see www.evil.example or WWW.evil.example",
        "mail help@evil.example",
        "mailto:help@evil.example and xmpp:bot@evil.example/x",
        "(https://evil.example)",
        "https://www.evil.example",
    ],
)
def test_escaped_text_has_no_autolinks_and_reads_the_same(text):
    assert AUTOLINK.search(text)  # the pattern does catch the raw text
    escaped = escape_markdown(text)
    assert AUTOLINK.search(resolved(escaped)) is None
    assert resolved(escaped).replace("\u2060", "") == text  # only invisible joiners added


def test_escaping_still_stops_markdown():
    assert escape_markdown(":red[x] $y$ <b>") == "\\:red\\[x\\] \\$y\\$ \\<b\\>"
    assert escape_markdown("![px](http://h/p.png)") == "\\!\\[px\\]\\(http\\:\u2060//h/p\\.png\\)"
