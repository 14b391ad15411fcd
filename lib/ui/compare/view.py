"""Compare on the playground: the column editors, the columns while they stream, and after.

The live region (lib/ui/playground/live.py) calls these: `editors` under the view switches,
`problems` with the form's, `start` for a queued Submit, and in each frame `draw_live` (one
keyed component for every column, as n>1 cards are drawn) or `draw_finished` (elements: a
status line per column, the text, Use this, View code) and the diff (diff_view.py).
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from lib import local
from lib.compare import export
from lib.compare.columns import (
    CURRENT,
    LOCAL,
    MAX_COLUMNS,
    MIN_COLUMNS,
    OVERRIDABLE,
    Column,
    Resolved,
    column_body,
    comparison_problems,
    resolve_column,
)
from lib.compare.links import override_from_text, override_text
from lib.config.connection import LOCAL as LOCAL_SOURCE
from lib.config.connection import Connection
from lib.config.text import escape_markdown, shorten
from lib.config.urls import without_credentials
from lib.i18n import Message
from lib.local import local_problems
from lib.request.snippets import snippet
from lib.run.model import RUNNING, Run
from lib.ui import keys
from lib.ui.compare import state
from lib.ui.compare.state import Comparison
from lib.ui.document import state as document
from lib.ui.playground import tokens_view
from lib.ui.playground.connection import endpoint_for, missing_key_note
from lib.ui.playground.local_model import local_server
from lib.ui.run import live_cards
from lib.ui.run.view import TAIL_CHARS, RunView
from lib.ui.shell.lang import tr
from lib.ui.shell.secrets import app_settings
from lib.ui.storage import connection_store

# A finished column shows at most this many characters (the whole text is in History).
SHOWN_CHARS = 20_000
# View code per column: the two snippets people ask for most.
CODE_LANGUAGES = ("curl", "python")


# Connections ----------------------------------------------------------------------------------


def _local_url() -> str | None:
    settings = app_settings()
    return local_server().base_url if local.offers_local(settings, local.installed()) else None


def resolved(conn: Connection, cols: list[Column]) -> list[Resolved]:
    """Each column's connection on this instance (the current one, with a note, as a fallback)."""
    saved, settings, local_url = connection_store.saved(), app_settings(), _local_url()
    return [
        resolve_column(column, number, saved, conn, settings, local_url)
        for number, column in enumerate(cols, 1)
    ]


def _conn_options(column: Column) -> list[str]:
    """What a column may send with: the current connection, the local model, saved names.

    With LOCK_BASE_URL only the instance's own server (and the local model where offered).
    """
    settings = app_settings()
    options = [CURRENT]
    if _local_url() and (not settings.lock_base_url or settings.allow_local_model):
        options.append(LOCAL)
    if not settings.lock_base_url:
        options += [entry["name"] for entry in connection_store.saved() if entry.get("name")]
    if column.conn not in options:
        options.append(column.conn)  # a link's name unknown here: shown, and noted
    return options


def _conn_label(name: str) -> str:
    if name == CURRENT:
        return tr("compare.conn_current")
    if name == LOCAL:
        return tr("compare.conn_local")
    return name


# Problems before sending ----------------------------------------------------------------------


def problems(form_body: dict, conn: Connection) -> tuple[list[Message], list[Message]]:
    """Why the comparison cannot be sent (beyond the form's problems), and notes on columns
    that send with another connection than they name."""
    cols = state.columns()
    found: list[Message] = list(
        comparison_problems(form_body, cols, app_settings().max_tokens_limit)
    )
    notes: list[Message] = []
    for number, (column, where) in enumerate(zip(cols, resolved(conn, cols), strict=True), 1):
        if where.note is not None:
            notes.append(where.note)
        # A column's connection must be usable: its key, the local model being ready.
        if where.conn != CURRENT and (blocked := missing_key_note(where.connection)):
            found.append(Message("compare.column_problem", {"column": number, "problem": blocked}))
        if where.connection.base_url_source == LOCAL_SOURCE:
            for problem in local_problems(column_body(form_body, column)):
                params = {"column": number, "problem": problem}
                found.append(Message("compare.column_problem", params))
    return found, notes


