"""Presets in the sidebar: open one (built-in or saved), save, rename, delete, export, import.

Saved presets live in this browser (lib/ui/storage/kept_store.py); a link `?preset=<name>`
opens one (a built-in anywhere, a saved one in the browser that keeps it).
"""

from __future__ import annotations

import streamlit as st

from lib.config.text import escape_markdown
from lib.document.model import from_prompt
from lib.request.form import values_from_body
from lib.request.presets import (
    BUILT_IN,
    LINK_PARAM,
    export_bytes,
    parse_import,
    preset,
    renamed,
    saved_with,
)
from lib.ui import keys, sections
from lib.ui.document import state as document
from lib.ui.playground.request_form import current_body
from lib.ui.playground.share_view import LOAD_NOTES
from lib.ui.shell.lang import tr, tr_all
from lib.ui.storage.presets_store import presets_store as store

_BUILT_IN_MARK = "builtin:"


def _choices() -> dict[str, str]:
    """Every preset by its choice key, with the label it reads as."""
    labels = {f"{_BUILT_IN_MARK}{key}": tr(item["name"]) for key, item in BUILT_IN.items()}
    labels.update({p["name"]: p["name"] for p in store.value()})
    return labels


def _find(choice: str | None) -> dict | None:
    if not choice:
        return None
    if choice.startswith(_BUILT_IN_MARK):
        item = BUILT_IN.get(choice.removeprefix(_BUILT_IN_MARK))
        return None if item is None else preset(tr(item["name"]), item["request"], item["document"])
    if choice in BUILT_IN:  # a link names a built-in by its id
        return _find(_BUILT_IN_MARK + choice)
    return next((p for p in store.value() if p["name"] == choice), None)


def open_preset(item: dict) -> None:
    """Load the preset's request into the widgets, and its document when it has one."""
    values, notes = values_from_body(item["request"], st.session_state.get(keys.SERVER_KIND))
    if item["document"] is None:
        # The document stays as it is: the preset holds no prompt.
        values.pop("prompt", None)
        values.pop("prompt_mode", None)
        notes = [n for n in notes if n.params.get("name") != "prompt"]
    st.session_state.update(values)
    if item["document"] is not None:
        st.session_state["prompt_mode"] = "text"
        document.load(from_prompt(item["document"]))
    st.session_state[LOAD_NOTES] = notes


def open_from_link() -> None:
    """Open the preset a link names, once (a saved one once the browser said what it keeps)."""
    state = st.session_state
    name = st.query_params.get(LINK_PARAM)
    if not name or state.get(keys.PRESET_LINK_DONE):
        return
    found = _find(name)
    if found is None and not store.answered():
        return  # the browser may still hand it over
    state[keys.PRESET_LINK_DONE] = True
    if found is not None:
        open_preset(found)
    else:
        state[keys.PRESET_NOTE] = ("warning", tr("preset.link_missing", name=name[:100]))


def _open_picked() -> None:
    found = _find(st.session_state.get(keys.PRESET_PICK))
    if found is not None:
        open_preset(found)
        st.session_state[keys.PRESET_NOTE] = ("success", tr("preset.opened", name=found["name"]))


def _save() -> None:
    state = st.session_state
    name = (state.get(keys.PRESET_NAME) or "").strip()
    if not name:
        state[keys.PRESET_NOTE] = ("warning", tr("preset.name_needed"))
        return
    body, _ = current_body()
    with_document = bool(state.get(keys.PRESET_WITH_DOCUMENT))
    text_prompt = (state.get("prompt_mode") or "text") == "text"
    doc = state.get("prompt") or "" if with_document and text_prompt else None
    if doc is not None or text_prompt:
        body = {k: v for k, v in body.items() if k != "prompt"}  # the document holds it
    store.set(saved_with(store.value(), preset(name, body, doc)))
    state[keys.PRESET_PICK] = name
    state[keys.PRESET_NOTE] = ("success", tr("preset.saved", name=name))


def _rename() -> None:
    state = st.session_state
    old, new = state.get(keys.PRESET_PICK), (state.get(keys.PRESET_NAME) or "").strip()
    if old in {p["name"] for p in store.value()} and new:
        store.set(renamed(store.value(), old, new))
        state[keys.PRESET_PICK] = new
        state[keys.PRESET_NOTE] = ("success", tr("preset.renamed", old=old, name=new))


def _delete() -> None:
    state = st.session_state
    name = state.get(keys.PRESET_PICK)
    store.set([p for p in store.value() if p["name"] != name])
    state[keys.PRESET_PICK] = None
    state[keys.PRESET_NOTE] = ("success", tr("preset.deleted", name=name))


def _import() -> None:
    state = st.session_state
    presets, problems = parse_import(state.get(keys.PRESET_IMPORT) or "")
    if problems:
        state[keys.PRESET_NOTE] = ("error", tr_all(problems))
        return
    kept = store.value()
    for item in presets:
        kept = saved_with(kept, item)
    store.set(kept)
    state[keys.PRESET_IMPORT] = ""
    state[keys.PRESET_NOTE] = ("success", tr("preset.imported", count=len(presets)))


def sidebar() -> None:
    """The Presets section of the sidebar, drawn only while open (a first screen with less to
    draw); its boxes keep what was typed in them while it is closed."""
    with st.sidebar:
        box = sections.expander(tr("preset.title"), keys.PRESETS_SECTION)
    if box.open:
        with box:
            _section()


def _section() -> None:
    state = st.session_state
    choices = _choices()
    if state.get(keys.PRESET_PICK) not in choices:
        state[keys.PRESET_PICK] = None
    saved = state.get(keys.PRESET_PICK) in {p["name"] for p in store.value()}
    kept = {"persist_state": "session"}
    st.selectbox(
        tr("preset.pick"), list(choices), key=keys.PRESET_PICK, format_func=choices.get,
        index=None, placeholder=tr("preset.pick_placeholder"), **kept,
    )  # fmt: skip
    cols = st.columns(2)
    cols[0].button(tr("preset.open"), key="preset_open", on_click=_open_picked,
                   disabled=not state.get(keys.PRESET_PICK), width="stretch")  # fmt: skip
    cols[1].button(tr("preset.delete"), key="preset_delete", on_click=_delete,
                   disabled=not saved, width="stretch")  # fmt: skip
    st.text_input(tr("preset.name"), key=keys.PRESET_NAME, **kept)
    st.checkbox(tr("preset.with_document"), key=keys.PRESET_WITH_DOCUMENT, **kept)
    cols = st.columns(2)
    cols[0].button(tr("preset.save"), key="preset_save", on_click=_save, width="stretch")
    cols[1].button(tr("preset.rename"), key="preset_rename", on_click=_rename,
                   disabled=not saved, width="stretch")  # fmt: skip
    st.download_button(
        tr("preset.export"), export_bytes(store.value()), file_name="presets.json",
        mime="application/json", on_click="ignore", key="preset_export",
        disabled=not store.value(), width="stretch",
    )  # fmt: skip
    st.text_area(tr("preset.import_label"), key=keys.PRESET_IMPORT, height=68, **kept)
    st.button(tr("preset.import"), key="preset_import_button", on_click=_import, width="stretch")
    kind, text = state.get(keys.PRESET_NOTE) or (None, None)
    if kind:
        getattr(st, kind)(escape_markdown(text))
    st.caption(tr("preset.link_hint", param=LINK_PARAM))
