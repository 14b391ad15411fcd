"""The diff of two completions: exact alignments on tricky cases, then properties."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.compare.diff import (
    DIFFER,
    EQUAL,
    LEFT,
    ONLY_LEFT,
    ONLY_RIGHT,
    RIGHT,
    TOKENS,
    WORDS,
    Divergence,
    Likelihood,
    Side,
    branch_point,
    diff,
    side_of_entry,
)
from lib.document.model import MODEL, USER, user


def tokens(*texts: str, alts: dict[int, list] | None = None) -> Side:
    """A side whose server sent these tokens (probability 0.5, alternatives as given)."""
    alts = alts or {}
    return Side("".join(texts), [[t, 0.5, alts.get(i, [])] for i, t in enumerate(texts)])


def kinds(result) -> list[tuple[str, str, str]]:
    return [(s.kind, s.left_text, s.right_text) for s in result.stretches]


def test_identical_completions_have_no_divergence_and_one_equal_stretch():
    result = diff(tokens(" a", " b"), tokens(" a", " b"))
    assert result.mode == TOKENS
    assert result.first is None
    assert kinds(result) == [(EQUAL, " a b", " a b")]


def test_two_empty_completions_have_nothing_to_align():
    result = diff(Side(""), Side(""))
    assert result.first is None and result.stretches == []


def test_one_empty_side_diverges_at_zero():
    result = diff(Side(""), Side("Hello there"))
    assert result.first == Divergence(0, 0, 0)
    assert kinds(result) == [(ONLY_RIGHT, "", "Hello there")]


def test_a_prefix_of_the_other_ends_with_only_the_longer_side():
    result = diff(tokens(" a", " b", " c"), tokens(" a", " b"))
    assert result.first == Divergence(4, 2, 2)
    assert kinds(result) == [(EQUAL, " a b", " a b"), (ONLY_LEFT, " c", "")]


def test_divergence_at_token_zero_then_equal_again():
    result = diff(tokens(" The", " cat", " sat"), tokens(" A", " cat", " sat"))
    assert result.first == Divergence(0, 0, 0)
    assert kinds(result) == [(DIFFER, " The", " A"), (EQUAL, " cat sat", " cat sat")]


def test_every_later_difference_is_a_stretch_of_its_own():
    left = tokens(" one", " two", " three", " four", " five")
    right = tokens(" one", " 2", " three", " four", " extra", " five")
    result = diff(left, right)
    assert result.first == Divergence(4, 1, 1)
    assert kinds(result) == [
        (EQUAL, " one", " one"),
        (DIFFER, " two", " 2"),
        (EQUAL, " three four", " three four"),
        (ONLY_RIGHT, "", " extra"),
        (EQUAL, " five", " five"),
    ]
    inserted = result.stretches[3]
    assert (inserted.left.start, inserted.left.end, inserted.right.start, inserted.right.end) == (
        4,
        4,
        4,
        5,
    )
    assert (inserted.right.char_start, inserted.right.char_end) == (
        17,
        23,
    )  # after " one 2 three four"


def test_tokens_cut_differently_on_both_sides_are_still_equal_text():
    # Two tokenizers: "Hel"+"lo" against "Hello"; the difference is only "!" against "?".
    left = tokens("Hel", "lo", " wor", "ld", "!")
    right = tokens("Hello", " world", "?")
    result = diff(left, right)
    assert kinds(result) == [(EQUAL, "Hello world", "Hello world"), (DIFFER, "!", "?")]
    assert result.first == Divergence(11, 4, 2)


def test_differently_cut_tokens_between_two_differences_are_equal_text():
    left = tokens(" x", " Hel", "lo", " y", " z", " q")
    right = tokens(" w", " Hello", " y", " z", " r")
    assert kinds(diff(left, right)) == [
        (DIFFER, " x", " w"),
        (EQUAL, " Hello y z", " Hello y z"),
        (DIFFER, " q", " r"),
    ]


def test_a_difference_inside_differently_cut_tokens_starts_at_a_cut_both_sides_share():
    # "Hello wor|ld" vs "Hello| world": the texts differ at "ld" / "lds", but the last cut both
    # sides have before that is after "Hello".
    result = diff(tokens("Hello", " wor", "ld"), tokens("Hel", "lo", " worlds"))
    assert result.first == Divergence(5, 1, 2)
    assert kinds(result) == [(EQUAL, "Hello", "Hello"), (DIFFER, " world", " worlds")]


def test_without_logprobs_on_either_side_the_words_are_aligned_with_their_whitespace():
    left = Side("The  quick\nbrown fox ")
    right = tokens("The", "  quick", "\nred", " fox", " ")  # the left has no tokens: words
    result = diff(left, right)
    assert result.mode == WORDS
    assert kinds(result) == [
        (EQUAL, "The  quick", "The  quick"),
        (DIFFER, "\nbrown", "\nred"),
        (EQUAL, " fox ", " fox "),
    ]
    assert result.first == Divergence(10, 2, 2)


def test_unicode_and_bidi_text_is_cut_at_code_points_and_kept_whole():
    left = Side("שלום \u200fעולם 😀 café")
    right = Side("שלום \u200fעולם 😀 cafe\u0301")
    result = diff(left, right)
    assert kinds(result) == [
        (EQUAL, "שלום \u200fעולם 😀", "שלום \u200fעולם 😀"),
        (DIFFER, " café", " cafe\u0301"),
    ]
    assert result.first == Divergence(12, 3, 3)


def test_at_a_difference_each_side_says_how_likely_it_found_the_others_token():
    left = tokens(" I", " like", " tea", alts={1: [[" like", 0.6], [" love", 0.3]]})
    right = tokens(" I", " love", " tea", alts={1: [[" love", 0.9], [" adore", 0.05]]})
    stretch = diff(left, right).stretches[1]
    assert stretch.kind == DIFFER
    assert stretch.left_saw == Likelihood(" love", 0.3, True, 2)
    assert stretch.right_saw == Likelihood(" like", None, False, 2)


def test_no_likelihood_where_a_side_has_no_top_alternatives():
    left = tokens(" I", " like", alts={1: [[" like", 0.6]]})
    right = tokens(" I", " love")
    assert diff(left, right).stretches[1].left_saw is None
    assert diff(left, right).stretches[1].right_saw is None


def test_sides_come_from_history_entries_with_the_echoed_prompt_left_out():
    entry = {
        "request": {"prompt": "Say:", "echo": True},
        "response": {
            "choices": [
                {
                    "index": 0,
                    "text": "Say: hi",
                    "logprobs": {
                        "tokens": ["Say:", " hi"],
                        "token_logprobs": [None, 0.0],
                        "top_logprobs": [None, {" hi": 0.0}],
                    },
                }
            ]
        },
    }
    assert side_of_entry(entry) == Side(" hi", [[" hi", 1.0, [[" hi", 1.0]]]])
    assert side_of_entry(entry, 3) == Side("")
    assert side_of_entry({"request": {}, "response": None}) == Side("")


def test_branch_point_continues_the_document_with_either_sides_token():
    left = tokens(" I", " like", " tea", alts={1: [[" like", 0.6], [" love", 0.3]]})
    right = tokens(" I", " love", " tea")
    result = diff(left, right)
    document = [user("Q:")]
    assert branch_point(document, result, RIGHT, 1, "run-b") == [
        user("Q:"),
        {"text": " I", "kind": MODEL, "run": "run-b", "tokens": [[" I", 0.5, []]]},
        {"text": " love", "kind": MODEL, "run": "run-b", "picked": True,
         "tokens": [[" love", 0.5, []]]},
    ]  # fmt: skip
    branched = branch_point(document, result, LEFT, 1, "run-a")
    assert "".join(s["text"] for s in branched) == "Q: I like"
    assert branched[-1]["tokens"] == [[" like", 0.5, [[" like", 0.6], [" love", 0.3]]]]


def test_branch_point_in_words_has_no_tokens_and_refuses_a_side_that_ended():
    result = diff(Side("a b"), Side("a b c"))
    assert kinds(result) == [(EQUAL, "a b", "a b"), (ONLY_RIGHT, "", " c")]
    assert branch_point([], result, RIGHT, 1, "r") == [
        {"text": "a b", "kind": MODEL, "run": "r"},
        {"text": " c", "kind": MODEL, "run": "r", "picked": True},
    ]
    assert branch_point([], result, LEFT, 1, "r") is None  # the left has no more text
    assert branch_point([], result, LEFT, 0, "r") is None  # no difference there
    assert branch_point([], result, LEFT, 9, "r") is None
    assert [s["kind"] for s in branch_point([user("x")], result, RIGHT, 1, "r")] == [
        USER,
        MODEL,
        MODEL,
    ]


def test_long_answers_are_aligned_difference_by_difference():
    words = [f" w{i % 300}" for i in range(3000)]
    changed = [" new" if i % 100 == 50 else word for i, word in enumerate(words)]
    result = diff(tokens(*words), tokens(*changed))
    differ = [s for s in result.stretches if s.kind != EQUAL]
    assert [(s.kind, s.left.start, s.left_text, s.right_text) for s in differ] == [
        (DIFFER, i, words[i], " new") for i in range(50, 3000, 100)
    ]
    assert result.first == Divergence(len("".join(words[:50])), 50, 50)


# Properties ---------------------------------------------------------------------------------

_PIECES = st.sampled_from(["a", "b", " ", "ab", " a", "b ", "é", "\u200f", "😀", "\n", ""])
_TOKENS = st.lists(_PIECES, max_size=12)


def _joined(result, side: str) -> str:
    kinds_of_side = (EQUAL, DIFFER, ONLY_LEFT if side == LEFT else ONLY_RIGHT)
    return "".join(
        s.left_text if side == LEFT else s.right_text
        for s in result.stretches
        if s.kind in kinds_of_side
    )


def _cuts(units: list[str]) -> set[int]:
    cuts, at = {0}, 0
    for unit in units:
        at += len(unit)
        cuts.add(at)
    return cuts


def _expected_first(left: list[str], right: list[str]) -> int:
    a, b = "".join(left), "".join(right)
    common = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return max(c for c in _cuts(left) & _cuts(right) if c <= common)


@given(_TOKENS, _TOKENS)
def test_each_sides_stretches_join_back_to_its_text(left, right):
    result = diff(tokens(*left), tokens(*right))
    assert _joined(result, LEFT) == "".join(left)
    assert _joined(result, RIGHT) == "".join(right)
    for stretch in result.stretches:
        if stretch.kind == EQUAL:
            assert stretch.left_text == stretch.right_text


@given(_TOKENS, _TOKENS)
def test_the_first_divergence_is_the_last_shared_cut_before_the_texts_differ(left, right):
    result = diff(tokens(*left), tokens(*right))
    if "".join(left) == "".join(right):
        assert result.first is None
    else:
        assert result.first is not None
        assert result.first.chars == _expected_first(left, right)
        assert "".join(left[: result.first.left_token]) == "".join(left)[: result.first.chars]
        assert "".join(right[: result.first.right_token]) == "".join(right)[: result.first.chars]


@given(st.text(alphabet="ab \n\u05d0é", max_size=30), st.text(alphabet="ab \n\u05d0é", max_size=30))
def test_words_keep_every_character_and_first_divergence_is_at_a_word_cut(left, right):
    result = diff(Side(left), Side(right))
    assert _joined(result, LEFT) == left and _joined(result, RIGHT) == right
    words = re.compile(r"\s*\S+|\s+")
    if left != right:
        assert result.first.chars == _expected_first(words.findall(left), words.findall(right))


@pytest.mark.parametrize("side", [LEFT, RIGHT])
def test_the_units_of_a_side_are_its_tokens_or_words(side):
    result = diff(tokens(" x", "y"), tokens(" x", "z"))
    assert result.units(side) == [" x", "y" if side == LEFT else "z"]
