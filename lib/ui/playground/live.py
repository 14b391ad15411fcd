"""The playground's live region: the one module that knows both the document and the run.

    live (keyed fragment)   toolbar and Share menu · view switches · notes · [JSON prompt]
      └ one nested fragment, always at the same place:
          ticker (run_every)  while a run streams   ┐ both draw the keyed editor, the run's
          idle                otherwise             ┘ status, cards and details

The page's full run draws the region once; after that it redraws itself. A button in the
toolbar reruns the region; the ticker redraws the document, cards and status a few times a
second, each frame a data change of the one mounted editor, and no script thread waits for
tokens in between. Where the server serves feeds (lib/run/feed.py), the editor reads a single
stream's text from its feed as it grows, and the ticker's frames, a few times longer, only keep
the status current and check that the feed keeps up: the browser draws the whole page for
every frame, and that is what falls behind when a team streams on one instance.

When a frame finds its run ended (or the feed says so), the region signal
(lib/ui/run/region_signal.py) asks once for the region and the history mirror to be redrawn
together (a keyed rerun is only allowed in a widget callback): the finished cards and details
come from the region, the history entry from the mirror, and the rest of the page is not run
again. Stop does the same.
"""

from __future__ import annotations

import time

import streamlit as st

from lib.compare.diff import LEFT, branch_point
from lib.config.connection import LOCAL, Connection
from lib.config.text import escape_markdown
from lib.config.urls import without_credentials
from lib.local import local_problems
from lib.run import feed
from lib.run.model import RUNNING, Run, expected_choices
from lib.ui import keys
from lib.ui.compare import diff_view
from lib.ui.compare import state as compare_state
from lib.ui.compare import view as compare_view
from lib.ui.document import editor
from lib.ui.document import state as document
from lib.ui.playground import tokens_view, toolbar
from lib.ui.playground.connection import current_connection, endpoint_for, missing_key_note
from lib.ui.playground.request_form import current_body, prompt_json_editor
from lib.ui.playground.share_view import link_notes, share_menu, sync_url
from lib.ui.run import region_signal
from lib.ui.run import state as run_state
from lib.ui.run.view import RunView
from lib.ui.shell.lang import current as current_language
from lib.ui.shell.lang import tr
from lib.ui.shell.shutdown import restarting_note
from lib.ui.storage import history_store, prices_store, run_snapshot

LIVE = keys.LIVE
# The running total of costs changes with the history: its mirror and the sidebar's line too.
_REDRAWN_AT_END = [keys.LIVE, keys.HISTORY_MIRROR, prices_store.TOTALS_MIRROR, keys.RUNNING_TOTAL]
# A frame carries the completion from a little before where the last frame ended: the browser
# draws the newest frame it has and skips the others, and appends only what it lacks. The
# margin grows with the text a frame brings, within these bounds (characters); an editor that
# still lacks some asks, and the next frame starts there.
MARGIN_MIN, MARGIN_MAX = 4_000, 16_000
# The first frame of a run (or of a page that joins it) carries at most this much of its end.
FIRST_FRAME_CHARS = 16_000
# A streaming frame that still finds its run ended this long after it first did (the
# browser's end signal got lost) redraws the whole page instead, which draws the end too.
LOST_SIGNAL_SECONDS = 3.0
# A stream gets shorter frames again once fewer streams share the server for this long.
SHORTER_FRAMES_AFTER_SECONDS = 3.0
# In compare, the document leaves this much room under it: the columns' first lines show.
COMPARE_ROOM_REM = 16


def region() -> None:
    """The live region, drawn by the page's full run (it redraws itself after that)."""
    _region()


