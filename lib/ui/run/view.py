"""Drawing a run: choices side by side, stats, probabilities, errors and the raw JSON."""

from __future__ import annotations

import json
from collections.abc import Callable

import streamlit as st

from lib.client.chunks import normalize_chunk
from lib.config.text import escape_markdown, is_plain_int, markdown_without_images
from lib.cost import format_cost
from lib.run import speed
from lib.run.model import (
    BY_ABANDON,
    BY_INTERRUPT,
    ERROR,
    OK,
    RUNNING,
    STOPPED,
    Run,
    choices_per_prompt,
    expected_choices,
    logprob_summary,
    prompt_count,
)
from lib.ui import keys, sections
from lib.ui.describe import describe
from lib.ui.run import live_cards
from lib.ui.run.logprobs_view import render_tokens, token_rows
from lib.ui.shell.lang import current, tr
from lib.ui.storage import prices_store

# Token counts the app counted itself (the server sent no usage): the status line says so.
COUNTED = ("logprobs", "tokenizer")
SPEED_NOTES = {
    "usage": "run.speed_usage", "logprobs": "run.speed_logprobs",
    "tokenizer": "run.speed_tokenizer", "chunks": "run.speed_chunks",
}  # fmt: skip
MAX_COLUMNS = 3
# Result slots drawn at most; every choice still reaches the raw JSON and the history.
MAX_SLOTS = 24
# While streaming, each card shows only its last characters (about a screenful): a frame's
# cost stays flat however long the text grows, so Stop and other clicks answer at once, and
# n cards cost little more than one.
TAIL_CHARS = 3_000
# A finished choice shows at most this many characters (the whole text is a download away):
# drawing megabytes into the page would make the end of a run, and Stop, slow.
SHOWN_CHARS = 100_000
# A response bigger than this (as JSON) is offered as a download instead of drawn.
RAW_JSON_LIMIT = 256 * 1024


def _fmt_s(value: float | None) -> str:
    return "—" if value is None else tr("run.seconds", value=f"{value:.2f}")


def _fmt_rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def live_rate(run: Run, now: float | None = None) -> float | None:
    """Chunks per second since the first token of a streaming run; None until that means much."""
    if run.first_token_s is None:
        return None
    return speed.rate(run.chunk_count, run.elapsed(now) - run.first_token_s)


def _server_speeds(stats: dict) -> str | None:
    """llama.cpp's own prompt-processing and generation speeds, when it sent them."""
    timings = stats.get("server_timings") or {}
    if "prompt_per_s" not in timings and "generation_per_s" not in timings:
        return None
    return tr("run.server_speeds", prompt=_fmt_rate(timings.get("prompt_per_s")),
              generation=_fmt_rate(timings.get("generation_per_s")))  # fmt: skip


def _fmt(value) -> str:
    # Only numbers: st.metric renders markdown, and usage comes from the server.
    return str(value) if is_plain_int(value) else "—"


