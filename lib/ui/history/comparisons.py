"""Comparisons in History: each comparison's runs as one group, reopened or exported together.

A comparison's runs are ordinary entries tagged with their group (lib/compare/export.py). With
"Only comparisons" on, History shows one expander per group: each column's model, status and
text, then Reopen (the playground with the same form and columns) and Export (one JSON
document). Without it, an entry of a comparison names its column in its label.
"""

from __future__ import annotations

import streamlit as st

from lib.compare import export
from lib.config.text import escape_markdown
from lib.history.entries import choice_texts, model_of, preview, prompt_text
from lib.request.form import values_from_body
from lib.ui import keys
from lib.ui.compare import state as compare_state
from lib.ui.playground.share_view import LOAD_NOTES
from lib.ui.shell.lang import tr

# A column's text shown in a group (the whole entry is a toggle away).
PREVIEW_CHARS = 2_000


def column_badge(entry: dict) -> str:
    """ "Comparison · column 2" for a comparison's run, "" for any other entry."""
    tag = entry.get(export.COMPARISON)
    if export.group_of(entry) is None:
        return ""
    return tr("hist.comparison_column", column=tag["column"])


def draw_groups(shown: list[dict], every: list[dict], label: object) -> None:
    """One expander per comparison among `shown` (newest first); `label(entry)` is the
    entry's usual label, used for its first run."""
    found = export.groups(every)
    order = [g for g in dict.fromkeys(export.group_of(e) for e in shown) if g in found]
    if not order:
        st.info(tr("hist.no_comparisons"))
        return
    for group in order:
        runs = found[group]
        models = " · ".join(model_of(e) or tr("hist.no_model") for e in runs)
        title = tr("hist.comparison", count=len(runs), models=models,
                   prompt=preview(prompt_text(runs[0]["request"]), 40))  # fmt: skip
        with st.expander(escape_markdown(title), icon=":material/view_column:"):
            cols = st.columns(2)
            cols[0].button(
                tr("hist.reopen_comparison"), key=f"reopen_{group}", on_click=open_comparison,
                args=(runs,), width="stretch",
            )  # fmt: skip
            cols[1].download_button(
                tr("compare.export"), export.export_bytes(runs),
                file_name=f"comparison-{group[:8]}.json", mime="application/json",
                on_click="ignore", key=f"dl_cmp_{group}", width="stretch",
            )  # fmt: skip
            grid = st.columns(len(runs))
            for place, entry in zip(grid, runs, strict=True):
                with place:
                    st.caption(label(entry))  # escaped by the label
                    texts = choice_texts(entry)
                    st.code((texts[0] if texts else "")[:PREVIEW_CHARS], language=None,
                            wrap_lines=True)  # fmt: skip


def open_comparison(runs: list[dict]) -> None:
    """The playground with this comparison's form and columns (Compare on), ready to send."""
    body, columns = export.reopened(runs)
    values, notes = values_from_body(body, st.session_state.get(keys.SERVER_KIND))
    st.session_state.update(values)
    compare_state.forget()
    compare_state.set_columns(columns)
    st.session_state[keys.COMPARE_ON] = True
    st.session_state[keys.SWITCH_TO_PLAYGROUND] = True
    st.session_state[LOAD_NOTES] = notes
