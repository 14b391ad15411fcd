"""The Diff of two finished columns: where their completions part ways, how sure each was.

The alignment is lib/compare/diff.py's. The two texts are drawn as one text with each
difference marked (the first one apart), every character escaped: model output is untrusted.
Under it, each difference in a row: both sides' text there, how likely each side found the
other's token ("not in top k" when it was not among its alternatives), and buttons that branch
the document there with either side's token.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import streamlit as st

from lib.compare.diff import EQUAL, LEFT, RIGHT, TOKENS, Diff, Likelihood, diff, side_of_entry
from lib.config.text import escape_markdown, shorten
from lib.ui import keys
from lib.ui.compare.state import Comparison
from lib.ui.shell.lang import tr

# Differences listed with their probabilities and branch buttons (all are marked in the text).
MAX_LISTED = 12
_CSS = """<style>
.cp-diff { white-space: pre-wrap; overflow-wrap: anywhere;
  font-family: var(--st-code-font, monospace); font-size: 0.875rem;
  padding: 0.75rem 1rem; border-radius: 0.5rem;
  background: var(--st-secondary-background-color, rgba(128,128,128,0.08)); }
.cp-diff del { background: rgba(255, 80, 80, 0.25); text-decoration: line-through; }
.cp-diff ins { background: rgba(60, 200, 90, 0.25); text-decoration: none; }
.cp-diff .cp-first { outline: 2px solid rgba(255, 160, 0, 0.9); border-radius: 2px; }
.cp-diff .cp-first::before { content: "▸"; color: rgba(255, 160, 0, 1); }
</style>"""


def done_columns(comparison: Comparison) -> list[int]:
    """The columns with a completion to compare (index from 0)."""
    return [i for i, run in enumerate(comparison.runs) if 0 in run.indexes()]


def compared(comparison: Comparison, left: int, right: int) -> Diff:
    """The diff of two columns' first choices, worked out once per pair."""
    key = (comparison.group, left, right)
    cached = st.session_state.get(keys.COMPARE_DIFF)
    if cached is not None and cached[0] == key:
        return cached[1]
    records = [comparison.runs[i].record() for i in (left, right)]
    found = diff(side_of_entry(records[0]), side_of_entry(records[1]))
    st.session_state[keys.COMPARE_DIFF] = (key, found)
    return found


def picked(comparison: Comparison) -> tuple[int, int] | None:
    """The two columns the Diff view shows now."""
    done = done_columns(comparison)
    if len(done) < 2:
        return None
    ss = st.session_state
    left = ss.get(keys.COMPARE_LEFT)
    right = ss.get(keys.COMPARE_RIGHT)
    return (left if left in done else done[0], right if right in done else done[1])


def draw(comparison: Comparison, on_branch: Callable[[str, int], None]) -> None:
    """The Diff view, once two columns or more have a completion."""
    done = done_columns(comparison)
    pair = picked(comparison)
    if pair is None:
        return
    ss = st.session_state
    for key, value in zip((keys.COMPARE_LEFT, keys.COMPARE_RIGHT), pair, strict=True):
        if ss.get(key) not in done:
            ss[key] = value
    st.markdown(f"**{tr('compare.diff')}**")
    name = lambda i: tr("compare.column", number=i + 1)  # noqa: E731
    a, b = st.columns(2)
    a.selectbox(tr("compare.diff_left"), done, key=keys.COMPARE_LEFT, format_func=name)
    b.selectbox(tr("compare.diff_right"), done, key=keys.COMPARE_RIGHT, format_func=name)
    left, right = ss[keys.COMPARE_LEFT], ss[keys.COMPARE_RIGHT]
    if left == right:
        st.info(tr("compare.same_column"))
        return
    found = compared(comparison, left, right)
    st.caption(tr("compare.by_tokens" if found.mode == TOKENS else "compare.by_words"))
    if found.first is None:
        st.success(tr("compare.identical"))
        return
    differences = [i for i, s in enumerate(found.stretches) if s.kind != EQUAL]
    st.caption(
        tr("compare.first_at", chars=found.first.chars, token=found.first.left_token + 1,
           count=len(differences))
    )  # fmt: skip
    st.html(_CSS + _marked(found))
    for number, index in enumerate(differences[:MAX_LISTED], 1):
        _row(found, number, index, name(left), name(right), on_branch)
    if len(differences) > MAX_LISTED:
        st.caption(tr("compare.more_differences", shown=MAX_LISTED, count=len(differences)))


def _marked(found: Diff) -> str:
    """Both texts as one: equal text once, each difference as the left's (struck) then the
    right's; the first difference outlined. Everything escaped."""
    parts, first = [], True
    for index, stretch in enumerate(found.stretches):
        if stretch.kind == EQUAL:
            parts.append(html.escape(stretch.left_text))
            continue
        cls = "cp-diff-at cp-first" if first else "cp-diff-at"
        first = False
        left = f"<del>{html.escape(stretch.left_text)}</del>" if stretch.left_text else ""
        right = f"<ins>{html.escape(stretch.right_text)}</ins>" if stretch.right_text else ""
        parts.append(f'<span class="{cls}" data-stretch="{index}">{left}{right}</span>')
    return f'<div class="cp-diff">{"".join(parts)}</div>'


def _shown(text: str) -> str:
    """A token in a sentence: visible whitespace, short, no Markdown."""
    visible = text.replace("\n", "↵").replace("\t", "⇥")
    return escape_markdown(shorten(visible, 30)) if visible else "∅"


def _chance(seen: Likelihood | None) -> str:
    if seen is None:
        return "—"
    if seen.probability is None:
        return tr("compare.not_in_top", k=seen.k)
    return f"{seen.probability:.1%}"


def _row(
    found: Diff, number: int, index: int, left: str, right: str,
    on_branch: Callable[[str, int], None],
) -> None:  # fmt: skip
    stretch = found.stretches[index]
    text, go_left, go_right = st.columns([4, 1.2, 1.2], vertical_alignment="center")
    lt, rt = _shown(stretch.left_text), _shown(stretch.right_text)
    line = tr("compare.difference", number=number, chars=stretch.left.char_start, left=left,
              left_text=lt, right=right, right_text=rt)  # fmt: skip
    if stretch.left_saw is not None or stretch.right_saw is not None:
        line += " · " + tr(
            "compare.chances", left=left, right=right, left_saw=_chance(stretch.left_saw),
            right_saw=_chance(stretch.right_saw),
        )  # fmt: skip
    text.caption(line)
    go_left.button(
        tr("compare.branch_with", column=left), key=f"compare_branch_l_{index}",
        on_click=on_branch, args=(LEFT, index), disabled=not stretch.left_text,
        help=tr("compare.branch_help"),
    )  # fmt: skip
    go_right.button(
        tr("compare.branch_with", column=right), key=f"compare_branch_r_{index}",
        on_click=on_branch, args=(RIGHT, index), disabled=not stretch.right_text,
        help=tr("compare.branch_help"),
    )  # fmt: skip
