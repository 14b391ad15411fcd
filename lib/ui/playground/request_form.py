"""Sidebar request builder: one widget per request field, keyed by the field's name."""

from __future__ import annotations

import streamlit as st

from lib.config.text import escape_markdown
from lib.request.fields import (
    AREA,
    CHECKBOX,
    COMBO,
    DECIMAL,
    DEFAULTS,
    FIELDS,
    JSON,
    LINE,
    LOGPROBS_OFF,
    NUMBER,
    PROMPT_MODES,
    SEGMENTS,
    SELECT,
    SERVER_FIELDS,
    SLIDER,
    TAGS,
    TOGGLE,
    takes,
)
from lib.request.form import build_body
from lib.request.validate import Problem
from lib.ui import keys, sections
from lib.ui.shell.lang import tr
from lib.ui.shell.secrets import app_settings
from lib.ui.storage import connection_store

# Token ids read the same in every language; texts come from the catalog.
TOKEN_EXAMPLES = {"tokens": "[9906, 11, 1917]", "token_lists": "[[9906, 11], [1917]]"}
STOP_SUGGESTIONS = ["\\n", "\\n\\n", "###", "<|endoftext|>", "Human:", "User:"]
SESSION = "session"
STOP_PICK = keys.STOP_SUGGESTION
SLIDER_STEP = 0.01
_WIDGETS = {
    COMBO: st.selectbox, SELECT: st.selectbox, SEGMENTS: st.segmented_control,
    TAGS: st.multiselect, NUMBER: st.number_input, SLIDER: st.slider, TOGGLE: st.toggle,
    CHECKBOX: st.checkbox, LINE: st.text_input, AREA: st.text_area, JSON: st.text_area,
    DECIMAL: st.number_input,
}  # fmt: skip
# A GBNF grammar for JSON (from llama.cpp's grammars/json.gbnf), offered as an example.
JSON_GRAMMAR = r"""root   ::= object
value  ::= object | array | string | number | ("true" | "false" | "null") ws
object ::= "{" ws ( string ":" ws value ("," ws string ":" ws value)* )? "}" ws
array  ::= "[" ws ( value ("," ws value)* )? "]" ws
string ::= "\"" ( [^"\\\x7F\x00-\x1F] | "\\" (["\\/bfnrt] | "u" [0-9a-fA-F]{4}) )* "\"" ws
number ::= ("-"? ([0-9] | [1-9] [0-9]{0,15})) ("." [0-9]+)? ([eE] [-+]? [0-9]{1,15})? ws
ws     ::= | " " | "\n" [ \t]{0,20}
"""


def init_defaults() -> None:
    """Seed widget state once per session, so widgets need no `value=` and can be set by key."""
    for name, value in DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = list(value) if isinstance(value, list) else value


# What a change of the form redraws: the live region (Submit, notes, share link) follows it;
# nothing else on the page depends on the form.
_FORM_CHANGED = [keys.SIDEBAR, keys.LIVE]


def _sidebar_changed() -> None:
    """A request field in the sidebar changed."""
    st.rerun(scope=_FORM_CHANGED)


# Every request widget in the sidebar: its change reruns the sidebar and the live region.
_IN_SIDEBAR = {"on_change": _sidebar_changed}


def _model_changed() -> None:
    if connection_store.stale_echo("model"):  # the browser's echo of the model before a restore
        st.rerun(scope=[keys.SIDEBAR, keys.LIVE])
    _sidebar_changed()


def model_picker(models: list[str]) -> None:
    current = st.session_state.get("model") or DEFAULTS["model"]
    field("model", options=list(dict.fromkeys([current, *models])), on_change=_model_changed)


def widget_kwargs(name: str) -> dict:
    """The arguments of field `name`'s widget that come from the field table: bounds, options."""
    row = FIELDS[name]
    if row.widget == SLIDER:
        return {"min_value": row.low, "max_value": row.high, "step": SLIDER_STEP}
    if row.widget in (SELECT, SEGMENTS):
        return {"options": list(row.options)}
    if row.widget == TAGS:
        return {"accept_new_options": True, "max_selections": row.most}
    if row.widget == COMBO:
        return {"accept_new_options": True}
    if row.widget == DECIMAL:
        # As NUMBER below; "%g" shows the value as it is (a fixed format would round it).
        return {"value": None, "step": 0.01, "format": "%g"}
    if row.widget == NUMBER:
        # No bounds in the widget: a browser number box keeps an out-of-range value on screen
        # but hands back the last valid one, so the request would carry a value nobody sees.
        # Range problems are explained by validation instead, which also disables Submit.
        # value=None: the box may be emptied, and then nothing is sent.
        return {"value": None, "step": 1}
    return {}


def field(name: str, *, label: str | None = None, **kwargs):
    """The widget for request field `name`: keyed by it, with its tooltip, kept across pages.

    The label is the API field name itself unless given: it reads the same in every language.
    """
    row = FIELDS[name]
    help_text = tr(f"help.{name}", low=row.low, high=row.high, most=row.most)
    widget = _WIDGETS[row.widget]
    return widget(
        label or name, key=name, help=help_text, persist_state=SESSION,
        **widget_kwargs(name), **kwargs,
    )  # fmt: skip


def number_field(name: str, placeholder: str | None = None) -> None:
    """A whole-number field of the sidebar that takes whatever is typed, empty included."""
    field(name, placeholder=placeholder or tr("form.server_default"), **_IN_SIDEBAR)


