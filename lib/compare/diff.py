"""Where two completions part ways: an alignment by the servers' tokens, else by words.

Each side is a completion's text and, when its server sent logprobs that spell the text, its
tokens in the document's form (lib/document/model.py: ``[text, probability, alternatives]``).
Both sides with tokens are aligned token by token; otherwise both are cut into words, each with
the whitespace before it, so joining a side's units gives back its text exactly.

An alignment is a list of `Aligned` stretches (equal, differ, only-left, only-right). Two sides
may cut the same text differently (two tokenizers: "Hel"+"lo" against "Hello"): text counts as
equal when it is the same characters between cuts both sides share, so a different cut alone is
never a difference. Character positions count code points (Python's `str`), not UTF-16 units.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from itertools import accumulate
from typing import Any, NamedTuple

from lib.document.model import MODEL, Segment, Token, completion_tokens, echo_skip, with_completion

TOKENS, WORDS = "tokens", "words"
EQUAL, DIFFER, ONLY_LEFT, ONLY_RIGHT = "equal", "differ", "only_left", "only_right"
LEFT, RIGHT = "left", "right"
# SequenceMatcher is about quadratic on very different inputs: past this many units a side's
# middle (after the common head and tail) is reported as one difference instead.
MAX_ALIGNED_UNITS = 20_000
# A word with the whitespace before it; whitespace at the very end is a unit of its own.
_WORD = re.compile(r"\s*\S+|\s+")


class Side(NamedTuple):
    """One completion: its text and, when its server sent usable logprobs, its tokens."""

    text: str
    tokens: list[Token] | None = None


@dataclass(frozen=True)
class Span:
    """A stretch of one side: units [start, end) and characters [char_start, char_end)."""

    start: int
    end: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Likelihood:
    """How likely one side found the other side's token at a differing position.

    `probability` is None when the token was not among the side's `k` top alternatives.
    """

    token: str
    probability: float | None
    found: bool
    k: int


@dataclass(frozen=True)
class Aligned:
    """One stretch of the alignment, with each side's part of it."""

    kind: str  # EQUAL | DIFFER | ONLY_LEFT | ONLY_RIGHT
    left: Span
    right: Span
    left_text: str
    right_text: str
    # At a difference's first position, where both sides have top alternatives there: how
    # likely the left side found the right's token (`left_saw`), and the other way round.
    left_saw: Likelihood | None = None
    right_saw: Likelihood | None = None


@dataclass(frozen=True)
class Divergence:
    """The first difference: the shared text's length, and each side's token (unit) index."""

    chars: int
    left_token: int
    right_token: int


@dataclass(frozen=True)
class Diff:
    mode: str  # TOKENS | WORDS
    left: Side
    right: Side
    stretches: list[Aligned]
    first: Divergence | None  # None when the two completions are the same

    def units(self, side: str) -> list[str]:
        return _units(self.left if side == LEFT else self.right, self.mode)


# Sides ------------------------------------------------------------------------------------


def side_of(request: dict, choice: Any) -> Side:
    """One response choice as a side: its completion (an echoed prompt left out) and tokens."""
    if not isinstance(choice, dict) or not isinstance(choice.get("text"), str):
        return Side("")
    text = choice["text"]
    skip = echo_skip(request, text)
    return Side(text[skip:], completion_tokens(choice.get("logprobs"), text[skip:], skip=skip))


def side_of_entry(entry: dict, index: int = 0) -> Side:
    """Choice `index` of a history entry (or a run's record) as a side; empty when absent."""
    response = entry.get("response")
    choices = response.get("choices") if isinstance(response, dict) else None
    found = [c for c in choices or [] if isinstance(c, dict) and c.get("index", 0) == index]
    request = entry.get("request") if isinstance(entry.get("request"), dict) else {}
    return side_of(request, found[0] if found else None)


# Alignment --------------------------------------------------------------------------------


def _units(side: Side, mode: str) -> list[str]:
    if mode == TOKENS and side.tokens is not None:
        return [token[0] for token in side.tokens]
    return _WORD.findall(side.text)


def diff(left: Side, right: Side) -> Diff:
    """The alignment of two completions, its first divergence and how sure each side was."""
    mode = TOKENS if left.tokens is not None and right.tokens is not None else WORDS
    lu, ru = _units(left, mode), _units(right, mode)
    ops = _merged(_align(lu, ru, 0, len(lu), 0, len(ru), matcher=True))
    lo, ro = _offsets(lu), _offsets(ru)
    stretches = [_stretch(op, left, right, lo, ro, mode) for op in ops]
    first = next((s for s in stretches if s.kind != EQUAL), None)
    divergence = (
        None
        if first is None
        else Divergence(first.left.char_start, first.left.start, first.right.start)
    )
    return Diff(mode, left, right, stretches, divergence)


Op = tuple[str, int, int, int, int]  # kind, left units [i1, i2), right units [j1, j2)


def _offsets(units: list[str]) -> list[int]:
    """The character offset of each cut between units: [0, len(u0), len(u0 + u1), ...]."""
    return [0, *accumulate(len(u) for u in units)]


