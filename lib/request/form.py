"""The playground's request form: widget values in, request body and problems out.

Widget keys equal API field names where there is one, so a field can be followed by name from
the sidebar to the body, the validation message, the export and the history.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lib.config.text import BadJson, is_plain_int, read_json, shorten
from lib.i18n import Message
from lib.request.fields import (
    ALWAYS,
    AREA,
    CHANGED,
    CHECKBOX,
    COMBO,
    DECIMAL,
    DEFAULTS,
    FIELDS,
    HIDDEN,
    JSON,
    KEY_ORDER,
    LINE,
    MAX_SAFE_INT,
    NO_WIDGET,
    NUMBER,
    SEGMENTS,
    SELECT,
    SLIDER,
    TAGS,
    TOGGLE,
    ordered,
    takes,
)
from lib.request.validate import Problem, validate

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def decode_escapes(text: str) -> str:
    r"""Turn typed escapes (``\n``, ``\t``, ``\r``, ``\\``, ``\uXXXX``) into characters."""

    def repl(match: re.Match) -> str:
        seq = match.group(1)
        if seq.startswith("u") and len(seq) == 5:
            code = int(seq[1:], 16)
            # A lone surrogate cannot be sent as UTF-8.
            return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
        return _ESCAPES.get(seq, match.group(0))

    return _ESCAPE_RE.sub(repl, text)


def encode_escapes(text: str) -> str:
    """The inverse of `decode_escapes`, for showing a stop sequence in a text widget."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ord(ch) < 32 or ch in "\u2028\u2029\u0085":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "".join(out)


def _parse_json(field: str, text: str, problems: list[Problem]) -> Any:
    try:
        return read_json(text)
    except BadJson as exc:
        if exc.too_deep:
            problems.append(Problem.of(field, "json_too_deep"))
        else:
            problems.append(Problem.of(field, "json_syntax", where=exc.detail))
    return None


def prompt_value(mode: str, text: str, problems: list[Problem]) -> Any:
    """The prompt for the body: the text itself, or the JSON the user typed for list forms."""
    if mode == "text":
        return text
    return _parse_json("prompt", text, problems) if text.strip() else None


# From widget values to the body. Each takes all widget values (some fields read two widgets)
# and returns the field's value, None to send nothing; fields not listed send the widget's value.


def _prompt(v: dict, problems: list[Problem]) -> Any:
    prompt = prompt_value(v["prompt_mode"], v["prompt"] or "", problems)
    if v["prompt_mode"] == "text" and v["start_text"]:
        prompt = prompt + decode_escapes(v["start_text"])
    return prompt


def _stop(v: dict, problems: list[Problem]) -> Any:
    stops = [decode_escapes(s) for s in v["stop"] or []]
    if not stops:
        return None
    return stops[0] if len(stops) == 1 else stops


def _logit_bias(v: dict, problems: list[Problem]) -> Any:
    text = v["logit_bias"] or ""
    return _parse_json("logit_bias", text, problems) if text.strip() else None


def _stream_options(v: dict, problems: list[Problem]) -> Any:
    return {"include_usage": True} if v["stream"] and v["include_usage"] else None


_TO_BODY = {
    "model": lambda v, problems: (v["model"] or "").strip(),
    "prompt": _prompt,
    "stream": lambda v, problems: bool(v["stream"]),
    "stop": _stop,
    "logit_bias": _logit_bias,
    "stream_options": _stream_options,
}


def build_body(
    values: dict, max_tokens_limit: int | None = None, server: str | None = None
) -> tuple[dict, list[Problem]]:
    """The request body the form describes, and every problem with it.

    `server` is the connection's kind (lib/tokens): fields of other servers are not sent (the
    form does not show them either).
    """
    v = {**DEFAULTS, **values}
    problems: list[Problem] = []
    body: dict[str, Any] = {}
    for name in KEY_ORDER:
        row = FIELDS[name]
        if not takes(row, server):
            continue
        if row.sent == CHANGED and (v[name] is None or v[name] == row.default):
            continue
        if name in (v["unsent"] or ()) and v[name] == row.unset:
            continue  # left out by the loaded body, and not changed since
        value = _TO_BODY[name](v, problems) if name in _TO_BODY else v[name]
        # An emptied number box sends nothing, so the server's own default applies.
        if value is not None:
            body[name] = value
    if (v["extra_json"] or "").strip():
        extra = _parse_json("extra_json", v["extra_json"], problems)
        if isinstance(extra, dict):
            body.update(extra)
        elif extra is not None:
            problems.append(Problem.of("extra_json", "json_not_object"))
    body = ordered(body)
    return body, problems + validate(body, max_tokens_limit, server)


def continued_prompt(sent: str, completion: str, restart_text: str, echoed: bool) -> str:
    """The prompt for "Continue": the prompt as sent, the completion, then the restart text.

    With echo the completion already starts with the prompt; it is not repeated.
    """
    if echoed and completion.startswith(sent):
        completion = completion[len(sent) :]
    return sent + completion + decode_escapes(restart_text)


# From a body back to widget values (history "Open in playground", imports, links) ----------

_TEXT_WIDGETS = (COMBO, LINE, AREA, JSON)
_BOOL_WIDGETS = (TOGGLE, CHECKBOX)


def _fits_widget(value: Any) -> bool:
    """A whole number a browser number widget holds without losing digits."""
    return is_plain_int(value) and abs(value) <= MAX_SAFE_INT


def _in_range(name: str, value: Any) -> bool:
    row = FIELDS[name]
    return (row.low is None or value >= row.low) and (row.high is None or value <= row.high)