def stop_field() -> None:
    """Stop sequences: Enter adds exactly what was typed; suggestions only by an explicit pick.

    The box lists no options besides the chosen ones, so its type-ahead can never swap what
    was typed for a longer suggestion (typing \\n must not pick \\n\\n).
    """
    chosen = st.session_state.get("stop") or []
    field("stop", options=list(chosen), placeholder=tr("form.stop_placeholder"), **_IN_SIDEBAR)
    offered = [s for s in STOP_SUGGESTIONS if s not in chosen]
    if offered and len(chosen) < FIELDS["stop"].most:
        st.pills(
            tr("form.stop_suggestions"), offered, key=STOP_PICK, on_change=_pick_stop,
            format_func=escape_markdown, label_visibility="collapsed",
        )  # fmt: skip


def _pick_stop() -> None:
    state = st.session_state
    picked = state.get(STOP_PICK)
    if picked and picked not in (state.get("stop") or []):
        state["stop"] = [*(state.get("stop") or []), picked]
    state[STOP_PICK] = None
    _sidebar_changed()


def _labels(prefix: str, keys: tuple | list) -> dict:
    """Option labels in this session's language, fixed now: a format_func may be called later,
    outside the script run, where the session's language cannot be looked up."""
    return {key: tr(f"{prefix}{key}") for key in keys}


def server_samplers(server: str | None) -> None:
    """The samplers of llama.cpp-family servers and vLLM, for a server that takes them."""
    shown = [name for name in SERVER_FIELDS if takes(FIELDS[name], server)]
    unsent = [
        name for name in SERVER_FIELDS
        if name not in shown and st.session_state.get(name, DEFAULTS[name]) != DEFAULTS[name]
    ]  # fmt: skip
    if unsent:
        st.caption(tr("form.server_fields_unsent", names=", ".join(unsent)))
    if not shown:
        return
    on = _IN_SIDEBAR
    label = tr("form.server_samplers", server=server)
    with sections.expander(label, keys.SERVER_SAMPLERS_SECTION, redraw=_FORM_CHANGED) as box:
        for name in shown if box.open else ():
            if FIELDS[name].widget in (NUMBER, DECIMAL):
                number_field(name)
            elif name == "grammar":
                field(name, height=100, placeholder='root ::= "yes" | "no"', **on)
                st.button(tr("form.grammar_json"), key="grammar_json", on_click=_json_grammar)
            else:
                field(name, **on)


def _json_grammar() -> None:
    st.session_state["grammar"] = JSON_GRAMMAR
    _sidebar_changed()


def parameters_sidebar(models: list[str], server: str | None = None) -> None:
    """The sampling parameters (drawn in the sidebar's fragment); values land in
    st.session_state under the field names.

    `server` is the connection's kind (lib/tokens): its own samplers are shown too.
    """
    on = _IN_SIDEBAR
    model_picker(models)
    number_field("max_tokens")
    field("temperature", **on)
    field("top_p", **on)
    number_field("n")
    field("stream", **on)
    off = tr("form.off")
    field("logprobs", format_func=lambda value: off if value == LOGPROBS_OFF else str(value), **on)
    stop_field()
    with sections.expander(tr("form.advanced"), keys.ADVANCED_SECTION, redraw=_FORM_CHANGED) as box:
        if box.open:
            _advanced_fields()
    server_samplers(server)
    with sections.expander(tr("form.inject"), keys.INJECT_SECTION, redraw=_FORM_CHANGED) as box:
        if box.open:
            field("start_text", label=tr("form.start_text"), **on)
            field("restart_text", label=tr("form.restart_text"), **on)


def _advanced_fields() -> None:
    on = _IN_SIDEBAR
    field("suffix", **on)
    field("echo", **on)
    field("presence_penalty", **on)
    field("frequency_penalty", **on)
    number_field("best_of", placeholder=tr("form.off"))
    field("logit_bias", height=68, placeholder='{"50256": -100}', **on)
    number_field("seed", placeholder=tr("form.none"))
    field("user", **on)
    field(
        "include_usage", label="stream_options.include_usage",
        disabled=not st.session_state.get("stream"), **on,
    )  # fmt: skip
    field(
        "extra_json", label=tr("form.extra_json"), height=68, placeholder='{"top_k": 40}',
        **on,
    )  # fmt: skip


def prompt_mode_picker() -> None:
    """Text (the document) or one of the JSON prompt forms."""
    field(
        "prompt_mode", label=tr("form.prompt_form"),
        format_func=_labels("form.mode.", PROMPT_MODES).get, label_visibility="collapsed",
    )  # fmt: skip


def prompt_json_editor() -> None:
    """The prompt as JSON, for the list, token-id and token-list forms."""
    mode = st.session_state.get("prompt_mode") or "text"
    example = TOKEN_EXAMPLES.get(mode) or tr(f"form.example_{mode}")
    field("prompt", label=tr("form.prompt"), height=240, placeholder=example)


def widget_values() -> dict:
    """Every form field's current value, by widget key."""
    return {name: st.session_state.get(name, default) for name, default in DEFAULTS.items()}


def current_body() -> tuple[dict, list[Problem]]:
    """The body the widgets describe, and its problems."""
    values = widget_values()
    values["prompt_mode"] = values["prompt_mode"] or "text"
    server = st.session_state.get(keys.SERVER_KIND)
    return build_body(values, app_settings().max_tokens_limit, server)
