"""The playground's document model: owned segments, runs, choices, branches, probabilities."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.document.model import (
    INJECT,
    MAX_ALTERNATIVES,
    MAX_SEGMENTS,
    MAX_TEXT,
    MODEL,
    USER,
    branched,
    completion_tokens,
    echo_skip,
    from_browser,
    from_prompt,
    merged,
    text_of,
    with_choice,
    with_completion,
    without_run,
    without_tokens,
)


def u(text):
    return {"text": text, "kind": USER, "run": None}


def m(text, run="r1", tokens=None):
    segment = {"text": text, "kind": MODEL, "run": run}
    if tokens is not None:
        segment["tokens"] = tokens
    return segment


def inj(text, run="r1"):
    return {"text": text, "kind": INJECT, "run": run}


def toks(*texts, p=0.5):
    """Tokens spelling `texts`, each with probability `p` and itself as the only alternative."""
    return [[t, p, [[t, p]]] for t in texts]


# text_of / from_prompt / merged ----------------------------------------------------------------


def test_text_of_joins_all_segment_texts_in_order():
    assert text_of([u("Once "), m("upon"), inj(" a"), u(" time")]) == "Once upon a time"
    assert text_of([]) == ""


def test_from_prompt_is_one_user_segment_or_nothing():
    assert from_prompt("hi") == [{"text": "hi", "kind": USER, "run": None}]
    assert from_prompt("") == []


def test_merged_drops_empty_segments():
    assert merged([u(""), m(""), inj(""), m("x")]) == [m("x")]


def test_merged_joins_neighbouring_user_segments():
    assert merged([u("a"), u("b"), u("c")]) == [u("abc")]


def test_merged_joins_user_segments_across_a_dropped_empty_one():
    assert merged([u("a"), m(""), u("b")]) == [u("ab")]


def test_merged_never_joins_model_segments():
    segments = [m("a", tokens=toks("a")), m("b", tokens=toks("b"))]
    assert merged(segments) == segments


def test_merged_joins_inject_only_within_one_run():
    assert merged([inj("a"), inj("b")]) == [inj("ab")]
    assert merged([inj("a", "r1"), inj("b", "r2")]) == [inj("a", "r1"), inj("b", "r2")]


def test_merged_does_not_join_different_kinds():
    assert merged([u("a"), inj("b", None)]) == [u("a"), inj("b", None)]


# with_completion ----------------------------------------------------------------------------------


def test_with_completion_adds_start_completion_and_restart_tagged_with_run():
    tokens = toks(" upon", " a")
    doc = with_completion([u("Once")], "r7", " upon a", tokens, start=":", restart="\n")
    assert doc == [
        u("Once"),
        {"text": ":", "kind": INJECT, "run": "r7"},
        {"text": " upon a", "kind": MODEL, "run": "r7", "tokens": tokens},
        {"text": "\n", "kind": INJECT, "run": "r7"},
    ]
    assert text_of(doc) == "Once: upon a\n"


def test_with_completion_without_tokens_has_no_tokens_key():
    doc = with_completion([u("a")], "r1", "b", None)
    assert doc == [u("a"), {"text": "b", "kind": MODEL, "run": "r1"}]
    assert "tokens" not in doc[1]


def test_with_completion_restart_only_after_a_non_empty_completion():
    doc = with_completion([u("a")], "r1", "", None, start="S", restart="R")
    assert doc == [u("a"), inj("S")]


def test_with_completion_empty_everything_leaves_document_unchanged():
    assert with_completion([u("a")], "r1", "", None) == [u("a")]


def test_with_completion_keeps_empty_token_list():
    doc = with_completion([], "r1", "x", [])
    assert doc == [{"text": "x", "kind": MODEL, "run": "r1", "tokens": []}]


# without_run --------------------------------------------------------------------------------------


def test_without_run_removes_that_runs_model_and_inject_text_and_merges_user_neighbours():
    doc = [u("a"), inj("S", "r1"), m("b", "r1"), inj("R", "r1"), u("c")]
    assert without_run(doc, "r1") == [u("ac")]


def test_without_run_keeps_other_runs_and_user_edits_between():
    doc = [u("a"), m("b", "r1"), u("edit"), m("c", "r2"), m("d", "r1")]
    assert without_run(doc, "r1") == [u("aedit"), m("c", "r2")]


def test_without_run_of_unknown_run_changes_nothing():
    doc = [u("a"), m("b", "r1")]
    assert without_run(doc, "nope") == doc


# with_choice --------------------------------------------------------------------------------------


def test_with_choice_swaps_model_text_and_keeps_new_tokens():
    doc = [u("a"), inj("S"), m("old", tokens=toks("o", "ld")), inj("R"), m("x", "r2")]
    new_tokens = toks("ne", "w")
    assert with_choice(doc, "r1", "new", new_tokens) == [
        u("a"),
        inj("S"),
        {"text": "new", "kind": MODEL, "run": "r1", "tokens": new_tokens},
        inj("R"),
        m("x", "r2"),
    ]


def test_with_choice_without_tokens_drops_old_tokens():
    doc = [u("a"), m("old", tokens=toks("old"))]
    assert with_choice(doc, "r1", "new", None) == [
        u("a"),
        {"text": "new", "kind": MODEL, "run": "r1"},
    ]


def test_with_choice_replaces_a_split_model_run_once_and_keeps_user_edit():
    doc = [m("ab"), u("edit"), m("cd")]
    assert with_choice(doc, "r1", "XY", None) == [m("XY"), u("edit")]


def test_with_choice_places_text_for_a_run_whose_first_choice_was_empty():
    doc = with_completion([u("a")], "r1", "", None, start="S", restart="R")
    assert text_of(with_choice(doc, "r1", "new", None)) == "aSnew"


# branched -----------------------------------------------------------------------------------------


def branch_doc():
    tokens = [
        ["The", 0.9, [["The", 0.9], ["A", 0.05]]],
        [" cat", 0.6, [[" cat", 0.6], [" dog", 0.3]]],
        [" sat", 0.7, [[" sat", 0.7]]],
    ]
    return [u("Q: "), m("The cat sat", "r1", tokens), u(" tail")], tokens


def test_branched_cuts_before_token_and_puts_alternative_with_its_probability():
    doc, tokens = branch_doc()
    assert branched(doc, 1, 1, " dog") == [
        u("Q: "),
        {"text": "The", "kind": MODEL, "run": "r1", "tokens": tokens[:1]},
        {
            "text": " dog",
            "kind": MODEL,
            "run": "r1",
            "tokens": [[" dog", 0.3, [[" cat", 0.6], [" dog", 0.3]]]],
            "picked": True,
        },
    ]


def test_branched_at_first_token_drops_the_empty_head():
    doc, _ = branch_doc()
    assert branched(doc, 1, 0, "A") == [
        u("Q: "),
        {
            "text": "A",
            "kind": MODEL,
            "run": "r1",
            "tokens": [["A", 0.05, [["The", 0.9], ["A", 0.05]]]],
            "picked": True,
        },
    ]


@pytest.mark.parametrize(
    ("index", "token", "alternative"),
    [
        (-1, 0, "A"),
        (3, 0, "A"),
        (1, -1, "A"),
        (1, 3, "A"),
        (0, 0, "A"),  # a user segment
        (2, 0, "A"),  # a user segment
        (1, 0, "Zebra"),  # not among token 0's alternatives
        (1, 1, "A"),  # an alternative of another token
        (1, 0, ""),
    ],
)
def test_branched_returns_none_for_places_that_do_not_exist(index, token, alternative):
    doc, _ = branch_doc()
    assert branched(doc, index, token, alternative) is None


def test_branched_returns_none_for_model_segment_without_tokens():
    assert branched([m("abc")], 0, 0, "a") is None
    assert branched([m("abc", tokens=[])], 0, 0, "a") is None


def test_branched_returns_none_for_empty_alternative_even_if_listed():
    doc = [m("ab", tokens=[["a", 0.5, [["a", 0.5], ["", 0.1]]], ["b", 0.5, []]])]
    assert branched(doc, 0, 0, "") is None


# completion_tokens --------------------------------------------------------------------------------


def test_completion_tokens_probabilities_from_logprobs():
    logprobs = {
        "tokens": ["He", "llo"],
        "token_logprobs": [math.log(0.5), 0.0],
        "top_logprobs": [{"He": math.log(0.5), "Hi": math.log(0.25)}, {"llo": 0.0}],
    }
    assert completion_tokens(logprobs, "Hello") == [
        ["He", pytest.approx(0.5), [["He", pytest.approx(0.5)], ["Hi", pytest.approx(0.25)]]],
        ["llo", 1.0, [["llo", 1.0]]],
    ]


def test_completion_tokens_clamps_probability_at_one():
    logprobs = {"tokens": ["a"], "token_logprobs": [0.7], "top_logprobs": [{"a": 3}]}
    assert completion_tokens(logprobs, "a") == [["a", 1.0, [["a", 1.0]]]]


@pytest.mark.parametrize(
    "bad", [math.nan, math.inf, -math.inf, True, False, "-1.0", None, [0.0], {}]
)
def test_completion_tokens_unusable_logprob_is_none(bad):
    # The same reading as the token table's (lib.run.model.probability).
    logprobs = {"tokens": ["a"], "token_logprobs": [bad], "top_logprobs": [{"a": bad}]}
    assert completion_tokens(logprobs, "a") == [["a", None, [["a", None]]]]


def test_completion_tokens_integer_logprob_is_accepted():
    logprobs = {"tokens": ["a"], "token_logprobs": [0]}
    assert completion_tokens(logprobs, "a") == [["a", 1.0, []]]


def test_completion_tokens_huge_integer_logprob_is_none():
    logprobs = {"tokens": ["a"], "token_logprobs": [-(10**400)]}
    assert completion_tokens(logprobs, "a") == [["a", None, []]]


def test_completion_tokens_alternatives_sorted_most_likely_first_none_last():
    top = {"c": math.log(0.1), "n": None, "a": math.log(0.6), "b": math.log(0.3)}
    logprobs = {"tokens": ["a"], "token_logprobs": [math.log(0.6)], "top_logprobs": [top]}
    [[_, _, alternatives]] = completion_tokens(logprobs, "a")
    assert [a[0] for a in alternatives] == ["a", "b", "c", "n"]
    assert alternatives[-1] == ["n", None]


def test_completion_tokens_alternatives_capped():
    top = {f"t{i}": -i / 10 for i in range(MAX_ALTERNATIVES + 5)}
    logprobs = {"tokens": ["a"], "token_logprobs": [0.0], "top_logprobs": [top]}
    [[_, _, alternatives]] = completion_tokens(logprobs, "a")
    assert len(alternatives) == MAX_ALTERNATIVES == 20
    assert [a[0] for a in alternatives] == [f"t{i}" for i in range(MAX_ALTERNATIVES)]


def test_completion_tokens_missing_or_short_lists_give_none_probabilities():
    logprobs = {"tokens": ["a", "b"], "token_logprobs": [0.0], "top_logprobs": "nope"}
    assert completion_tokens(logprobs, "ab") == [["a", 1.0, []], ["b", None, []]]


def test_completion_tokens_non_dict_top_gives_no_alternatives():
    logprobs = {"tokens": ["a"], "token_logprobs": [0.0], "top_logprobs": [["a", 0.0]]}
    assert completion_tokens(logprobs, "a") == [["a", 1.0, []]]


def test_completion_tokens_echo_skip_drops_prompt_tokens():
    logprobs = {
        "tokens": ["Hi", " there", "!"],
        "token_logprobs": [None, math.log(0.5), 0.0],
        "top_logprobs": [None, {" there": math.log(0.5)}, {"!": 0.0}],
    }
    assert completion_tokens(logprobs, " there!", skip=2) == [
        [" there", pytest.approx(0.5), [[" there", pytest.approx(0.5)]]],
        ["!", 1.0, [["!", 1.0]]],
    ]


def test_completion_tokens_token_straddling_skip_is_none():
    logprobs = {"tokens": ["Hi t", "here"], "token_logprobs": [0.0, 0.0]}
    assert completion_tokens(logprobs, " there", skip=2) is None


def test_completion_tokens_none_when_tokens_do_not_spell_completion():
    logprobs = {"tokens": ["a", "b"], "token_logprobs": [0.0, 0.0]}
    assert completion_tokens(logprobs, "abc") is None
    assert completion_tokens(logprobs, "a") is None


def test_completion_tokens_none_when_a_token_is_not_a_string():
    logprobs = {"tokens": ["a", 98], "token_logprobs": [0.0, 0.0]}
    assert completion_tokens(logprobs, "ab") is None
    assert completion_tokens({"tokens": [b"a"]}, "a") is None


@pytest.mark.parametrize("logprobs", [None, [], "x", {}, {"tokens": None}, {"tokens": "ab"}])
def test_completion_tokens_none_for_missing_logprobs(logprobs):
    assert completion_tokens(logprobs, "ab") is None


def test_completion_tokens_empty_completion_is_empty_list():
    assert completion_tokens({"tokens": []}, "") == []


# echo_skip ----------------------------------------------------------------------------------------


def test_echo_skip_counts_echoed_prompt():
    assert echo_skip({"echo": True, "prompt": "Hi"}, "Hi there") == 2


@pytest.mark.parametrize(
    ("request_body", "text"),
    [
        ({"echo": False, "prompt": "Hi"}, "Hi there"),
        ({"prompt": "Hi"}, "Hi there"),
        ({"echo": 1, "prompt": "Hi"}, "Hi there"),
        ({"echo": True, "prompt": ["Hi"]}, "Hi there"),
        ({"echo": True, "prompt": "Hi"}, "Ho there"),
        ({"echo": True}, "Hi there"),
    ],
)
def test_echo_skip_is_zero_otherwise(request_body, text):
    assert echo_skip(request_body, text) == 0


# from_browser -------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "text", {"text": "a"}, ({"text": "a", "kind": USER},)])
def test_from_browser_rejects_non_lists(value):
    assert from_browser(value, []) is None


def test_from_browser_accepts_empty_list():
    assert from_browser([], [u("a")]) == []


def test_from_browser_rejects_too_many_segments():
    assert from_browser([u("")] * (MAX_SEGMENTS + 1), []) is None
    assert from_browser([u("")] * MAX_SEGMENTS, []) == []


@pytest.mark.parametrize(
    "item",
    [
        "text",
        ["a", USER, None],
        {"text": "a", "kind": "robot", "run": None},
        {"text": "a", "run": None},
        {"text": 5, "kind": USER, "run": None},
        {"kind": USER, "run": None},
        {"text": "a", "kind": MODEL, "run": "r" * 65},
        {"text": "a", "kind": MODEL, "run": 7},
    ],
)
def test_from_browser_rejects_bad_items(item):
    assert from_browser([u("ok"), item], []) is None


def test_from_browser_accepts_run_id_of_64_characters():
    run = "r" * 64
    assert from_browser([{"text": "a", "kind": MODEL, "run": run}], []) == [m("a", run)]


def test_from_browser_rejects_total_text_over_max():
    half = "x" * (MAX_TEXT // 2)
    assert from_browser([u(half), u(half + "x")], []) is None
    assert from_browser([u(half), u(half)], []) == [u(half + half)]


def test_from_browser_keeps_only_text_kind_and_run_and_merges():
    value = [{"text": "a", "kind": USER, "run": None, "extra": 1}, u("b"), u("")]
    assert from_browser(value, []) == [u("ab")]


def test_from_browser_keeps_tokens_for_unchanged_model_segment():
    tokens = toks("ab", "c")
    previous = [u("x"), m("abc", tokens=tokens)]
    assert from_browser([u("x"), m("abc")], previous) == [u("x"), m("abc", tokens=tokens)]


def test_from_browser_keeps_tokens_for_prefix_on_token_boundary():
    tokens = toks("ab", "c", "de")
    previous = [m("abcde", tokens=tokens)]
    assert from_browser([m("abc"), u("!")], previous) == [m("abc", tokens=tokens[:2]), u("!")]


def test_from_browser_drops_tokens_for_prefix_inside_a_token():
    previous = [m("abcde", tokens=toks("ab", "cde"))]
    assert from_browser([m("abc")], previous) == [m("abc")]


def test_from_browser_drops_tokens_for_edited_model_text():
    previous = [m("abc", tokens=toks("abc"))]
    assert from_browser([m("abX")], previous) == [m("abX")]


def test_from_browser_takes_tokens_only_from_the_same_run():
    previous = [m("abc", "r1", toks("abc"))]
    assert from_browser([m("abc", "r2")], previous) == [m("abc", "r2")]


def test_from_browser_never_takes_tokens_from_the_browser():
    sent = m("abc", tokens=toks("abc", p=0.99))
    assert from_browser([sent], []) == [m("abc")]
    previous_tokens = toks("abc", p=0.1)
    assert from_browser([sent], [m("abc", tokens=previous_tokens)]) == [
        m("abc", tokens=previous_tokens)
    ]


def test_from_browser_prefers_exact_match_over_earlier_prefix_match():
    long_tokens = toks("ab", "cd")
    exact_tokens = toks("a", "b", p=0.25)
    previous = [m("abcd", tokens=long_tokens), u(" "), m("ab", tokens=exact_tokens)]
    result = from_browser([m("ab")], previous)
    assert result == [m("ab", tokens=exact_tokens)]


def test_from_browser_does_not_give_tokens_to_user_text():
    previous = [m("abc", tokens=toks("abc"))]
    assert from_browser([{"text": "abc", "kind": USER, "run": "r1"}], previous) == [
        {"text": "abc", "kind": USER, "run": "r1"}
    ]


# without_tokens -----------------------------------------------------------------------------------


def test_without_tokens_strips_only_tokens_and_copies():
    doc = [u("a"), {**m("b", tokens=toks("b")), "picked": True}]
    out = without_tokens(doc)
    assert out == [u("a"), {"text": "b", "kind": MODEL, "run": "r1", "picked": True}]
    assert doc[1]["tokens"] == toks("b")
    assert out[0] is not doc[0]


# property -----------------------------------------------------------------------------------------

_text = st.text(alphabet="ab \n\u00e9\U0001f600", min_size=0, max_size=8)
_run = st.sampled_from(["r1", "r2", "r" * 64])


@st.composite
def _segment(draw):
    kind = draw(st.sampled_from([USER, MODEL, INJECT]))
    if kind == USER:
        return u(draw(_text))
    if kind == INJECT:
        return inj(draw(_text), draw(_run))
    pieces = draw(st.lists(st.text(alphabet="ab \u00e9", min_size=1, max_size=3), max_size=4))
    run = draw(_run)
    if draw(st.booleans()):
        return m("".join(pieces), run)
    tokens = [[p, draw(st.none() | st.floats(0, 1)), []] for p in pieces]
    return m("".join(pieces), run, tokens)


@given(st.lists(_segment(), max_size=12))
def test_from_browser_round_trip_preserves_text_and_kinds(raw):
    doc = merged(raw)
    result = from_browser(without_tokens(doc), doc)
    assert result is not None
    assert text_of(result) == text_of(doc)
    assert [s["kind"] for s in result] == [s["kind"] for s in doc]
    assert [s["run"] for s in result] == [s["run"] for s in doc]
    assert without_tokens(result) == without_tokens(doc)
    for segment in result:
        if "tokens" in segment:
            assert "".join(t[0] for t in segment["tokens"]) == segment["text"]