def start(form_body: dict, conn: Connection) -> Comparison:
    """Send the form's body, changed by each column, to each column's own connection."""
    cols = state.columns()
    where = resolved(conn, cols)
    document.forget()  # the document takes a column's text only on Use this
    return state.start(
        form_body,
        cols,
        [w.conn for w in where],
        [endpoint_for(w.connection) for w in where],
        [tokens_view.counter(w.connection) for w in where],
    )


# The column editors -------------------------------------------------------------------------


def editors(form_model: str, running: bool) -> None:
    """A row of columns: connection, model, the fields each changes (chips), Add / Remove."""
    cols = state.columns()
    grid = st.columns(len(cols), gap="small")
    for number, (place, column) in enumerate(zip(grid, cols, strict=True), 1):
        with place, st.container(border=True):
            _editor(number, column, form_model, running, removable=len(cols) > MIN_COLUMNS)
    st.button(
        tr("compare.add"), key="compare_add", icon=":material/add:", on_click=state.add_column,
        disabled=running or len(cols) >= MAX_COLUMNS,
    )  # fmt: skip


def _editor(number: int, column: Column, form_model: str, running: bool, removable: bool) -> None:
    ss = st.session_state
    conn_key, model_key = f"{keys.COMPARE_CONN}{number}", f"{keys.COMPARE_MODEL}{number}"
    options = _conn_options(column)
    if ss.get(conn_key) not in options:
        ss[conn_key] = column.conn
    if model_key not in ss:
        ss[model_key] = column.model
    head, remove = st.columns([4, 1], vertical_alignment="center")
    head.markdown(f"**{tr('compare.column', number=number)}**")
    if removable:
        remove.button(
            "", icon=":material/close:", key=f"compare_remove_{number}", disabled=running,
            on_click=state.remove_column, args=(number,), help=tr("compare.remove"),
        )  # fmt: skip
    st.selectbox(
        tr("compare.conn"), options, key=conn_key, format_func=_conn_label, disabled=running,
        on_change=_conn_changed, args=(number,),
    )  # fmt: skip
    st.text_input(
        tr("compare.model"), key=model_key, placeholder=form_model or tr("compare.form_model"),
        disabled=running, on_change=_model_changed, args=(number,),
    )  # fmt: skip
    chips = [
        f"{name} = {override_text(name, value) or '∅'}" for name, value in column.overrides.items()
    ]
    if chips:
        st.markdown(" ".join(f":violet-badge[{escape_markdown(chip)}]" for chip in chips))
    with st.popover(tr("compare.fields"), icon=":material/tune:", disabled=running):
        st.selectbox(tr("compare.field"), OVERRIDABLE, key=f"{keys.COMPARE_FIELD}{number}")
        st.text_input(
            tr("compare.value"), key=f"{keys.COMPARE_VALUE}{number}",
            help=tr("compare.value_help"),
        )  # fmt: skip
        left, right = st.columns(2)
        left.button(
            tr("compare.set"), key=f"compare_set_{number}", on_click=_set_override,
            args=(number,), width="stretch",
        )  # fmt: skip
        right.button(
            tr("compare.unset"), key=f"compare_unset_{number}", on_click=_unset_override,
            args=(number,), width="stretch",
        )  # fmt: skip
        bad = ss.get(keys.COMPARE_NOTES, {}).get(number)
        if bad:
            st.warning(escape_markdown(bad))


def _conn_changed(number: int) -> None:
    state.change_column(number, conn=st.session_state[f"{keys.COMPARE_CONN}{number}"])


def _model_changed(number: int) -> None:
    model = str(st.session_state.get(f"{keys.COMPARE_MODEL}{number}") or "").strip()
    state.change_column(number, model=model)


def _set_override(number: int) -> None:
    ss = st.session_state
    name = ss.get(f"{keys.COMPARE_FIELD}{number}")
    text = str(ss.get(f"{keys.COMPARE_VALUE}{number}") or "").strip()
    notes = ss.setdefault(keys.COMPARE_NOTES, {})
    value, ok = override_from_text(name, text) if name in OVERRIDABLE else (None, False)
    if not ok:
        notes[number] = tr("compare.bad_override", name=name, value=shorten(text))
        return
    notes.pop(number, None)
    overrides = {**state.columns()[number - 1].overrides, name: value}
    state.change_column(number, overrides=overrides)