def widget_value_ok(name: str, value: Any) -> bool:
    """Whether `value` can be put into the widget for `name` without the widget raising."""
    row = FIELDS.get(name)
    if row is None or row.widget is None:
        return False
    if value is None:
        return row.default is None  # an empty number box
    if row.widget in _TEXT_WIDGETS:
        return isinstance(value, str)
    if row.widget in _BOOL_WIDGETS:
        return isinstance(value, bool)
    if row.widget == NUMBER:
        return _fits_widget(value) and _in_range(name, value)
    if row.widget in (SLIDER, DECIMAL):
        return isinstance(value, float) and _in_range(name, value)
    if row.widget == HIDDEN:  # `unsent`: names of fields that have an `unset` value
        return isinstance(value, list) and all(
            FIELDS.get(n) is not None and FIELDS[n].unset is not NO_WIDGET for n in value
        )
    if row.widget in (SELECT, SEGMENTS):
        # By type too: True == 1 and 1.0 == 1, but neither is the option 1.
        return any(type(value) is type(o) and value == o for o in row.options)
    if row.widget == TAGS:
        return (
            isinstance(value, list)
            and len(value) <= row.most
            and all(isinstance(s, str) and s for s in value)
        )
    return False


def _prompt_widget(prompt: Any) -> tuple[str, str] | None:
    """(prompt_mode, prompt text) for a prompt value, or None if no widget form fits it."""
    if isinstance(prompt, str):
        return "text", prompt
    if isinstance(prompt, list) and prompt:
        as_json = json.dumps(prompt, ensure_ascii=False)
        if all(isinstance(p, str) for p in prompt):
            return "strings", as_json
        if all(_fits_widget(p) for p in prompt):
            return "tokens", as_json
        if all(isinstance(p, list) and all(_fits_widget(i) for i in p) for p in prompt):
            return "token_lists", as_json
    return None


def _widget_candidates(name: str, value: Any) -> dict[str, Any] | None:
    """The widget values a body field becomes, before checking them; None if it cannot."""
    row = FIELDS[name]
    if value is None and row.nullable:
        return {}  # not sent: the widgets keep their defaults
    if name == "prompt":
        form = _prompt_widget(value)
        return None if form is None else {"prompt_mode": form[0], "prompt": form[1]}
    if name == "stop":
        stops = [value] if isinstance(value, str) else value
        if isinstance(stops, list) and all(isinstance(s, str) for s in stops):
            return {"stop": [encode_escapes(s) for s in stops]}
        return None
    if row.widget in (SLIDER, DECIMAL) and _fits_widget(value):
        return {name: float(value)}
    if row.widget == JSON:
        return {name: json.dumps(value, ensure_ascii=False)}
    return {name: value}


def values_from_body(body: dict, server: str | None = None) -> tuple[dict, list[Message]]:
    """Widget values that rebuild `body`, and notes on fields that could not be loaded as they are.

    What is loaded is what is sent: fields the widgets cannot hold (relay-specific ones) go to
    Extra JSON, fields the body leaves out stay out (see `_leave_out_missing`), and values
    outside a widget's range are reset to the default with a note, so a widget never raises.
    """
    values = {k: v for k, v in DEFAULTS.items() if not FIELDS[k].kept}
    notes: list[Message] = []
    # A sampler of another server than `server` (the connection's kind) goes to Extra JSON:
    # its widget is not shown for this server, and Extra JSON still sends it.
    extra = {k: v for k, v in body.items() if not _widget_for(k, server)}
    for name, value in body.items():
        if not _widget_for(name, server) or name == _OPTIONS:
            continue
        candidates = _widget_candidates(name, value)
        if candidates is None or not all(widget_value_ok(k, v) for k, v in candidates.items()):
            notes.append(Message("load.reset", {"name": name, "value": _short(value)}))
            continue
        values.update(candidates)
    # With stream on, the checkbox sends exactly {"include_usage": true}; any other
    # stream_options is sent as it came, from Extra JSON, where validation can explain it.
    # With stream off the (disabled) checkbox keeps its default for when stream is turned on.
    if body.get("stream") is True:
        values["include_usage"] = body.get(_OPTIONS) == _WITH_USAGE
    if _OPTIONS in body and not (values["include_usage"] and body.get("stream") is True):
        extra[_OPTIONS] = body[_OPTIONS]
    notes += _leave_out_missing(body, values)
    values["extra_json"] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return values, notes


def _widget_for(name: str, server: str | None) -> bool:
    """Whether the body field `name` loads into a widget shown for a server of kind `server`."""
    row = FIELDS.get(name)
    return row is not None and row.api and takes(row, server)


_OPTIONS = "stream_options"
_WITH_USAGE = {"include_usage": True}


def _leave_out_missing(body: dict, values: dict) -> list[Message]:
    """Leave the fields the form always sends out of the body when `body` lacks them.

    The server's own default then applies. Where a widget cannot stand for "not sent", a note
    says what is sent instead; a required field keeps the form's current value (no entry).
    """
    notes = []
    values["unsent"] = []
    for name in KEY_ORDER:
        row = FIELDS[name]
        if name in body or row.sent != ALWAYS or name == _OPTIONS:
            continue
        if row.required:
            values.pop(name)
            notes.append(Message("load.kept", {"name": name}))
        elif row.widget == NUMBER:
            values[name] = None  # an emptied box
        elif row.unset is not NO_WIDGET:
            values[name] = row.unset
            values["unsent"].append(name)
        else:
            notes.append(Message("load.form_value", {"name": name, "value": _short(values[name])}))
    return notes


def _short(value: Any) -> str:
    return shorten(json.dumps(value, ensure_ascii=False, default=str))
