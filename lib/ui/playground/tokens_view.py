"""Tokens before sending: the prompt's count under the document, the context meter, its warning.

What a connection's server answered to the tokenizer probes (lib/tokens) is remembered for the
session per base URL and model, so a server is probed once. Counts of the last few prompts are
kept too: the live region redraws often, and the same text is not sent to a tokenizer twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import streamlit as st

from lib.config.connection import LOCAL, Connection
from lib.cost import edited_table
from lib.local.server import CONTEXT as LOCAL_CONTEXT
from lib.tokens import Count, Counter, ServerInfo, detect, openai_ids
from lib.tokens.count import ESTIMATE, SERVER, TIKTOKEN
from lib.ui import keys, sections
from lib.ui.playground.connection import endpoint_for, missing_key_note
from lib.ui.run import region_signal
from lib.ui.shell.lang import tr
from lib.ui.storage import browser_storage, prices_store

_KEPT_COUNTS = 8
PENDING_SECONDS = 0.5  # how often a count waiting for its tokenizer is asked again
LOAD_AFTER_SECONDS = 2.0  # a page whose storage never answers loads the tokenizer then
ASK_AGAIN_SECONDS = 2.0  # a count's redraw is asked again this often until it comes
SOURCES = {
    SERVER: "tokens.source.server", TIKTOKEN: "tokens.source.tiktoken",
    ESTIMATE: "tokens.source.estimate",
}  # fmt: skip


@dataclass(frozen=True)
class PromptTokens:
    """The prompt's count, the context it must fit and the completion it asks for."""

    count: Count
    context: int | None
    max_tokens: int
    counter: Counter | None = None  # what counted it, and the text, to count again
    text: str = ""

    @property
    def used(self) -> int:
        return self.count.tokens + self.max_tokens

    @property
    def over(self) -> bool:
        return self.context is not None and self.used > self.context


def _model() -> str:
    return (st.session_state.get("model") or "").strip()


def counter(conn: Connection, probe: bool = True) -> Counter:
    """The connection's counter; its server is probed the first time (per base URL and model).

    With `probe` off (nothing may be sent: a key is missing), only what is known is used.
    """
    state = st.session_state
    model = _model()
    key = f"{conn.base_url}\n{model}\n{bool(conn.api_key)}"
    known = state.setdefault(keys.TOKENIZERS, {})
    info = known.get(key)
    if info is None and not probe:
        info = ServerInfo()
    elif info is None:
        info = detect(endpoint_for(conn), model)
        if conn.base_url_source == LOCAL:
            # The app starts that server with n_ctx = LOCAL_CONTEXT; one not ready yet is
            # asked again next time.
            info = replace(info, context=LOCAL_CONTEXT)
        if info.kind is not None or conn.base_url_source != LOCAL:
            known[key] = info
    return Counter(endpoint_for(conn), model, info)


def remember_server(conn: Connection) -> str | None:
    """The connection's server kind (it decides which samplers are shown and sent), kept in
    the session for the form; not probed while nothing may be sent there (a missing key)."""
    kind = counter(conn, probe=missing_key_note(conn) is None).info.kind
    st.session_state[keys.SERVER_KIND] = kind
    return kind


def _count(count: Counter, text: str) -> Count:
    kept = st.session_state.setdefault(keys.TOKEN_COUNTS, {})
    key = (count.endpoint.base_url, count.model, count.info, text)
    if key in kept:
        return kept[key]
    counted = count.count(text, wait=False)
    if not counted.pending:  # an estimate while the tokenizer loads is asked again
        kept[key] = counted
        while len(kept) > _KEPT_COUNTS:
            kept.pop(next(iter(kept)))
    return counted


def context_length(conn: Connection) -> int | None:
    """The context length set for this connection in the sidebar, if any."""
    return (st.session_state.get(keys.CONTEXT_LENGTHS) or {}).get(conn.base_url)


def prompt_tokens(conn: Connection, body: dict, probe: bool = True) -> PromptTokens | None:
    """The text prompt's tokens and the context meter's numbers; None for other prompt forms."""
    prompt = body.get("prompt")
    if not isinstance(prompt, str):
        return None
    count = counter(conn, probe)
    max_tokens = body.get("max_tokens")
    max_tokens = max_tokens if isinstance(max_tokens, int) and max_tokens > 0 else 0
    context = count.context(context_length(conn))
    return PromptTokens(_count(count, prompt), context, max_tokens, count, prompt)


def line(tokens: PromptTokens | None, on_counted: Callable[[], None]) -> None:
    """Under the document: the prompt's count (≈ for an estimate) and the context meter.

    `on_counted` (a widget callback) redraws what shows the count once the tokenizer loaded.
    """
    if tokens is None:
        return
    if tokens.count.pending:
        # The model's tokenizer takes about a second of CPU to load, after the first paint:
        # until then the line shows an estimate and counts again on a timer.
        st.fragment(run_every=PENDING_SECONDS)(_pending_line)(tokens, on_counted)
    else:
        _line(tokens)