class RunView:
    """One drawing of a run: its status line, a card per choice, and its details once ended.

    Drawn whole by each frame of the live region (a fragment run replaces what the last one
    drew), in the same order every time, so the browser updates each element in place. A run
    that writes into the document shows choice `in_document` there, not here; its other
    choices are cards whose "Use this" calls `on_use(index)`. Until the run is `settled` (its
    end taken in), it is drawn as it streams: tails of the texts, no details.
    """

    def __init__(
        self,
        run: Run,
        in_document: int | None = None,
        on_use: Callable[[int], None] | None = None,
        settled: bool | None = None,
    ) -> None:
        self.run = run
        self.in_document = in_document
        self.on_use = on_use
        self.settled = run.status != RUNNING if settled is None else settled
        self.asked = expected_choices(run.request)
        self.markdown = st.session_state.get(keys.RENDER_MARKDOWN, False)
        self.status_labels = {
            state: tr(f"run.status.{state}") for state in (RUNNING, OK, ERROR, STOPPED)
        }

    def draw_status(self) -> None:
        """The status line (drawn right under the document)."""
        st.caption(self._status_line())

    def status_line(self) -> str:
        """The status line's text (a comparison's column draws its own)."""
        return self._status_line()

    def draw_error(self) -> None:
        """The run's error, if it has one (a comparison's column)."""
        if self.run.error:
            self._error()

    def draw_results(self) -> None:
        """The cards, then the details once the run is settled."""
        self._cards(not self.settled)
        if self.settled:
            self._details()

    def _cards(self, running: bool) -> None:
        run = self.run
        shown = [i for i in run.indexes() if i != self.in_document]
        if not shown:
            return
        cards = self.asked - (self.in_document is not None)
        columns = min(cards, MAX_COLUMNS)
        # A request for thousands of choices draws at most MAX_SLOTS; a server that ignores
        # n leaves no empty boxes (a card is drawn once its choice arrived).
        if running:
            live_cards.draw([self._live_card(i) for i in shown[:MAX_SLOTS]], max(columns, 1))
        else:
            grid = list(st.columns(columns)) if columns > 1 else [st.container()]
            for slot, index in enumerate(shown[:MAX_SLOTS]):
                with grid[slot % len(grid)], st.container():
                    self._card(index)
        if len(shown) > MAX_SLOTS:
            st.caption(tr("run.more_choices", shown=MAX_SLOTS))

    def _label(self, index: int) -> str:
        return tr("run.choice", index=index) if self.asked > 1 or index > 0 else ""

    def _live_card(self, index: int) -> dict:
        """A streaming card as the live cards component draws it: the text's tail (a frame
        costs the same however long the text grew)."""
        text, hidden = self.run.tail(index, TAIL_CHARS)
        return {
            "index": index,
            "label": self._label(index),
            "text": text,
            "note": tr("run.tail", count=hidden) if hidden else "",
            "finish": tr("run.finish_reason", reason=self.run.finish_reason(index) or "—"),
        }

    def _card(self, index: int) -> None:
        """A finished card: the text (up to SHOWN_CHARS), its finish reason, Use this."""
        run = self.run
        if label := self._label(index):
            st.caption(label)
        whole = run.text(index)
        text, hidden = whole[:SHOWN_CHARS], max(0, len(whole) - SHOWN_CHARS)
        if self.markdown:
            st.markdown(markdown_without_images(text))
        else:
            st.code(text, language=None, wrap_lines=True)
        if hidden:
            st.caption(tr("run.head", shown=SHOWN_CHARS, count=len(whole)))
            st.download_button(
                tr("run.download_text"), lambda: run.text(index),
                file_name=f"completion-{run.id[:8]}-{index}.txt", mime="text/plain",
                on_click="ignore", key=f"text_{run.id}_{index}",
            )  # fmt: skip
        finish = run.finish_reason(index)
        st.caption(tr("run.finish_reason", reason=escape_markdown(finish or "—")))
        if self.in_document is not None and self.on_use is not None:
            st.button(
                tr("doc.use_this"), key=f"use_{run.id}_{index}", on_click=self.on_use,
                args=(index,), help=tr("doc.use_this_help"),
            )  # fmt: skip

    def _status_line(self) -> str:
        """One line: the state while running; TTFT, total, speed, usage and finish when done."""
        run = self.run
        label = self.status_labels[run.status]
        if run.status == RUNNING:
            if run.first_token_s is None:
                return tr(
                    "run.status", status=tr("run.status.waiting", seconds=f"{run.elapsed():.1f}")
                )
            return tr("run.live_line", status=label, seconds=f"{run.elapsed():.1f}",
                      rate=_fmt_rate(live_rate(run)))  # fmt: skip
        if not run.received_anything():
            return tr("run.status", status=label)
        stats = run.stats()
        rate = stats["tokens_per_s"]
        counted_from = stats["tokens_counted_from"]
        unit = tr("run.chunks_per_s" if counted_from == "chunks" else "run.tokens_per_s")
        counted = f" {tr('run.counted')}" if counted_from in COUNTED else ""
        parts = [
            tr("run.status", status=label),
            f"{tr('run.ttft_short')} {_fmt_s(stats['first_token_s'])}",
            f"{tr('run.total')} {_fmt_s(stats['total_s'])}",
            f"{_fmt_rate(rate)} {unit}",
            f"{tr('run.tokens')} {_fmt(stats['prompt_tokens'])} / "
            f"{_fmt(stats['completion_tokens'])} / {_fmt(stats['total_tokens'])}{counted}",
        ]
        if speeds := _server_speeds(stats):
            parts.append(speeds)
        if run.cost is not None:
            cost, total = format_cost(run.cost), prices_store.total_text()
            parts.append(tr("run.cost", cost=cost, total=total))
        reasons = sorted({escape_markdown(r) for i in run.indexes() if (r := run.finish_reason(i))})
        if reasons:
            parts.append(tr("run.finish_reason", reason=", ".join(reasons)))
        return " · ".join(parts)

    def _details(self) -> None:
        """Once ended: the error, notes, probabilities, and the stats and raw JSON."""
        run = self.run
        if run.error:
            self._error()
            if not run.received_anything():
                return  # nothing arrived: the error is the whole story
        got = len(run.indexes())
        if 0 < got < self.asked:
            self._fewer_choices(got)
        if run.cut:
            st.warning(tr("run.cut", chars=run.chars))
        elif run.stopped_by == BY_ABANDON:
            st.warning(tr("run.abandoned"))
        elif run.stopped_by == BY_INTERRUPT:
            st.warning(tr("run.interrupted"))
        elif run.status == STOPPED:
            st.warning(tr("run.stopped_note"))
        self._probabilities()
        # Drawn only while open: the stats and two JSON views cost every run's end a good part
        # of its drawing, in the server and more in the browser, for a section most runs never
        # open. One key: only the live region draws a run's results, one run at a time.
        details = sections.expander(tr("run.details"), keys.RUN_DETAILS, redraw=keys.LIVE)
        if details.open:
            with details:
                self._stats()
                st.caption(tr("run.request_sent"))
                st.json(run.request, expanded=False)
                received = run.raw_response is not None
                st.caption(tr("run.response_received" if received else "run.response_accumulated"))
                self._raw_response()

    def _fewer_choices(self, got: int) -> None:
        request = self.run.request
        prompts, n = prompt_count(request), choices_per_prompt(request)
        if prompts > 1:
            text = tr("run.expected_batch", prompts=prompts, n=n, expected=self.asked, got=got)
        else:
            text = tr("run.expected_n", n=n, got=got)
        st.info(text)

    def _raw_response(self) -> None:
        response = self.run.response()
        data = json.dumps(response, ensure_ascii=False, indent=2).encode("utf-8")
        if len(data) <= RAW_JSON_LIMIT:
            st.json(response, expanded=False)
            return
        st.caption(tr("run.raw_too_large", size=len(data) // 1024))
        st.download_button(
            tr("run.download_response"),
            lambda: json.dumps(response, ensure_ascii=False, indent=2).encode("utf-8"),
            file_name=f"response-{self.run.id[:8]}.json",
            mime="application/json",
            on_click="ignore",
        )

    def _error(self) -> None:
        text = describe(self.run.error, current())
        if self.run.indexes():
            text += " " + tr("run.partial_note")
        st.error(escape_markdown(text))

    def _stats(self) -> None:
        stats = self.run.stats()
        rate = stats["tokens_per_s"]
        counted_from = stats["tokens_counted_from"]
        unit = tr("run.chunks_per_s" if counted_from == "chunks" else "run.tokens_per_s")
        cols = st.columns(4)
        cols[0].metric(tr("run.ttft"), _fmt_s(stats["first_token_s"]))
        cols[1].metric(tr("run.total"), _fmt_s(stats["total_s"]))
        cols[2].metric(unit, _fmt_rate(rate))
        cols[3].metric(
            tr("run.tokens"),
            f"{_fmt(stats['prompt_tokens'])} / {_fmt(stats['completion_tokens'])} / "
            f"{_fmt(stats['total_tokens'])}",
        )
        note = tr(SPEED_NOTES.get(counted_from, "run.speed_chunks"))
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
        st.markdown(f"**{tr('run.probabilities')}**")
        for choice in with_lp:
            lp = choice["logprobs"]
            mean, perplexity = logprob_summary(lp.get("token_logprobs") or [])
            if mean is None:
                st.caption(tr("run.choice", index=choice["index"]))
            else:
                st.caption(tr("run.logprob_summary", index=choice["index"], mean=f"{mean:.3f}",
                              perplexity=f"{perplexity:.2f}"))  # fmt: skip
            if choice["index"] != self.in_document:  # the document shades its own tokens
                st.html(render_tokens(lp, current()))
            with st.expander(tr("run.token_table")):
                st.dataframe(token_rows(lp, current()), hide_index=True)
