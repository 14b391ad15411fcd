"""Drawing a run: choices side by side, stats, probabilities, errors and the raw JSON.

`RunView` owns the placeholders of one run so that streaming only updates what changed.
"""

from __future__ import annotations

import streamlit as st

from lib.chunks import normalize_chunk
from lib.logprobs_view import render_tokens, token_rows
from lib.run import ERROR, OK, RUNNING, STOPPED, Run, expected_choices, logprob_summary
from lib.text import escape_markdown, markdown_without_images

MAX_COLUMNS = 3
STATUS_LABELS = {RUNNING: "running…", OK: "done", ERROR: "failed", STOPPED: "stopped"}


def _fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def _fmt(value) -> str:
    # Only numbers: st.metric renders markdown, and usage comes from the server.
    is_int = isinstance(value, int) and not isinstance(value, bool)
    return str(value) if is_int else "—"


class RunView:
    """Placeholders for one run: a status line, one text box per choice, and the details."""

    def __init__(self, run: Run) -> None:
        self.run = run
        self.asked = expected_choices(run.request)
        self.status = st.empty()
        self.markdown = st.session_state.get("render_markdown", False)
        slots = max(self.asked, 1)
        if slots == 1:
            containers = [st.container()]
        elif slots <= MAX_COLUMNS:
            containers = list(st.columns(slots))
        else:
            containers = list(st.tabs([f"Choice {i}" for i in range(slots)]))
        self.boxes: dict[int, tuple] = {}
        for i, container in enumerate(containers):
            with container:
                self.boxes[i] = (st.empty(), st.empty())
        self.extra = st.container()  # choices beyond n, should a server send them
        self.details = st.empty()

    def _box(self, index: int) -> tuple:
        # Choices beyond the expected count (a server ignoring n) get their own slot.
        if index not in self.boxes:
            with self.extra:
                st.caption(f"Choice {index}")
                self.boxes[index] = (st.empty(), st.empty())
        return self.boxes[index]

    def update(self) -> None:
        """Redraw the text of every choice and the status line (cheap: plain text only)."""
        run = self.run
        label = STATUS_LABELS[run.status]
        if run.status == RUNNING:
            waited = run.elapsed()
            label = f"running… {waited:.1f} s" if run.first_token_s is None else label
        self.status.caption(f"Status: **{label}**")
        for index in run.indexes():
            text_slot, meta_slot = self._box(index)
            text = run.text(index)
            if self.markdown and run.status != RUNNING:
                text_slot.markdown(markdown_without_images(text))
            else:
                text_slot.code(text, language=None, wrap_lines=True)
            finish = run.finish_reason(index)
            meta_slot.caption(f"finish_reason: {escape_markdown(finish or '—')}")

    def finish(self) -> None:
        """Final drawing: text, stats, errors, probabilities and raw JSON."""
        self.update()
        run = self.run
        with self.details.container():
            if run.error:
                self._error()
            if run.status != RUNNING and 0 < len(run.indexes()) < self.asked:
                st.info(
                    f"Asked for n={self.asked}; the server returned {len(run.indexes())} "
                    "choice(s). Some servers (llama.cpp, for one) ignore n."
                )
            if run.status == STOPPED:
                st.warning("Stopped. The text above is what arrived before Stop.")
            self._stats()
            self._probabilities()
            with st.expander("Raw JSON"):
                st.caption("Request as sent")
                st.json(run.request, expanded=False)
                st.caption(
                    "Response as received"
                    if run.raw_response is not None
                    else "Response accumulated from the stream"
                )
                st.json(run.response(), expanded=False)

    def _error(self) -> None:
        err = self.run.error
        text = f"{err['explanation']}. {err['text']}"
        if self.run.indexes():
            text += " The text above is what arrived before the error."
        st.error(escape_markdown(text))

    def _stats(self) -> None:
        stats = self.run.stats()
        rate = stats["tokens_per_s"]
        unit = "tokens/s" if stats["tokens_counted_from"] == "usage" else "chunks/s"
        cols = st.columns(4)
        cols[0].metric("Time to first token", _fmt_s(stats["first_token_s"]))
        cols[1].metric("Total time", _fmt_s(stats["total_s"]))
        cols[2].metric(unit, "—" if rate is None else f"{rate:.1f}")
        cols[3].metric(
            "Tokens (prompt / completion / total)",
            f"{_fmt(stats['prompt_tokens'])} / {_fmt(stats['completion_tokens'])} / "
            f"{_fmt(stats['total_tokens'])}",
        )
        note = (
            "Speed counts completion_tokens from the server's usage."
            if unit == "tokens/s"
            else "The server sent no usage, so speed counts stream chunks (about one token each)."
        )
        response = self.run.response()
        st.caption(f"{note} Response id: {escape_markdown(response.get('id') or '—')}")

    def _probabilities(self) -> None:
        if self.run.request.get("logprobs") is None:
            return
        choices = normalize_chunk(self.run.response())["choices"]
        with_lp = [c for c in choices if c["logprobs"] is not None]
        if not with_lp:
            st.caption("logprobs were requested but the server returned none.")
            return
        st.subheader("Token probabilities")
        for choice in with_lp:
            lp = choice["logprobs"]
            mean, perplexity = logprob_summary(lp.get("token_logprobs") or [])
            label = f"Choice {choice['index']}"
            if mean is not None:
                label += f" — mean logprob {mean:.3f}, perplexity {perplexity:.2f}"
            st.caption(label)
            st.html(render_tokens(lp))
            with st.expander("Table of tokens and alternatives"):
                st.dataframe(token_rows(lp), hide_index=True)