def _align(
    lu: list[str], ru: list[str], i1: int, i2: int, j1: int, j2: int, matcher: bool
) -> list[Op]:
    """Units [i1, i2) against [j1, j2): equal head and tail, then the middle's stretches."""
    head = _shared_cut(lu[i1:i2], ru[j1:j2])
    i1h, j1h = i1 + head[0], j1 + head[1]
    tail = _shared_cut(lu[i1h:i2][::-1], ru[j1h:j2][::-1], reverse=True)
    i2t, j2t = i2 - tail[0], j2 - tail[1]
    ops: list[Op] = [(EQUAL, i1, i1h, j1, j1h)]
    if i1h == i2t or j1h == j2t or not matcher or max(i2t - i1h, j2t - j1h) > MAX_ALIGNED_UNITS:
        ops.append(_difference(i1h, i2t, j1h, j2t))
    else:
        ops += _matched(lu, ru, i1h, i2t, j1h, j2t)
    ops.append((EQUAL, i2t, i2, j2t, j2))
    return [op for op in ops if op[1] < op[2] or op[3] < op[4]]


def _matched(lu: list[str], ru: list[str], i1: int, i2: int, j1: int, j2: int) -> list[Op]:
    """The middle aligned by difflib; a replaced block is trimmed once more by characters."""
    # difflib's autojunk stays on: in a middle of 200+ units, units that make up over 1% of it
    # (" the", ",") only extend matches found on rarer ones. Without it, long answers with
    # common tokens took seconds to align (tens of seconds for a few thousand tokens).
    matcher = SequenceMatcher(None, lu[i1:i2], ru[j1:j2])
    ops: list[Op] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        span = (i1 + a1, i1 + a2, j1 + b1, j1 + b2)
        if tag == "equal":
            ops.append((EQUAL, *span))
        else:
            # Differently cut text ("Hel"+"lo" / "Hello") lands here: its shared head and tail.
            ops += _align(lu, ru, *span, matcher=False)
    return ops


def _difference(i1: int, i2: int, j1: int, j2: int) -> Op:
    kind = DIFFER if i1 < i2 and j1 < j2 else ONLY_LEFT if i1 < i2 else ONLY_RIGHT
    return (kind, i1, i2, j1, j2)


def _shared_cut(lu: list[str], ru: list[str], reverse: bool = False) -> tuple[int, int]:
    """How many units of each side make their longest common start (characters).

    The start is cut where both sides have a cut, so it holds whole units on both sides;
    zero-length units at that cut go with it. `reverse`: the units are reversed texts' units.
    """
    flip = (lambda u: u[::-1]) if reverse else (lambda u: u)
    lt, rt = "".join(map(flip, lu)), "".join(map(flip, ru))
    common = _common_length(lt, rt)
    lo, ro = _offsets(lu), _offsets(ru)
    cut = max((c for c in set(lo) & set(ro) if c <= common), default=0)
    return _last_at(lo, cut), _last_at(ro, cut)


def _common_length(a: str, b: str) -> int:
    """How many characters `a` and `b` share at their start."""
    return next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )


def _last_at(offsets: list[int], cut: int) -> int:
    """The number of units before the last cut at character `cut`."""
    return max(i for i, offset in enumerate(offsets) if offset == cut)


def _merged(ops: list[Op]) -> list[Op]:
    """Neighbouring stretches of one kind joined."""
    out: list[Op] = []
    for op in ops:
        if out and out[-1][0] == op[0] and out[-1][2] == op[1] and out[-1][4] == op[3]:
            out[-1] = (op[0], out[-1][1], op[2], out[-1][3], op[4])
        else:
            out.append(op)
    return out


def _stretch(op: Op, left: Side, right: Side, lo: list[int], ro: list[int], mode: str) -> Aligned:
    kind, i1, i2, j1, j2 = op
    ls, rs = Span(i1, i2, lo[i1], lo[i2]), Span(j1, j2, ro[j1], ro[j2])
    stretch = Aligned(kind, ls, rs, left.text[lo[i1] : lo[i2]], right.text[ro[j1] : ro[j2]])
    if kind == EQUAL or mode != TOKENS:
        return stretch
    left_saw, right_saw = _likelihoods(left.tokens or [], right.tokens or [], i1, j1)
    return Aligned(**{**stretch.__dict__, "left_saw": left_saw, "right_saw": right_saw})


def _likelihoods(
    left: list[Token], right: list[Token], i: int, j: int
) -> tuple[Likelihood | None, Likelihood | None]:
    """At left token i against right token j: each side's chance of the other's token."""
    if i >= len(left) or j >= len(right) or not left[i][2] or not right[j][2]:
        return None, None
    return _likelihood(left[i][2], right[j][0]), _likelihood(right[j][2], left[i][0])


def _likelihood(alternatives: list, token: str) -> Likelihood:
    found = [p for text, p in alternatives if text == token]
    return Likelihood(token, found[0] if found else None, bool(found), len(alternatives))


# Branching ----------------------------------------------------------------------------------


def branch_point(
    document: list[Segment], compared: Diff, side: str, index: int, run_id: str
) -> list[Segment] | None:
    """The document continued with `side`'s text up to stretch `index`, then that side's token
    there, marked picked as the probability popover's branch marks it.

    None when stretch `index` is no difference or `side` has no token there (its text ended).
    """
    if not 0 <= index < len(compared.stretches) or compared.stretches[index].kind == EQUAL:
        return None
    chosen = compared.left if side == LEFT else compared.right
    stretch = compared.stretches[index]
    at = (stretch.left if side == LEFT else stretch.right).start
    units = compared.units(side)
    if at >= len(units):
        return None
    tokens = chosen.tokens if compared.mode == TOKENS else None
    head = with_completion(document, run_id, "".join(units[:at]), tokens[:at] if tokens else None)
    picked: Segment = {"text": units[at], "kind": MODEL, "run": run_id, "picked": True}
    if tokens:
        picked["tokens"] = [tokens[at]]
    return [*head, picked]
