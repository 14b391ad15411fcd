"""Share link, request export/import and "View code", under the playground's buttons."""

from __future__ import annotations

import streamlit as st

from lib.compare import links
from lib.compare.columns import MIN_COLUMNS, Column
from lib.config.text import escape_markdown
from lib.i18n.catalog import CATALOG
from lib.request.fields import DEFAULTS
from lib.request.form import values_from_body
from lib.request.io import body_from_text, export_json
from lib.request.share import from_query, link, to_query
from lib.request.snippets import LANGUAGES, snippet
from lib.ui import keys, sections
from lib.ui.compare import state as compare_state
from lib.ui.playground.request_form import widget_values
from lib.ui.shell.lang import LANGUAGE_PARAM, chosen, tr, tr_all

_LINK_APPLIED = keys.LINK_APPLIED
_LINK_NOTES = keys.LINK_NOTES
LOAD_NOTES = keys.LOAD_NOTES  # set by the history's "Open in playground"
_IMPORT_NOTES = keys.IMPORT_NOTES
IMPORT_TEXT = keys.IMPORT_TEXT
# Syntax highlighting names for st.code, per snippet language.
_HIGHLIGHT = {
    "curl": "bash", "python": "python", "python_openai": "python", "javascript": "javascript",
    "node_openai": "javascript", "go": "go", "java": "java", "php": "php", "http": "http",
}  # fmt: skip
# A link carries the prompt up to this many characters (see `_query`); a request with a longer
# one is not drawn into the menu either.
LINK_PROMPT_CHARS = 100_000
_IMPORT_PLACEHOLDER = "curl https://api.gptnb.me/v1/completions -d '{\"model\": …}'"


def _link_extra() -> dict[str, str]:
    """The language goes into links only when the sender chose it."""
    lang = chosen()
    return {LANGUAGE_PARAM: lang} if lang else {}


def apply_link_once() -> None:
    """On a session's first run, load the request a share link carries into the widgets."""
    if st.session_state.get(_LINK_APPLIED):
        return
    st.session_state[_LINK_APPLIED] = True
    params = st.query_params.to_dict()
    params.pop(LANGUAGE_PARAM, None)  # taken earlier by lib.ui.shell.lang, before any widget
    values, notes = from_query(links.without_columns(params))
    columns, column_notes = links.from_query(params)
    st.session_state.update(values)
    if columns:  # c1.model=…: the link is a comparison
        compare_state.set_columns([*columns, *[Column()] * (MIN_COLUMNS - len(columns))])
        st.session_state[keys.COMPARE_ON] = True
    st.session_state[_LINK_NOTES] = [*notes, *column_notes]


def link_notes() -> None:
    """What a link (or a reopened history entry) could not set; shown until the next send."""
    notes = st.session_state.get(_LINK_NOTES)
    if notes:
        st.warning(escape_markdown(tr("share.link_notes", notes=tr_all(notes))))
    loaded = st.session_state.get(LOAD_NOTES)
    if loaded:
        st.warning(escape_markdown(tr("load.some_fields", notes=tr_all(loaded))))


def forget_link_notes() -> None:
    st.session_state.pop(_LINK_NOTES, None)
    st.session_state.pop(LOAD_NOTES, None)


def _prompt_chars(values: dict) -> int:
    prompt = values.get("prompt")
    return len(prompt) if isinstance(prompt, str) else 0


def _query() -> dict[str, str]:
    """The link's query for the current widget values, worked out once per change of them.

    A prompt longer than LINK_PROMPT_CHARS is left out: a link (and the address bar, which
    every redraw keeps equal to it) megabytes long serves nobody, and building it would make
    every redraw of a huge document slow. Export carries any prompt.
    """
    values = widget_values()
    cached = st.session_state.get(keys.SHARE_QUERY)
    if cached is not None and cached[0] == values:
        return cached[1]
    linked = values
    if _prompt_chars(values) > LINK_PROMPT_CHARS:
        linked = {**values, "prompt": DEFAULTS["prompt"]}
    params = to_query(linked)
    st.session_state[keys.SHARE_QUERY] = (values, params)
    return params


