"""The document in this session: its segments, their revision, and the run writing into it.

The document (lib/document/model.py) lives in `st.session_state`; the editor
(lib/ui/document/editor.py) shows it. Python numbers every change it makes (`rev`): the
browser replaces its text only when that number changes, so a rerun never drops what is being
typed, and an answer from the browser about an older document is ignored.

In text mode the `prompt` request field is the document's text: share links, export, View
code and the history read it there. `sync()` keeps the two together and takes a prompt set
from elsewhere (a link, an import, Open in playground) into the document.

This module draws nothing and knows no run beyond the one it is handed.
"""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from lib.document.model import (
    INJECT,
    MODEL,
    Segment,
    branched,
    completion_tokens,
    echo_skip,
    from_browser,
    from_prompt,
    has_run,
    runs_in,
    text_of,
    with_choice,
    with_completion,
    without_run,
    without_tokens,
)
from lib.request.form import decode_escapes
from lib.run.model import Run
from lib.ui import keys

_DOC = keys.DOCUMENT
_RUN = keys.DOCUMENT_RUN
# Above this many characters the editor holds only the document's end (the rest is a download
# or "show all" away): drawing a huge completion must cost what a long one costs.
WINDOW_CHARS = 200_000
# Above this many characters the editor says which document it holds, and drawings leave out
# the segments it has (see editor.py); a shorter document is cheaper to send again than the
# rerun that the editor's answer costs.
ACK_CHARS = 20_000


def _doc() -> dict:
    state = st.session_state
    if _DOC not in state:
        state[_DOC] = {"id": uuid.uuid4().hex[:8], "n": 0, "segments": [], "written": None}
    return state[_DOC]


def segments() -> list[Segment]:
    return _doc()["segments"]


def rev() -> str:
    """The revision of the document Python holds (changes with every change Python makes)."""
    doc = _doc()
    return f"{doc['id']}.{doc['n']}"


def _set(new: list[Segment]) -> None:
    """Python changes the document: the browser will replace what it shows."""
    doc = _doc()
    doc["segments"] = new
    doc["n"] += 1


def _write_prompt() -> None:
    """The document's text becomes the `prompt` field (callbacks only: no widget drawn yet)."""
    st.session_state["prompt"] = _doc()["written"] = text_of(segments())


def load(new: list[Segment]) -> None:
    """A document from elsewhere (the history, a branch); its text becomes the prompt."""
    _set(new)
    _write_prompt()


def sync() -> None:
    """Keep the `prompt` field and the document equal (text mode, before the form is read)."""
    state = st.session_state
    doc = _doc()
    prompt = state.get("prompt")
    if isinstance(prompt, str) and prompt != doc["written"]:
        _set(from_prompt(prompt))  # set from elsewhere: a link, an import, another mode
        doc["written"] = prompt
        return
    text = text_of(doc["segments"])
    if text != doc["written"] or prompt is None:
        state["prompt"] = doc["written"] = text


def adopt(value: Any, *, renumber: bool = False) -> bool:
    """Take the document the browser sent, if it is one and about the current document.

    A windowed document is read-only in the browser: it sends no text, and the document
    Python holds is the one meant.
    """
    if not isinstance(value, dict):
        return False
    if value.get("windowed"):
        return value.get("base") == rev()
    new = from_browser(value.get("segments"), segments())
    if new is None:
        return False
    if renumber:
        _set(new)  # a send: what is shown is what goes out, even over a newer document
    elif value.get("base") == rev():
        _doc()["segments"] = new
    else:
        return False
    _write_prompt()
    return True


def branch(value: Any) -> bool:
    """Cut the document at a token and continue with an alternative the browser picked."""
    if not isinstance(value, dict) or value.get("base") != rev():
        return False
    seg, tok, alt = value.get("seg"), value.get("tok"), value.get("alt")
    if not (isinstance(seg, int) and isinstance(tok, int) and isinstance(alt, str)):
        return False
    new = branched(segments(), seg, tok, alt)
    if new is None:
        return False
    load(new)
    return True


# The window ----------------------------------------------------------------------------------


def windowed(segs: list[Segment], limit: int = WINDOW_CHARS) -> tuple[list[Segment], int, int]:
    """The end of `segs` holding at most `limit` characters.

    Returns the kept segments, how many characters were left out before them, and the index in
    `segs` of the first kept one. A segment cut in two loses its tokens (they would not match).
    """
    total = 0
    for index in range(len(segs) - 1, -1, -1):
        length = len(segs[index]["text"])
        if total + length > limit:
            keep = limit - total
            kept = [] if keep <= 0 else [_tail_of(segs[index], keep)]
            hidden = sum(len(s["text"]) for s in segs[:index]) + length - max(keep, 0)
            return kept + segs[index + 1 :], hidden, index + (keep <= 0)
        total += length
    return segs, 0, 0


def _tail_of(segment: Segment, keep: int) -> Segment:
    return {k: v for k, v in segment.items() if k != "tokens"} | {"text": segment["text"][-keep:]}


