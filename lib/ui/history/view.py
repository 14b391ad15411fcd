"""Drawing the history: toolbar (filter, export, import, clear) and one expander per entry."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import streamlit as st

from lib.config.text import escape_markdown
from lib.cost import format_cost
from lib.document.model import from_entry, opens_as_document
from lib.history.entries import (
    HISTORY_LIMIT,
    IMPORTED,
    choice_texts,
    export_bytes,
    interrupted,
    model_of,
    parse_import,
    preview,
    prompt_text,
    token_count,
)
from lib.request.form import values_from_body
from lib.ui import keys
from lib.ui.describe import describe
from lib.ui.document import state as document
from lib.ui.history.comparisons import column_badge
from lib.ui.playground.share_view import LOAD_NOTES
from lib.ui.shell.lang import current, tr, tr_all
from lib.ui.storage import history_store

PLAYGROUND = "pages/playground.py"
SEARCH_KEY = keys.HISTORY_SEARCH  # the page's search box; its state exists while the page shows
_IMPORT_GEN = keys.IMPORT_GENERATION
_PASTE_GEN = keys.PASTE_GENERATION
_FLASH = keys.HISTORY_FLASH
_CONFIRM_CLEAR = keys.CONFIRM_CLEAR
STATUS_ICONS = {
    "ok": ":material/check_circle:",
    "error": ":material/error:",
    "stopped": ":material/stop_circle:",
}


def flash(kind: str, text: str) -> None:
    """Confirm an action: the message stays until the reader does something else."""
    st.session_state[_FLASH] = (kind, text)


def forget_flash() -> None:
    """The reader did something else (filtered, paged, opened, asked to clear)."""
    st.session_state.pop(_FLASH, None)


def show_flash() -> None:
    """The last action's confirmation, on every run until the next action.

    The browser-storage mirror reruns the page right after an action (to acknowledge it), so
    a message shown only once would vanish in a blink. Leaving the page counts as another
    action: Streamlit forgets a page's widget state once a run of another page has finished.
    """
    if SEARCH_KEY not in st.session_state:
        forget_flash()
    kind, text = st.session_state.get(_FLASH, (None, None))
    if kind:
        getattr(st, kind)(escape_markdown(text))


def storage_note(status: str | None) -> None:
    if status in ("unavailable", "full", "trimmed"):
        st.warning(tr(f"hist.storage_{status}"))
    dropped = history_store.dropped_count()
    if dropped:
        st.info(tr("hist.dropped", limit=HISTORY_LIMIT, count=dropped))


def download_name(prefix: str) -> str:
    return f"{prefix}-{datetime.now().strftime('%Y%m%d-%H%M%S')}.json"


# Actions (button callbacks: they run before the page is drawn) ------------------------------


def open_in_playground(entry: dict) -> None:
    """Load the entry's request into the playground's widgets (never its base URL)."""
    forget_flash()
    values, notes = values_from_body(entry["request"], st.session_state.get(keys.SERVER_KIND))
    st.session_state.update(values)
    st.session_state[keys.SWITCH_TO_PLAYGROUND] = True
    st.session_state[LOAD_NOTES] = notes  # shown on the playground, where the fields are


def open_with_completion(entry: dict) -> None:
    """Load the entry's request, and its prompt and completion as the document."""
    segments = from_entry(entry)
    open_in_playground(entry)
    if segments is not None:
        st.session_state["prompt_mode"] = "text"
        document.load(segments)


def delete(entry_id: str) -> None:
    history_store.delete(entry_id)
    flash("success", tr("hist.deleted"))


def import_file() -> None:
    key = f"import_{st.session_state.get(_IMPORT_GEN, 0)}"
    upload = st.session_state.get(key)
    if upload is None:
        return
    # A new key empties the uploader, so the same file is not imported again on every rerun.
    st.session_state[_IMPORT_GEN] = st.session_state.get(_IMPORT_GEN, 0) + 1
    _import(upload.getvalue())


def import_pasted() -> None:
    """Import a history file pasted or dropped as text: no upload, so no upload size limit.

    The text stays in the box when it cannot be imported, to be corrected; it goes once imported.
    """
    text = st.session_state.get(paste_key()) or ""
    if not text:
        flash("error", tr("hist.paste_empty"))
        return
    # A lone surrogate cannot be encoded: kept as is, it fails the UTF-8 check with its message.
    if _import(text.encode("utf-8", "surrogatepass")):
        # A new key empties the box (a value set in the session does not reach a text area
        # inside a closed popover).
        st.session_state[_PASTE_GEN] = st.session_state.get(_PASTE_GEN, 0) + 1


def paste_key() -> str:
    """The key of the paste box now."""
    return f"{keys.HISTORY_PASTE}_{st.session_state.get(_PASTE_GEN, 0)}"


def _import(data: bytes) -> bool:
    """Check an exported history and merge it in, saying what happened; True if imported."""
    entries, problems = parse_import(data)
    if problems:
        flash("error", tr("hist.not_imported", problems=tr_all(problems)))
        return False
    result = history_store.add_many(entries)
    parts = [tr("hist.imported", count=len(result.added))]
    if result.skipped:
        parts.append(tr("hist.skipped", count=result.skipped))
    if len(result.added) < result.new:
        parts.append(
            tr("hist.kept_newest", limit=HISTORY_LIMIT, kept=len(result.added), count=result.new)
        )
    flash("success", " ".join(parts))
    return True


def ask_to_clear(asking: bool = True) -> None:
    if asking:
        forget_flash()
    st.session_state[_CONFIRM_CLEAR] = asking