def _unset_override(number: int) -> None:
    name = st.session_state.get(f"{keys.COMPARE_FIELD}{number}")
    overrides = dict(state.columns()[number - 1].overrides)
    overrides.pop(name, None)
    st.session_state.get(keys.COMPARE_NOTES, {}).pop(number, None)
    state.change_column(number, overrides=overrides)


# The columns, streaming and finished ---------------------------------------------------------


def _label(comparison: Comparison, index: int) -> str:
    run = comparison.runs[index]
    model = str(run.request.get("model") or "—")
    return " · ".join(
        (tr("compare.column", number=index + 1), model, _conn_label(comparison.conns[index]))
    )


def draw_live(comparison: Comparison) -> None:
    """Every column as one card of the live cards component: its text's tail, status, Stop."""
    cards = []
    for index, run in enumerate(comparison.runs):
        text, hidden = run.tail(0, TAIL_CHARS)
        running = run.status == RUNNING
        cards.append({
            "index": index,
            "label": _label(comparison, index),
            "text": text,
            "note": tr("run.tail", count=hidden) if hidden else "",
            "finish": RunView(run, settled=False).status_line(),
            "stop": tr("play.stop") if running else "",
        })  # fmt: skip
    live_cards.draw(cards, len(cards), on_stop=_stop_column)


def _stop_column() -> None:
    index = live_cards.stopped()
    if index is not None:
        state.stop(index)


def draw_finished(comparison: Comparison, on_use: Callable[[int], None]) -> None:
    """Each column as elements: status line, error, text, finish reason, Use this, View code."""
    grid = st.columns(len(comparison.runs), gap="small")
    for index, (place, run) in enumerate(zip(grid, comparison.runs, strict=True)):
        with place, st.container(border=True):
            _finished_column(comparison, index, run, on_use)
    st.download_button(
        tr("compare.export"), lambda: export.export_bytes(records(comparison)),
        file_name=f"comparison-{comparison.group[:8]}.json", mime="application/json",
        on_click="ignore", key=f"compare_export_{comparison.group}", icon=":material/download:",
    )  # fmt: skip


def records(comparison: Comparison) -> list[dict]:
    """The comparison's runs as their history entries (tagged with the group)."""
    return [
        export.tagged(run.record(), comparison.group, number, conn)
        for number, (run, conn) in enumerate(zip(comparison.runs, comparison.conns, strict=True), 1)
    ]


def _finished_column(
    comparison: Comparison, index: int, run: Run, on_use: Callable[[int], None]
) -> None:
    view = RunView(run, settled=True)
    st.markdown(f"**{escape_markdown(_label(comparison, index))}**")
    st.caption(view.status_line())
    view.draw_error()
    text = run.text(0) if 0 in run.indexes() else ""
    st.code(text[:SHOWN_CHARS], language=None, wrap_lines=True)
    if len(text) > SHOWN_CHARS:
        st.caption(tr("run.head", shown=SHOWN_CHARS, count=len(text)))
    if text:
        st.button(
            tr("doc.use_this"), key=f"compare_use_{run.id}", on_click=on_use, args=(index,),
            help=tr("doc.use_this_help"), disabled=not document_mode(),
        )  # fmt: skip
    with st.expander(tr("compare.view_code")):
        base_url = without_credentials(run.base_url)
        for language in CODE_LANGUAGES:
            st.code(snippet(language, base_url, run.request), language="bash"
                    if language == "curl" else language)  # fmt: skip


def document_mode() -> bool:
    return (st.session_state.get("prompt_mode") or "text") == "text"


def use(index: int) -> None:
    """Column `index`'s completion into the document as the model's text (in place of another
    column's taken before)."""
    comparison = state.current()
    if comparison is None or not 0 <= index < len(comparison.runs):
        return
    run = comparison.runs[index]
    document.take_run(run, [r.id for r in comparison.runs if r.id != run.id])
    comparison.used = run.id