def show_all() -> None:
    """Load the whole document into the editor, however long (until Python changes it)."""
    doc = _doc()
    doc["whole"] = doc["n"]


def is_windowed() -> bool:
    doc = _doc()
    return doc.get("whole") != doc["n"] and sum(len(s["text"]) for s in doc["segments"]) > (
        WINDOW_CHARS
    )


def for_editor(probabilities: bool) -> dict:
    """The document as the editor gets it: its revision, and its end when it is huge.

    `ver` names exactly what the segments hold (revision, tokens or not, window or whole), so
    the editor can say which one it has (see lib/ui/document/editor.py).
    """
    segs = segments() if probabilities else without_tokens(segments())
    hidden, first = 0, 0
    if is_windowed():
        segs, hidden, first = windowed(segs)
    ver = f"{rev()}.{'p' if probabilities else 't'}.{'w' if hidden else 'a'}"
    ack = sum(len(s["text"]) for s in segs) > ACK_CHARS
    return {
        "rev": rev(), "ver": ver, "ack": ack, "segments": segs, "hidden": hidden, "first": first
    }  # fmt: skip


# Runs and the document ---------------------------------------------------------------------


def begin(run: Run, start_text: str, restart_text: str) -> None:
    """Run `run` writes into the document when it ends (see `finished`)."""
    st.session_state[_RUN] = {
        "run": run.id,
        "start": decode_escapes(start_text),
        "restart": decode_escapes(restart_text),
        "choice": 0,
        "applied": False,
    }


def forget() -> None:
    st.session_state.pop(_RUN, None)


def pending() -> dict:
    """The run writing into the document ({} when none): its id, injected texts, choice."""
    return st.session_state.get(_RUN) or {}


def choice_in_document(run: Run | None) -> int | None:
    """Which choice of `run` the document shows, if it is the document's run."""
    record = pending()
    if run is None or record.get("run") != run.id:
        return None
    return record["choice"]


def completion_of(run: Run, index: int) -> str:
    """Choice `index` of `run` as the document shows it (an echoed prompt left out)."""
    text = run.text(index) if index in run.indexes() else ""
    return text[echo_skip(run.request, text) :]


def _choice_text(run: Run, index: int) -> tuple[str, list | None]:
    text = run.text(index)
    skip = echo_skip(run.request, text)
    choices = run.response().get("choices") or []
    logprobs = next(
        (c.get("logprobs") for c in choices if isinstance(c, dict) and c.get("index") == index),
        None,
    )
    return text[skip:], completion_tokens(logprobs, text[skip:], skip=skip)


def finished(run: Run) -> None:
    """A document run ended: what arrived goes into the document (partial text too)."""
    record = pending()
    if record.get("run") != run.id or record["applied"]:
        return
    record["applied"] = True
    if record["choice"] not in run.indexes():
        return  # nothing arrived: the document stays as it was
    text, tokens = _choice_text(run, record["choice"])
    _set(with_completion(segments(), run.id, text, tokens, record["start"], record["restart"]))


def use_choice(run: Run | None, index: int) -> None:
    """Swap choice `index` of `run` into the document (a card's "Use this")."""
    record = pending()
    if run is None or record.get("run") != run.id:
        return
    text, tokens = _choice_text(run, index)
    if has_run(segments(), run.id):
        _set(with_choice(segments(), run.id, text, tokens))
    else:
        _set(with_completion(segments(), run.id, text, tokens, record["start"], record["restart"]))
    record["choice"] = index


def without_runs(run_ids: list[str]) -> list[Segment]:
    """The document with the text of runs `run_ids` taken out (a comparison's columns)."""
    segs = segments()
    for run_id in run_ids:
        segs = without_run(segs, run_id)
    return segs


def take_run(run: Run, others: list[str]) -> None:
    """Put choice 0 of `run` at the document's end as the model's text, in place of the text
    of any run in `others` (a comparison column's "Use this"); Undo takes it out again."""
    text, tokens = _choice_text(run, 0)
    _set(with_completion(without_runs([*others, run.id]), run.id, text, tokens))
    st.session_state[_RUN] = {"run": run.id, "start": "", "restart": "", "choice": 0,
                              "applied": True}  # fmt: skip


def last_run_id() -> str | None:
    """The run whose text was added to the document last, if its text is still there."""
    record = pending()
    if record and has_run(segments(), record["run"]):
        return record["run"]
    ids = runs_in(segments())
    return ids[-1] if ids else None


def undo_last() -> None:
    """Take the last completion (and the text injected around it) out of the document."""
    run_id = last_run_id()
    if run_id is not None:
        _set(without_run(segments(), run_id))


def has_tokens() -> bool:
    return any(s["kind"] == MODEL and s.get("tokens") for s in segments())


def has_completion() -> bool:
    return any(s["kind"] in (MODEL, INJECT) for s in segments())


def suffix_of(body: dict) -> str:
    suffix = body.get("suffix")
    return suffix if isinstance(suffix, str) else ""
