"""Drawing a run: choices side by side, stats, probabilities, errors and the raw JSON.

`RunView` owns the placeholders of one run so that streaming only updates what changed.
"""

from __future__ import annotations

import streamlit as st

from lib.chunks import normalize_chunk
from lib.errors import describe
from lib.logprobs_view import render_tokens, token_rows
from lib.run import ERROR, OK, RUNNING, STOPPED, Run, expected_choices, logprob_summary
from lib.text import escape_markdown, markdown_without_images
from lib.ui.lang import current, tr

MAX_COLUMNS = 3


def _fmt_s(value: float | None) -> str:
    return "—" if value is None else tr("run.seconds", value=f"{value:.2f}")


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
        states = (RUNNING, OK, ERROR, STOPPED)
        self.status_labels = {state: tr(f"run.status.{state}") for state in states}
        slots = max(self.asked, 1)
        if slots == 1:
            containers = [st.container()]
        elif slots <= MAX_COLUMNS:
            containers = list(st.columns(slots))
        else:
            containers = list(st.tabs([tr("run.choice", index=i) for i in range(slots)]))
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
                st.caption(tr("run.choice", index=index))
                self.boxes[index] = (st.empty(), st.empty())
        return self.boxes[index]

    def update(self) -> None:
        """Redraw the text of every choice and the status line (cheap: plain text only)."""
        run = self.run
        label = self.status_labels[run.status]
        if run.status == RUNNING and run.first_token_s is None:
            label = tr("run.status.waiting", seconds=f"{run.elapsed():.1f}")
        self.status.caption(tr("run.status", status=label))
        for index in run.indexes():
            text_slot, meta_slot = self._box(index)
            text = run.text(index)
            if self.markdown and run.status != RUNNING:
                text_slot.markdown(markdown_without_images(text))
            else:
                text_slot.code(text, language=None, wrap_lines=True)
            finish = run.finish_reason(index)
            meta_slot.caption(tr("run.finish_reason", reason=escape_markdown(finish or "—")))

    def finish(self) -> None:
        """Final drawing: text, stats, errors, probabilities and raw JSON."""
        self.update()
        run = self.run
        with self.details.container():
            if run.error:
                self._error()
            if run.status != RUNNING and 0 < len(run.indexes()) < self.asked:
                st.info(tr("run.fewer_choices", asked=self.asked, got=len(run.indexes())))
            if run.status == STOPPED:
                st.warning(tr("run.stopped_note"))
            self._stats()
            self._probabilities()
            with st.expander(tr("run.raw")):
                st.caption(tr("run.request_sent"))
                st.json(run.request, expanded=False)
                received = run.raw_response is not None
                st.caption(tr("run.response_received" if received else "run.response_accumulated"))
                st.json(run.response(), expanded=False)

    def _error(self) -> None:
        text = describe(self.run.error, current())
        if self.run.indexes():
            text += " " + tr("run.partial_note")
        st.error(escape_markdown(text))

    def _stats(self) -> None:
        stats = self.run.stats()
        rate = stats["tokens_per_s"]
        by_usage = stats["tokens_counted_from"] == "usage"
        unit = tr("run.tokens_per_s" if by_usage else "run.chunks_per_s")
        cols = st.columns(4)
        cols[0].metric(tr("run.ttft"), _fmt_s(stats["first_token_s"]))
        cols[1].metric(tr("run.total"), _fmt_s(stats["total_s"]))
        cols[2].metric(unit, "—" if rate is None else f"{rate:.1f}")
        cols[3].metric(
            tr("run.tokens"),
            f"{_fmt(stats['prompt_tokens'])} / {_fmt(stats['completion_tokens'])} / "
            f"{_fmt(stats['total_tokens'])}",
        )
        note = tr("run.speed_usage" if by_usage else "run.speed_chunks")
        response_id = escape_markdown(self.run.response().get("id") or "—")
        st.caption(f"{note} {tr('run.response_id', id=response_id)}")

    def _probabilities(self) -> None:
        if self.run.request.get("logprobs") is None:
            return
        choices = normalize_chunk(self.run.response())["choices"]
        with_lp = [c for c in choices if c["logprobs"] is not None]
        if not with_lp:
            st.caption(tr("run.no_logprobs"))
            return
        st.subheader(tr("run.probabilities"))
        for choice in with_lp:
            lp = choice["logprobs"]
            mean, perplexity = logprob_summary(lp.get("token_logprobs") or [])
            if mean is None:
                st.caption(tr("run.choice", index=choice["index"]))
            else:
                st.caption(tr("run.logprob_summary", index=choice["index"], mean=f"{mean:.3f}",
                              perplexity=f"{perplexity:.2f}"))  # fmt: skip
            st.html(render_tokens(lp, current()))
            with st.expander(tr("run.token_table")):
                st.dataframe(token_rows(lp, current()), hide_index=True)