@st.fragment(key=LIVE)
def _region() -> None:
    conn = current_connection()  # read each run: the sidebar reruns without the page
    if toolbar.text_mode():
        document.sync()  # before the form is read: the document is the prompt
    body, problems = current_body()
    if conn.base_url_source == LOCAL:
        problems += local_problems(body)
    comparing = compare_state.is_on()
    column_notes: list = []
    if comparing:  # the columns' own problems; notes on connections they cannot use here
        more, column_notes = compare_view.problems(body, conn)
        problems = [*problems, *more]
    # A server shutting down takes no new run (its runs in flight may still finish).
    blocked = restarting_note() or missing_key_note(conn)
    _start_queued(conn, body, problems, blocked)
    # The server's tokenizer only once something may be sent to it (not while a key is missing).
    text_mode = toolbar.text_mode()
    tokens = tokens_view.prompt_tokens(conn, body, probe=not blocked) if text_mode else None
    run = run_state.current_run()
    running = _running()
    with toolbar.toolbar(
        problems, blocked, running, can_regenerate=run is not None and not comparing,
        can_undo=document.last_run_id() is not None, on_stop=_stop,
        on_regenerate=_regenerate, on_undo=_undo,
    ):  # fmt: skip
        share_menu(body, without_credentials(conn.base_url))
    toolbar.view_switches(running, document.has_tokens())
    with st.container():  # however many notes there are, what follows stays in its place
        link_notes()
        toolbar.notes(problems, blocked)
        if history_store.interrupted_run():
            st.warning(tr("run.lost"))
        tokens_view.over_context_note(tokens)
        for note in column_notes:
            st.info(_note_text(note))
    if comparing:
        compare_view.editors(str(body.get("model") or ""), running)
    if not toolbar.text_mode():
        prompt_json_editor()
    suffix = document.suffix_of(body)
    if running:
        # A frame's length can only change when this region reruns: a frame asks for that when
        # the streams on the server call for another length (_retime).
        seconds = _frame_seconds(run)
        # Counted: a page may be asked for the same length again later (see _retime).
        drawn = (st.session_state.get(keys.TICKER_SECONDS) or {}).get("drawn", 0) + 1
        st.session_state[keys.TICKER_SECONDS] = {"seconds": seconds, "drawn": drawn}
        st.fragment(run_every=seconds)(_ticker)(suffix, tokens)
    else:
        _idle(suffix, tokens)
    toolbar.form_changed_note(run is not None and not running and run.request != body)
    sync_url()


def _ticker(suffix: str, tokens: tokens_view.PromptTokens | None) -> None:
    """A frame while a run streams (the region calls it with run_every). The prompt's token
    line stays as it was sent: the status line under it must not move when the run ends."""
    _frame(suffix, streaming=True, tokens=tokens)


@st.fragment
def _idle(suffix: str, tokens: tokens_view.PromptTokens | None) -> None:
    """The same place with no run streaming: redrawn by its own widgets or by the region."""
    _frame(suffix, streaming=False, tokens=tokens)


def _frame(suffix: str, *, streaming: bool, tokens: tokens_view.PromptTokens | None = None) -> None:
    if compare_state.is_on():
        _compare_frame(suffix, streaming=streaming, tokens=tokens)
        return
    run = run_state.current_run()
    ended = None  # the run this frame found ended, to be told to the server once
    if run is not None and streaming:
        run.seen()  # a page shows it: the worker keeps going
        if run.status == RUNNING and run.worker is not None:
            run.worker.start()  # no-op unless a rerun came between storing and starting it
        elif run.status != RUNNING and not run.recorded:
            ended = run.id  # the region draws the end, toolbar and all, once told
            _watch_for_a_lost_signal(run.id)
    elif run is not None and run.status != RUNNING and run_state.record_finished():
        ended = run.id  # it ended between frames; its text went into the document just now
    # Until its end is taken in, a run is drawn as it streams: its last text, no details yet
    # and no Use this (they come with the toolbar that says it ended).
    settled = run is not None and run.recorded
    choice = document.choice_in_document(run)
    if toolbar.text_mode():
        _document(run, None if settled else choice, suffix)
        tokens_view.line(tokens, _redraw_region)  # the prompt's tokens, before sending
    view = None
    if run is not None:
        view = RunView(run, choice, on_use=_use, settled=settled)
        view.draw_status()
    if toolbar.text_mode() and (run is None or settled) and document.is_windowed():
        editor.window_note()
    if view is not None:
        view.draw_results()
    if ended is not None:  # drawn only then: a frame is a little cheaper without it
        region_signal.ask(ended, _on_ended, keys.RUN_END)
    if run is not None and streaming and run.status == RUNNING:
        _retime(run.id, _frame_seconds(run))
        # Last, and hidden by the page's CSS: an element above the document would move it.
        run_snapshot.keep(run)  # in the browser's history, should this server go away


def _compare_frame(
    suffix: str, *, streaming: bool, tokens: tokens_view.PromptTokens | None
) -> None:
    """A frame of compare: the document as it is, then the columns (streaming: one keyed
    component for all of them; ended: elements, and the Diff)."""
    comparison = compare_state.current()
    ended = None
    if comparison is not None and streaming:
        for run in comparison.runs:
            run.seen()  # a page shows it: the worker keeps going
            if run.status == RUNNING and run.worker is not None:
                run.worker.start()  # no-op unless a rerun came between storing and starting
        if not comparison.running() and not comparison.recorded:
            ended = comparison.group
            _watch_for_a_lost_signal(comparison.group)
    elif comparison is not None and compare_state.record_finished():
        ended = comparison.group
    if toolbar.text_mode():
        _document(None, None, suffix, room_rem=COMPARE_ROOM_REM)
        tokens_view.line(tokens, _redraw_region)
    if comparison is not None and comparison.recorded:
        compare_view.draw_finished(comparison, _use_column)
        diff_view.draw(comparison, _branch_column)
    elif comparison is not None:
        compare_view.draw_live(comparison)
    if ended is not None:
        region_signal.ask(ended, _on_ended, keys.RUN_END)
    elif comparison is not None and streaming and comparison.running():
        _retime(comparison.group, run_state.redraw_seconds())