def _columns_query() -> dict[str, str]:
    """A comparison's columns travel in the link while Compare is on (lib/compare/links.py)."""
    return links.to_query(compare_state.columns()) if compare_state.is_on() else {}


def sync_url() -> None:
    """Keep the address bar equal to the current request, so copying it shares it."""
    params = {**_query(), **_columns_query(), **_link_extra()}
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)


def _import_request() -> None:
    body, problems = body_from_text(st.session_state.get(IMPORT_TEXT, ""))
    if body is None:
        st.session_state[_IMPORT_NOTES] = ("error", tr_all(problems))
        return
    values, notes = values_from_body(body, st.session_state.get(keys.SERVER_KIND))
    st.session_state.update(values)
    message = tr("import.loaded")
    if notes:
        message += " " + tr("load.some_fields", notes=tr_all(notes))
    st.session_state[_IMPORT_NOTES] = ("warning" if notes else "success", message)
    st.rerun()  # the whole page: the sidebar's widgets show what was loaded


def share_menu(body: dict, base_url: str) -> None:
    """One menu for Share link / Export request / Import request / View code.

    Its tabs are drawn only while it is open: nine code snippets in every run of the live
    region (Submit, a run's end) and on the first screen cost more than the rest of the
    toolbar. A request with a huge prompt is not drawn into the menu even then (every redraw
    would send it, nine times over in the code tabs): its export and code are downloads, made
    on the click.
    """
    menu = sections.popover(
        tr("menu.button"), keys.SHARE_MENU, redraw=keys.LIVE, icon=":material/ios_share:",
        width="stretch",
    )  # fmt: skip
    if menu.open:
        with menu:
            _menu_tabs(body, base_url)


def _menu_tabs(body: dict, base_url: str) -> None:
    share, export, load, code = st.tabs(
        [tr("share.button"), tr("export.button"), tr("import.button"), tr("code.button")]
    )
    chars = _prompt_chars(body)
    huge = chars > LINK_PROMPT_CHARS
    with share:
        st.caption(tr("share.caption"))
        if huge:
            st.warning(tr("share.too_long", count=f"{chars:,}"))
        url = link(st.context.url or "", {}, {**_query(), **_columns_query(), **_link_extra()})
        st.code(url, language=None, wrap_lines=True)
    with export:
        if huge:
            st.caption(tr("export.too_long", count=f"{chars:,}"))
        else:
            st.code(export_json(body), language="json")
        st.download_button(
            tr("export.download"), lambda: export_json(body), file_name="request.json",
            mime="application/json", on_click="ignore", key="download_request",
        )  # fmt: skip
    with load:
        st.text_area(
            tr("import.label"), key=IMPORT_TEXT, height=160, placeholder=_IMPORT_PLACEHOLDER,
            persist_state="session",  # kept while the menu is closed
        )  # fmt: skip
        st.button(tr("import.load"), key="import_request", on_click=_import_request)
        kind, message = st.session_state.pop(_IMPORT_NOTES, (None, None))
        if kind:
            getattr(st, kind)(escape_markdown(message))
    with code:
        st.caption(tr("code.caption"))
        if huge:
            st.caption(tr("code.too_long", count=f"{chars:,}"))
        # Most labels are proper names; the catalog translates the ones that are not.
        labels = [tr(f"code.lang.{k}") if f"code.lang.{k}" in CATALOG else v
                  for k, v in LANGUAGES.items()]  # fmt: skip
        tabs = st.tabs(labels)
        for tab, language in zip(tabs, LANGUAGES, strict=True):
            if huge:
                tab.download_button(
                    tr("code.download"), lambda lang=language: snippet(lang, base_url, body),
                    file_name=f"request-{language}.txt", mime="text/plain", on_click="ignore",
                    key=f"download_code_{language}",
                )  # fmt: skip
            else:
                tab.code(snippet(language, base_url, body), language=_HIGHLIGHT.get(language))
