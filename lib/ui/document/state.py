"""The document editor on the playground: the prompt, and the completions streamed into it.

The document (lib/document/model.py) lives in this session's state; the editor component
(document.js) shows it and hands back what the person typed. Python numbers every change it
makes (`rev`): the browser replaces its text only when that number changes, so a rerun never
drops what is being typed, and an answer from the browser about an older document is ignored.

In text mode the `prompt` request field is the document's text: share links, export, View
code and the history read it there. `sync()` keeps the two together and takes a prompt set
from elsewhere (a link, an import, Open in playground) into the document.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import streamlit as st

from lib.config.text import markdown_without_images
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
from lib.ui.shell.lang import tr

EDITOR = keys.DOCUMENT_EDITOR
_DOC = keys.DOCUMENT
_RUN = keys.DOCUMENT_RUN
_CSS = Path(__file__).with_name("document.css").read_text(encoding="utf-8")
_JS = Path(__file__).with_name("document.js").read_text(encoding="utf-8")
_component = st.components.v2.component("completions_playground_document", js=_JS, css=_CSS)
# What a streaming frame carries (see `streaming`): the first frame of a script run the last
# LIVE_WINDOW characters, the others what is new plus LIVE_MARGIN characters before it.
LIVE_WINDOW = 32_000
LIVE_MARGIN = 16_000
LABELS = {
    "document": "doc.label", "suffix": "doc.suffix", "alternatives": "doc.alternatives",
    "no_alternatives": "doc.no_alternatives", "branch_hint": "doc.branch_hint",
    "chosen": "doc.chosen", "na": "run.na",
}  # fmt: skip


def _doc() -> dict:
    state = st.session_state
    if _DOC not in state:
        state[_DOC] = {
            "id": uuid.uuid4().hex[:8], "n": 0, "tick": 0, "segments": [], "written": None
        }  # fmt: skip
    return state[_DOC]


def segments() -> list[Segment]:
    return _doc()["segments"]


def _rev() -> str:
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


def _adopt(value: Any, *, renumber: bool = False) -> bool:
    """Take the document the browser sent, if it is one and about the current document."""
    if not isinstance(value, dict):
        return False
    new = from_browser(value.get("segments"), segments())
    if new is None:
        return False
    if renumber:
        _set(new)  # a send: what is shown is what goes out, even over a newer document
    elif value.get("base") == _rev():
        _doc()["segments"] = new
    else:
        return False
    _write_prompt()
    return True


def _editor_value(name: str) -> Any:
    value = st.session_state.get(EDITOR)
    if isinstance(value, dict):
        return value.get(name)
    return getattr(value, name, None)


def _on_doc() -> None:
    _adopt(_editor_value("doc"))


def _on_submit() -> None:
    from lib.ui.playground import toolbar as playground  # it queues actions; imports this

    if _adopt(_editor_value("submit"), renumber=True):
        playground.queue(playground.SUBMIT)


def _on_branch() -> None:
    from lib.ui.playground import toolbar as playground

    value = _editor_value("branch")
    if not isinstance(value, dict) or value.get("base") != _rev():
        return
    seg, tok, alt = value.get("seg"), value.get("tok"), value.get("alt")
    if not (isinstance(seg, int) and isinstance(tok, int) and isinstance(alt, str)):
        return
    new = branched(segments(), seg, tok, alt)
    if new is None:
        return
    load(new)
    playground.queue(playground.BRANCH)


def _labels() -> dict[str, str]:
    return {name: tr(key) for name, key in LABELS.items()}


def _tick() -> list:
    """This session's document id and a number that grows with every drawing.

    Mounts of the component replace each other quickly while a run streams, and the browser
    may still call an older one after a newer one: the editor ignores a smaller number.
    """
    doc = _doc()
    doc["tick"] += 1
    return [doc["id"], doc["tick"]]


def _data(probabilities: bool, suffix: str, live: dict | None = None) -> dict:
    segs = segments() if probabilities else without_tokens(segments())
    return {
        "tick": _tick(),
        "doc": {"rev": _rev(), "segments": segs},
        "probabilities": probabilities,
        "suffix": suffix,
        "live": live,
        "labels": _labels(),
        "placeholder": tr("doc.placeholder"),
    }


def _keyed(data: dict) -> None:
    """The editor under its key: drawn again with the same key, the browser keeps it in place."""
    _component(
        key=EDITOR, data=data,
        on_doc_change=_on_doc, on_submit_change=_on_submit, on_branch_change=_on_branch,
    )  # fmt: skip


def editor(*, probabilities: bool, suffix: str) -> None:
    """The editable document (no run streaming)."""
    _keyed(_data(probabilities, suffix))


def area(body: dict) -> None:
    """The document as the person works on it: the editor, or its Markdown preview."""
    if st.session_state.get(keys.RENDER_MARKDOWN):
        with st.container(border=True):
            text = text_of(segments())
            # Text only: images off, and Streamlit's Markdown never renders raw HTML.
            st.markdown(markdown_without_images(text) if text else tr("doc.preview_empty"))
        return
    shown = bool(st.session_state.get(keys.SHOW_PROBABILITIES)) and has_tokens()
    editor(probabilities=shown, suffix=suffix_of(body))


def streaming(run: Run, choice: int, shown: int | None) -> int:
    """One frame of a run streaming into the document (read-only while it streams).

    `shown` is how much of the completion the last frame carried (None for the first frame
    of this script run). A frame carries what is new since then, plus a margin for frames the
    browser skipped, so its cost does not grow with the text. Returns the length carried.
    """
    pending = st.session_state.get(_RUN) or {}
    text = run.text(choice) if choice in run.indexes() else ""
    text = text[echo_skip(run.request, text) :]
    if shown is None:
        offset = max(0, len(text) - LIVE_WINDOW)  # the editor on the page holds the rest
    else:
        offset = max(0, min(shown, len(text)) - LIVE_MARGIN)
    live = {"run": run.id, "start": pending.get("start", ""), "offset": offset}
    live["text"] = text[offset:]
    data = _data(False, suffix_of(run.request), live)
    if shown is None:
        # The first frame takes the key of the editor the script run before drew: the browser
        # updates that one in place instead of showing it, stale, beside a new one. A key
        # serves once per script run, so the next frames are new elements that replace it.
        _keyed(data)
    else:
        _component(data=data)
    return len(text)


def suffix_of(body: dict) -> str:
    suffix = body.get("suffix")
    return suffix if isinstance(suffix, str) else ""


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


def choice_in_document(run: Run | None) -> int | None:
    """Which choice of `run` the document shows, if it is the document's run."""
    pending = st.session_state.get(_RUN)
    if run is None or not pending or pending["run"] != run.id:
        return None
    return pending["choice"]


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
    pending = st.session_state.get(_RUN)
    if not pending or pending["run"] != run.id or pending["applied"]:
        return
    pending["applied"] = True
    if pending["choice"] not in run.indexes():
        return  # nothing arrived: the document stays as it was
    text, tokens = _choice_text(run, pending["choice"])
    _set(with_completion(segments(), run.id, text, tokens, pending["start"], pending["restart"]))


def use_choice(index: int) -> None:
    """Swap choice `index` of the document's run into the document (a card's "Use this")."""
    from lib.ui.run import state as live

    run, pending = live.current_run(), st.session_state.get(_RUN)
    if run is None or not pending or pending["run"] != run.id:
        return
    text, tokens = _choice_text(run, index)
    if has_run(segments(), run.id):
        _set(with_choice(segments(), run.id, text, tokens))
    else:
        _set(
            with_completion(segments(), run.id, text, tokens, pending["start"], pending["restart"])
        )
    pending["choice"] = index


def last_run_id() -> str | None:
    """The run whose text was added to the document last, if its text is still there."""
    pending = st.session_state.get(_RUN)
    if pending and has_run(segments(), pending["run"]):
        return pending["run"]
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