def _dismissed() -> None:
    ask_to_clear(False)


def _clear_dialog() -> None:
    st.write(tr("hist.clear_body", count=len(history_store.entries())))
    left, right = st.columns(2)
    if left.button(tr("hist.clear_confirm"), type="primary", key="clear_confirm", width="stretch"):
        history_store.clear()
        flash("success", tr("hist.cleared"))
        ask_to_clear(False)
        st.rerun()
    if right.button(tr("hist.cancel"), key="clear_cancel", width="stretch"):
        ask_to_clear(False)
        st.rerun()


# Drawing ------------------------------------------------------------------------------------


def toolbar(all_entries: list[dict]) -> None:
    cols = st.columns([1, 1, 1], vertical_alignment="bottom")
    cols[0].download_button(
        tr("hist.download_all"),
        export_bytes(all_entries),
        file_name=download_name("history"),
        mime="application/json",
        on_click="ignore",
        disabled=not all_entries,
        key="download_all",
        width="stretch",
    )
    cols[1].button(
        tr("hist.clear"),
        key="clear",
        disabled=not all_entries,
        width="stretch",
        on_click=ask_to_clear,
    )
    # A flag rather than the button's value, so the dialog stays open across reruns.
    if st.session_state.get(_CONFIRM_CLEAR) and all_entries:
        st.dialog(tr("hist.clear_title"), on_dismiss=_dismissed)(_clear_dialog)()
    with cols[2].popover(tr("hist.import"), width="stretch"):
        st.file_uploader(
            tr("hist.import_label"),
            type=["json"],
            key=f"import_{st.session_state.get(_IMPORT_GEN, 0)}",
            on_change=import_file,
        )
        size = st.get_option("server.maxUploadSize")
        st.text_area(tr("hist.paste_label", size=size), key=paste_key(), height=120)
        st.button(tr("hist.paste_import"), key="import_pasted", on_click=import_pasted)


def local_time(iso: str) -> str:
    """An entry's time in the browser's time zone (UTC when the browser does not say)."""
    try:
        zone = ZoneInfo(st.context.timezone or "UTC")
        return datetime.fromisoformat(iso).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    except (ValueError, OverflowError, ZoneInfoNotFoundError):
        # Times at the edge of the calendar (from an imported file) cannot be moved.
        return iso[:19].replace("T", " ")


def status_labels() -> dict[str, str]:
    """How each run status reads, in this session's language (fixed for a format_func)."""
    return {status: tr(f"run.status.{status}") for status in STATUS_ICONS}


def sort_labels() -> dict[str, str]:
    """How each order of the list reads (fixed for a format_func)."""
    return {"newest": tr("hist.sort.newest"), "cost": tr("hist.sort.cost")}


def status_label(status: str) -> str:
    return status_labels().get(status, status)


def entry_label(entry: dict) -> str:
    total = (entry.get("timings") or {}).get("total_s")
    tokens = token_count(entry)
    parts = [
        tr("hist.imported_badge") if entry.get(IMPORTED) is True else "",
        column_badge(entry),
        local_time(entry["created_at"]),
        model_of(entry) or tr("hist.no_model"),
        status_label(entry["status"]),
        tr("hist.tokens", count=tokens) if tokens is not None else "",
        format_cost(entry.get("cost")) if entry.get("cost") else "",
        tr("run.seconds", value=f"{total:.2f}") if isinstance(total, int | float) else "",
        preview(prompt_text(entry["request"]), 60) or tr("hist.empty_prompt"),
    ]
    return escape_markdown(" · ".join(p for p in parts if p))


def entry_view(entry: dict) -> None:
    icon = STATUS_ICONS.get(entry["status"])
    with st.expander(entry_label(entry), icon=icon):
        entry_id = entry["id"]
        cols = st.columns(4)
        cols[0].button(
            tr("hist.open"), key=f"open_{entry_id}", on_click=open_in_playground,
            args=(entry,), width="stretch",
        )  # fmt: skip
        # Stopped and failed runs too: their partial text is what one would continue from.
        if opens_as_document(entry):
            cols[1].button(
                tr("hist.open_document"), key=f"open_doc_{entry_id}",
                on_click=open_with_completion, args=(entry,), width="stretch",
                help=tr("hist.open_document_help"),
            )  # fmt: skip
        cols[2].download_button(
            tr("hist.download"), export_bytes([entry]), file_name=download_name("history-entry"),
            mime="application/json", on_click="ignore", key=f"dl_{entry_id}", width="stretch",
        )  # fmt: skip
        cols[3].button(
            tr("hist.delete"),
            key=f"del_{entry_id}",
            on_click=delete,
            args=(entry_id,),
            width="stretch",
        )
        if entry.get(IMPORTED) is True:
            # Text from a file may imitate this app's own messages; say where it came from.
            st.badge(tr("hist.imported_badge"), icon=":material/upload_file:", color="violet")
            st.caption(tr("hist.imported_note"))
        error = entry.get("error")
        if error:
            st.error(escape_markdown(describe(error, current())))
        if interrupted(entry):
            st.warning(tr("hist.interrupted"))
        for index, text in enumerate(choice_texts(entry)):
            st.caption(tr("run.choice", index=index))
            st.code(text, language=None, wrap_lines=True)
        st.caption(tr("hist.request_json"))
        st.code(json.dumps(entry["request"], ensure_ascii=False, indent=2), language="json")
        st.caption(tr("hist.response_json"))
        st.json(entry.get("response") or {}, expanded=False)
        # Plain text: a base URL or id from a file must not become a link.
        st.text(tr("hist.meta", url=entry["base_url"], id=entry_id))