def _document(
    run: Run | None, streaming_choice: int | None, suffix: str, room_rem: float = 0
) -> None:
    """The editor (streaming `streaming_choice` of `run` when given), or its Markdown preview."""
    state = st.session_state
    if run is not None and streaming_choice is not None:
        live = _live(run, streaming_choice)
        editor.draw(probabilities=False, suffix=document.suffix_of(run.request), live=live, on=_ON)
    elif state.get(keys.RENDER_MARKDOWN):
        editor.preview()
    else:
        shown = bool(state.get(keys.SHOW_PROBABILITIES)) and document.has_tokens()
        editor.draw(probabilities=shown, suffix=suffix, live=None, on=_ON, room_rem=room_rem)


def _live(run: Run, choice: int) -> dict:
    """What this frame of `run` carries into the document: its end since the last frame."""
    text = document.completion_of(run, choice)
    last = st.session_state.get(keys.LIVE_FRAMES) or {}
    if last.get("run") != run.id:
        last = {"run": run.id}
        offset = max(0, len(text) - FIRST_FRAME_CHARS)
    else:
        new = len(text) - last["end"]
        margin = min(MARGIN_MAX, max(MARGIN_MIN, 3 * new))
        offset = max(0, min(last["end"], len(text)) - margin)
    lacks = editor.lacks_from(run.id)
    if lacks is not None and len(text) - lacks <= MARGIN_MAX:
        # Frames went by unseen: every frame starts where the editor lacks text, until it is
        # that far behind (a frame is never longer than the widest margin plus what is new).
        offset = min(offset, lacks)
    fed = _fed(run)
    if fed and last.get("feed_of") != (run.id, choice):
        token = feed.open_feed(run, choice, document.completion_of)
        url = feed.feed_path(st.get_option("server.baseUrlPath") or "", token)
        last = {**last, "feed_of": (run.id, choice), "feed": url}
    st.session_state[keys.LIVE_FRAMES] = {**last, "end": len(text)}
    start = document.pending().get("start", "")
    live = {"run": run.id, "start": start, "offset": offset, "text": text[offset:],
            "total": len(text)}  # fmt: skip
    if fed:
        live["feed"] = last["feed"]  # the editor reads the text from here between frames
    return live


def _watch_for_a_lost_signal(run_id: str) -> None:
    last = st.session_state.get(keys.LIVE_FRAMES) or {}
    now = time.monotonic()
    if last.get("ended") != run_id:
        st.session_state[keys.LIVE_FRAMES] = {**last, "ended": run_id, "ended_at": now}
    elif now - last["ended_at"] > LOST_SIGNAL_SECONDS:
        st.rerun(scope="app")


def _fed(run: Run | None) -> bool:
    """Whether the editor reads `run`'s text from its feed (lib/run/feed.py): the server serves
    feeds, the run streams one choice into the document, and the editor has not lost the feed
    (then frames carry the text at their full rate again)."""
    return (
        run is not None
        and feed.served()
        and toolbar.text_mode()
        and not compare_state.is_on()
        and expected_choices(run.request) == 1
        and not editor.feed_lost(run.id)
    )


def _frame_seconds(run: Run | None) -> float:
    return run_state.redraw_seconds(fed=_fed(run))


def _retime(run_id: str, seconds: float) -> None:
    """Ask for the ticker again when the streams on the server call for another frame length
    than the one it was drawn with (streams that started or ended after this one did).

    Longer frames are asked for at once: they are what keeps a busy server from falling
    behind. Shorter ones only once they have been due for a while: when a team's streams end
    together, the last few would otherwise each rerun their region just before ending too.
    """
    state = st.session_state
    ticker = state.get(keys.TICKER_SECONDS) or {}
    drawn = ticker.get("seconds")
    if drawn is None:
        return
    now = time.monotonic()
    shorter_since = ticker.get("shorter_since", now) if seconds < drawn else None
    if shorter_since != ticker.get("shorter_since"):
        state[keys.TICKER_SECONDS] = {**ticker, "shorter_since": shorter_since}
    if seconds == drawn or (
        shorter_since is not None and now - shorter_since < SHORTER_FRAMES_AFTER_SECONDS
    ):
        return
    # The signal tells each request once: which drawing of the ticker asks makes it new.
    region_signal.ask(f"{run_id}@{seconds}#{ticker.get('drawn')}", _redraw_region, keys.RUN_RETIME)