def _pending_line(tokens: PromptTokens, on_counted: Callable[[], None]) -> None:
    state = st.session_state
    now = time.monotonic()
    waited = now - state.setdefault(keys.TOKENIZER_ASKED, now)
    _line(tokens)
    # The load waits until the browser has had the first screen sent: the storage reader,
    # drawn last, answers once it is mounted (or LOAD_AFTER_SECONDS, for a page whose storage
    # never answers). A second of CPU while the first screen is on its way would slow it.
    drawn = browser_storage.answered() or waited >= LOAD_AFTER_SECONDS
    if drawn and tokens.counter is not None:
        openai_ids.load_in_background(tokens.counter.model)
        if not _count(tokens.counter, tokens.text).pending:
            # Counted: what shows the count (this line, the context note) is drawn again, and
            # this timer goes. A fragment may not rerun others: the region signal asks, anew
            # every ASK_AGAIN_SECONDS should an ask be lost; the session's id keeps a new
            # session (a reconnect to a restarted server) from repeating an ask the window
            # has already told.
            session = state.get(keys.STORAGE_SESSION, "")
            ask = f"counted {session} {tokens.counter.model} {int(waited // ASK_AGAIN_SECONDS)}"
            region_signal.ask(ask, on_counted, keys.TOKENS_COUNTED)


def _line(tokens: PromptTokens) -> None:
    count = tokens.count
    mark = "" if count.exact else "≈"
    parts = [tr("tokens.prompt", mark=mark, count=count.tokens)]
    if tokens.context is not None:
        parts.append(tr("tokens.context", used=tokens.used, context=tokens.context))
    help_text = tr(SOURCES[count.source], detail=count.detail)
    # One line, no bar: the document is sized to leave room for this line and the status line.
    st.caption(" · ".join(parts), help=help_text)


def over_context_note(tokens: PromptTokens | None) -> None:
    """Before sending: a warning when prompt + max_tokens does not fit the context."""
    if tokens is None or not tokens.over:
        return
    count, most = tokens.count.tokens, tokens.max_tokens
    text = tr("tokens.over_context", prompt=count, max_tokens=most, used=tokens.used,
              context=tokens.context)  # fmt: skip
    st.warning(text)


def sidebar(conn: Connection) -> None:
    """The sidebar's Tokens and cost section: context length, prices, the running total."""
    with st.sidebar:
        section = sections.expander(tr("tokens.sidebar"), keys.TOKENS_SECTION)
    with section:
        # Drawn only while open: the price table needs pandas, about a second of a cold start.
        if section.open:
            context_setting(conn)
            price_editor()
        running_total()  # always: the end of a run redraws it by its key


_COLUMNS = ("model", "prompt", "completion", "currency")


def price_editor() -> None:
    """The price table; an edit is taken whole when every row is complete, else explained."""
    import pandas as pd  # here: importing it costs about a second, and only this table needs it

    state = st.session_state
    rows = [{name: row.get(name) for name in _COLUMNS} for row in prices_store.prices.value()]
    column = st.column_config
    st.data_editor(
        pd.DataFrame(rows, columns=list(_COLUMNS)), num_rows="dynamic", hide_index=True,
        key=f"{keys.PRICE_EDITOR}_{state.get(keys.PRICE_EDITOR_GEN, 0)}",
        on_change=_take_prices, args=(rows,), width="stretch",
        column_config={
            "model": column.TextColumn(tr("tokens.price_model"), required=True),
            "prompt": column.NumberColumn(tr("tokens.price_prompt"), min_value=0.0),
            "completion": column.NumberColumn(tr("tokens.price_completion"), min_value=0.0),
            "currency": column.TextColumn(tr("tokens.price_currency"), default="USD"),
        },
    )  # fmt: skip
    st.caption(tr("tokens.prices"))
    if problem := state.get(keys.PRICE_PROBLEM):
        st.warning(problem)


def _take_prices(rows: list[dict]) -> None:
    state = st.session_state
    key = f"{keys.PRICE_EDITOR}_{state.get(keys.PRICE_EDITOR_GEN, 0)}"
    table, bad_row = edited_table(rows, state.get(key) or {})
    if table is None:
        # The editor keeps the row as typed, to be completed.
        state[keys.PRICE_PROBLEM] = tr("tokens.price_bad", row=bad_row)
        return
    state.pop(keys.PRICE_PROBLEM, None)
    prices_store.prices.set(table)
    state[keys.PRICE_EDITOR_GEN] = state.get(keys.PRICE_EDITOR_GEN, 0) + 1


@st.fragment(key=keys.RUNNING_TOTAL)
def running_total() -> None:
    """What this browser spent on priced runs, per currency (redrawn when a run ends)."""
    totals = prices_store.totals.value()
    if not totals:
        st.caption(tr("tokens.total_none"))
        return
    st.caption(tr("tokens.total", total=prices_store.total_text()))
    st.button(tr("tokens.reset_total"), key="reset_total", on_click=prices_store.totals.set,
              args=({},))  # fmt: skip


def context_setting(conn: Connection) -> None:
    """In the sidebar: the context length of this connection (empty: what is known)."""
    state = st.session_state
    lengths = state.setdefault(keys.CONTEXT_LENGTHS, {})
    if state.get(keys.CONTEXT_FOR) != conn.base_url:
        state[keys.CONTEXT_FOR] = conn.base_url
        state[keys.CONTEXT_LENGTH] = lengths.get(conn.base_url)
    known = counter(conn).context()
    st.number_input(
        tr("tokens.context_setting"), key=keys.CONTEXT_LENGTH, min_value=1, step=1,
        help=tr("tokens.context_help"),
        placeholder=str(known) if known else tr("tokens.context_unknown"),
        on_change=_keep_context, args=(conn.base_url,),
    )  # fmt: skip


def _keep_context(base_url: str) -> None:
    st.session_state.setdefault(keys.CONTEXT_LENGTHS, {})[base_url] = st.session_state.get(
        keys.CONTEXT_LENGTH
    )
