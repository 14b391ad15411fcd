"""History: every run of this browser, newest first; filter, reopen, export, import."""

import streamlit as st

from lib.history.entries import (
    SORTS,
    STATUSES,
    filter_entries,
    model_of,
    page_count,
    page_of,
    sorted_entries,
)
from lib.ui import keys
from lib.ui.app import end_page, ensure_shell
from lib.ui.compare import state as compare_state
from lib.ui.history.comparisons import draw_groups
from lib.ui.history.view import (
    PLAYGROUND,
    SEARCH_KEY,
    entry_label,
    entry_view,
    forget_flash,
    show_flash,
    sort_labels,
    status_labels,
    storage_note,
    toolbar,
)
from lib.ui.run import state as live
from lib.ui.shell.lang import tr
from lib.ui.storage import history_store

ensure_shell()  # the gate even when this page is opened on its own
live.watch_elsewhere()  # a run started on the playground lands here when it ends
compare_state.watch_elsewhere()  # and so do a comparison's runs
history_store.on_screen(True)  # what the browser's storage hands back redraws this page
PAGE_SIZE = 20

if st.session_state.pop(keys.SWITCH_TO_PLAYGROUND, False):
    st.switch_page(PLAYGROUND)

st.title(tr("nav.history"))
entries = history_store.entries()
st.caption(tr("hist.caption", count=len(entries)))
show_flash()
storage_note(history_store.storage_status())
toolbar(entries)

cols = st.columns([2, 1, 1, 1])
# Filtering or paging is the reader's next action: the last confirmation goes.
text = cols[0].text_input(tr("hist.search"), key=SEARCH_KEY, on_change=forget_flash)
known_models = sorted({model_of(e) for e in entries})
models = cols[1].multiselect(
    tr("hist.model"),
    known_models,
    key=keys.HISTORY_MODELS,
    placeholder=tr("hist.any"),
    on_change=forget_flash,
)
statuses = cols[2].multiselect(
    tr("hist.status"),
    list(STATUSES),
    key=keys.HISTORY_STATUSES,
    format_func=status_labels().get,
    placeholder=tr("hist.any"),
    on_change=forget_flash,
)
sort = cols[3].selectbox(
    tr("hist.sort"), SORTS, key=keys.HISTORY_SORT, format_func=sort_labels().get,
    on_change=forget_flash,
)  # fmt: skip
left, right = st.columns(2)
priced = left.toggle(tr("hist.priced_only"), key=keys.HISTORY_PRICED, on_change=forget_flash)
grouped = right.toggle(
    tr("hist.comparisons_only"), key=keys.HISTORY_COMPARISONS, on_change=forget_flash
)
shown = sorted_entries(filter_entries(entries, text, models, statuses, priced), sort)

if not entries:
    st.info(tr("hist.empty"))
elif not shown:
    st.info(tr("hist.no_match"))
elif grouped:  # one expander per comparison, its columns side by side
    draw_groups(shown, entries, entry_label)
else:
    pages = page_count(len(shown), PAGE_SIZE)
    page = 1
    if pages > 1:
        page = st.number_input(
            tr("hist.page", pages=pages), 1, pages, 1, key=keys.HISTORY_PAGE, on_change=forget_flash
        )
    showing = len(page_of(shown, page, PAGE_SIZE))
    st.caption(tr("hist.showing", shown=showing, count=len(shown)))
    for entry in page_of(shown, page, PAGE_SIZE):
        entry_view(entry)
end_page(__file__)  # last: what the browser kept (lib/ui/storage/browser_storage.py)