def _note_text(message) -> str:
    """A note (a Message) in the reader's language, as Markdown that shows it as written."""
    return escape_markdown(message.text(current_language()))


# Actions ----------------------------------------------------------------------------------


def _start_queued(conn: Connection, body: dict, problems: list, blocked) -> None:
    """Start the run a button queued, if it may run now."""
    action = toolbar.take_action()
    if not action or blocked or _running():
        return
    if compare_state.is_on():
        if action == toolbar.SUBMIT and not problems:
            history_store.forget_interrupted()
            compare_view.start(body, conn)
        return
    history_store.forget_interrupted()  # a new run: the lost one is in History
    last = run_state.current_run()
    state = st.session_state
    endpoint, count = endpoint_for(conn), tokens_view.counter(conn)
    if action == toolbar.REGENERATE and last is not None:
        run_state.start(endpoint, last.request, counter=count)
        document.forget()
    elif action == toolbar.SUBMIT and not problems:
        if toolbar.text_mode():
            run = run_state.start(endpoint, body, on_end=document.finished, counter=count)
            document.begin(run, state["start_text"], state["restart_text"])
        else:
            run_state.start(endpoint, body, counter=count)
            document.forget()
    elif action == toolbar.BRANCH and not problems and toolbar.text_mode():
        # The branch continues from exactly the document's text: no start text is injected.
        body = {**body, "prompt": state["prompt"]}
        document.begin(
            run_state.start(endpoint, body, on_end=document.finished, counter=count),
            "",
            "",
        )


def _running() -> bool:
    return run_state.is_running() or compare_state.is_running()


def _stop() -> None:
    run_state.stop()
    compare_state.stop()  # Stop all: every column's connection
    compare_state.record_finished()
    st.rerun(scope=_REDRAWN_AT_END)


def _on_ended() -> None:
    """The browser saw a run end: the region draws the end, the mirror keeps the entry."""
    run_state.record_finished()
    compare_state.record_finished()
    st.rerun(scope=_REDRAWN_AT_END)


def _on_fed_end() -> None:
    """The editor's feed said the run ended: the end is drawn now, not at the next frame."""
    run = run_state.current_run()
    if run is not None and run.status != RUNNING:
        _on_ended()


def _redraw_region() -> None:
    # A region signal's answer: the ticker with the frame length of now, or the token line and
    # the context note with the exact count.
    st.rerun(scope=LIVE)


def _use_column(index: int) -> None:
    compare_view.use(index)
    st.rerun(scope=LIVE)  # the prompt, share link and Undo follow the document


def _branch_column(side: str, index: int) -> None:
    """Continue the document from a divergence with `side`'s token there (not sent yet)."""
    comparison = compare_state.current()
    pair = diff_view.picked(comparison) if comparison is not None else None
    if comparison is None or pair is None:
        return
    found = diff_view.compared(comparison, *pair)
    run = comparison.runs[pair[0] if side == LEFT else pair[1]]
    segments = document.without_runs([r.id for r in comparison.runs])
    new = branch_point(segments, found, side, index, run.id)
    if new is not None:
        st.session_state["prompt_mode"] = "text"
        document.load(new)
        st.rerun(scope=LIVE)


def _regenerate() -> None:
    """In the document: take the last completion out and send the document again."""
    if toolbar.text_mode():
        document.undo_last()
        toolbar.queue(toolbar.SUBMIT)
    else:
        toolbar.queue(toolbar.REGENERATE)


def _undo() -> None:
    document.undo_last()


def _use(index: int) -> None:
    document.use_choice(run_state.current_run(), index)
    st.rerun(scope=LIVE)  # the prompt, share link and Undo follow the document


def _on_doc() -> None:
    if document.adopt(editor.value("doc")):
        st.rerun(scope=LIVE)  # the prompt, share link and Undo follow the document


def _on_submit() -> None:
    if document.adopt(editor.value("submit"), renumber=True):
        toolbar.queue(toolbar.SUBMIT)
        st.rerun(scope=LIVE)


def _on_branch() -> None:
    if document.branch(editor.value("branch")):
        toolbar.queue(toolbar.BRANCH)
        st.rerun(scope=LIVE)


_ON = editor.Callbacks(doc=_on_doc, submit=_on_submit, branch=_on_branch, fed_end=_on_fed_end)
