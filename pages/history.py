"""History: every run of this browser, newest first; filter, reopen, export, import."""

import streamlit as st

from lib.history import filter_entries, model_of, page_count, page_of
from lib.ui import history_store
from lib.ui.history_view import PLAYGROUND, entry_view, show_flash, storage_note, toolbar

PAGE_SIZE = 20

if st.session_state.pop("_switch_to_playground", False):
    st.switch_page(PLAYGROUND)

st.title("History")
entries = history_store.entries()
st.caption(
    f"{len(entries)} runs, kept in this browser only (never on the server, never with the key)."
)
show_flash()
storage_note(history_store.storage_status())
toolbar(entries)

cols = st.columns([2, 1, 1])
text = cols[0].text_input("Search prompt and output", key="history_search")
models = cols[1].multiselect("Model", sorted({model_of(e) for e in entries}), key="history_models")
statuses = cols[2].multiselect("Status", ["ok", "error", "stopped"], key="history_statuses")
shown = filter_entries(entries, text, models, statuses)

if not entries:
    st.info("No runs yet. Submit a prompt in the Playground and it appears here.")
elif not shown:
    st.info("No run matches the filter.")
else:
    pages = page_count(len(shown), PAGE_SIZE)
    page = 1
    if pages > 1:
        page = st.number_input(f"Page (of {pages})", 1, pages, 1, key="history_page")
    st.caption(f"Showing {len(page_of(shown, page, PAGE_SIZE))} of {len(shown)} matching runs.")
    for entry in page_of(shown, page, PAGE_SIZE):
        entry_view(entry)
