"""Sidebar request builder: one widget per request field, keyed by the field's name."""

from __future__ import annotations

import streamlit as st

from lib.form import DEFAULTS, PROMPT_MODES, build_request
from lib.request import Problem
from lib.ui.lang import tr

# Token ids read the same in every language; texts come from the catalog.
TOKEN_EXAMPLES = {"tokens": "[9906, 11, 1917]", "token_lists": "[[9906, 11], [1917]]"}
STOP_SUGGESTIONS = ["\\n", "\\n\\n", "###", "<|endoftext|>", "Human:", "User:"]
LOGPROB_CHOICES = ["off", 0, 1, 2, 3, 4, 5]
SESSION = "session"


def init_defaults() -> None:
    """Seed widget state once per session, so widgets need no `value=` and can be set by key."""
    for name, value in DEFAULTS.items():
        if name not in st.session_state:
            st.session_state[name] = list(value) if isinstance(value, list) else value


def model_picker(models: list[str]) -> None:
    current = st.session_state.get("model") or DEFAULTS["model"]
    options = list(dict.fromkeys([current, *models]))
    field(st.selectbox, "model", options, accept_new_options=True)


def field(widget, name: str, *args, label: str | None = None, **kwargs):
    """A widget for request field `name`: keyed by it, with its tooltip, kept across pages.

    The label is the API field name itself unless given: it reads the same in every language.
    """
    help_text = tr(f"help.{name}")
    return widget(label or name, *args, key=name, help=help_text, persist_state=SESSION, **kwargs)


def _labels(prefix: str, keys: tuple | list) -> dict:
    """Option labels in this session's language, fixed now: a format_func may be called later,
    outside the script run, where the session's language cannot be looked up."""
    return {key: tr(f"{prefix}{key}") for key in keys}


def parameters_sidebar(models: list[str]) -> None:
    """The sampling parameters; values land in st.session_state under the field names."""
    with st.sidebar:
        model_picker(models)
        field(st.number_input, "max_tokens", min_value=1, step=1)
        field(st.slider, "temperature", 0.0, 2.0, step=0.01)
        field(st.slider, "top_p", 0.0, 1.0, step=0.01)
        field(st.number_input, "n", min_value=1, step=1)
        field(st.toggle, "stream")
        off = tr("form.off")
        field(
            st.selectbox, "logprobs", LOGPROB_CHOICES,
            format_func=lambda value: off if value == "off" else str(value),
        )  # fmt: skip
        stops = list(dict.fromkeys([*STOP_SUGGESTIONS, *st.session_state.get("stop", [])]))
        field(
            st.multiselect, "stop", stops, accept_new_options=True, max_selections=4,
            placeholder=tr("form.stop_placeholder"),
        )  # fmt: skip
        with st.expander(tr("form.advanced")):
            field(st.text_input, "suffix")
            field(st.toggle, "echo")
            field(st.slider, "presence_penalty", -2.0, 2.0, step=0.01)
            field(st.slider, "frequency_penalty", -2.0, 2.0, step=0.01)
            field(st.number_input, "best_of", min_value=1, step=1, placeholder=tr("form.off"))
            field(st.text_area, "logit_bias", height=68, placeholder='{"50256": -100}')
            field(st.number_input, "seed", step=1, placeholder=tr("form.none"))
            field(st.text_input, "user")
            field(
                st.checkbox, "include_usage", label="stream_options.include_usage",
                disabled=not st.session_state.get("stream"),
            )  # fmt: skip
            field(
                st.text_area, "extra_json", label=tr("form.extra_json"), height=68,
                placeholder='{"top_k": 40}',
            )  # fmt: skip
        with st.expander(tr("form.inject")):
            field(st.text_input, "start_text", label=tr("form.start_text"))
            field(st.text_input, "restart_text", label=tr("form.restart_text"))


def prompt_editor() -> None:
    """The prompt form selector and the prompt itself, on the main page."""
    field(
        st.segmented_control, "prompt_mode", PROMPT_MODES, label=tr("form.prompt_form"),
        format_func=_labels("form.mode.", PROMPT_MODES).get, label_visibility="collapsed",
    )  # fmt: skip
    mode = st.session_state.get("prompt_mode") or "text"
    example = TOKEN_EXAMPLES.get(mode) or tr(f"form.example_{mode}")
    field(st.text_area, "prompt", label=tr("form.prompt"), height=240, placeholder=example)


def widget_values() -> dict:
    """Every form field's current value, by widget key."""
    return {name: st.session_state.get(name, default) for name, default in DEFAULTS.items()}


def current_request() -> tuple[dict, list[Problem]]:
    """The body the widgets describe, and its problems."""
    values = widget_values()
    values["prompt_mode"] = values["prompt_mode"] or "text"
    return build_request(values)
