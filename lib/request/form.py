"""The playground's request form: widget values in, request body and problems out.

Widget keys equal API field names where there is one, so a field can be followed by name from
the sidebar to the body, the validation message, the export and the history.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lib.config.text import BadJson, read_json
from lib.i18n import Message
from lib.request.validate import MAX_BEST_OF, MAX_N, Problem, check, ordered

DEFAULT_MODEL = "gpt-3.5-turbo-instruct"
PROMPT_MODES = ("text", "strings", "tokens", "token_lists")

# The playground's starting values (not the API's defaults: max_tokens 16 is too short to try).
DEFAULTS: dict[str, Any] = {
    "model": DEFAULT_MODEL,
    "prompt_mode": "text",
    "prompt": "",
    "max_tokens": 256,
    "temperature": 0.7,
    "top_p": 1.0,
    "n": 1,
    "stream": True,
    "logprobs": "off",
    "stop": [],
    "suffix": "",
    "echo": False,
    "presence_penalty": 0.0,
    "frequency_penalty": 0.0,
    "best_of": None,
    "logit_bias": "",
    "seed": None,
    "user": "",
    "include_usage": True,
    "extra_json": "",
    "start_text": "",
    "restart_text": "",
}

# Sent only when they differ from these values, so strict servers see a minimal body.
_OPTIONAL_DEFAULTS = {
    "suffix": "",
    "echo": False,
    "presence_penalty": 0.0,
    "frequency_penalty": 0.0,
    "user": "",
}

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
            problems.append(Problem(field, "json_too_deep", {}))
        else:
            problems.append(Problem(field, "json_syntax", {"where": exc.detail}))
    return None


def prompt_value(mode: str, text: str, problems: list[Problem]) -> Any:
    """The prompt for the body: the text itself, or the JSON the user typed for list forms."""
    if mode == "text":
        return text
    return _parse_json("prompt", text, problems) if text.strip() else None


def build_request(values: dict, max_tokens_limit: int | None = None) -> tuple[dict, list[Problem]]:
    """The request body the form describes, and every problem with it."""
    v = {**DEFAULTS, **values}
    problems: list[Problem] = []
    prompt = prompt_value(v["prompt_mode"], v["prompt"] or "", problems)
    if v["prompt_mode"] == "text" and v["start_text"]:
        prompt = prompt + decode_escapes(v["start_text"])
    body: dict[str, Any] = {
        "model": (v["model"] or "").strip(),
        "prompt": prompt,
        "max_tokens": v["max_tokens"],
        "temperature": v["temperature"],
        "top_p": v["top_p"],
        "n": v["n"],
        "stream": bool(v["stream"]),
    }
    # An emptied number box sends nothing, so the server's own default applies.
    body = {k: v for k, v in body.items() if v is not None}
    if v["logprobs"] not in (None, "off"):
        body["logprobs"] = v["logprobs"]
    stops = [decode_escapes(s) for s in v["stop"] or []]
    if stops:
        body["stop"] = stops[0] if len(stops) == 1 else stops
    for name, default in _OPTIONAL_DEFAULTS.items():
        if v[name] != default and v[name] is not None:
            body[name] = v[name]
    if v["best_of"] is not None:
        body["best_of"] = v["best_of"]
    if v["seed"] is not None:
        body["seed"] = v["seed"]
    if (v["logit_bias"] or "").strip():
        bias = _parse_json("logit_bias", v["logit_bias"], problems)
        if bias is not None:
            body["logit_bias"] = bias
    if body["stream"] and v["include_usage"]:
        body["stream_options"] = {"include_usage": True}
    if (v["extra_json"] or "").strip():
        extra = _parse_json("extra_json", v["extra_json"], problems)
        if isinstance(extra, dict):
            body.update(extra)
        elif extra is not None:
            problems.append(Problem("extra_json", "json_not_object", {}))
    body = ordered(body)
    return body, problems + check(body, max_tokens_limit)


def continued_prompt(sent: str, completion: str, restart_text: str, echoed: bool) -> str:
    """The prompt for "Continue": the prompt as sent, the completion, then the restart text.

    With echo the completion already starts with the prompt; it is not repeated.
    """
    if echoed and completion.startswith(sent):
        completion = completion[len(sent) :]
    return sent + completion + decode_escapes(restart_text)


# From a request body back to widget values (history "Open in playground", imports, links) ---

_INT_FIELDS = {"max_tokens": (1, None), "n": (1, MAX_N), "best_of": (1, MAX_BEST_OF)}
_FLOAT_FIELDS = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "presence_penalty": (-2.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
}
_TEXT_FIELDS = (
    "model", "prompt", "suffix", "user", "logit_bias", "extra_json", "start_text", "restart_text",
)  # fmt: skip
_BOOL_FIELDS = ("stream", "echo", "include_usage")
_WIDGET_FIELDS = (
    "model", "prompt", "max_tokens", "temperature", "top_p", "n", "stream", "logprobs", "stop",
    "suffix", "echo", "presence_penalty", "frequency_penalty", "best_of", "logit_bias", "seed",
    "user", "stream_options",
)  # fmt: skip


# Number widgets live in the browser, where integers beyond 2**53 silently lose digits.
_MAX_SAFE_INT = 2**53 - 1


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) <= _MAX_SAFE_INT


def widget_value_ok(name: str, value: Any) -> bool:
    """Whether `value` can be put into the widget for `name` without the widget raising."""
    if name in _TEXT_FIELDS:
        return isinstance(value, str)
    if name in _BOOL_FIELDS:
        return isinstance(value, bool)
    if name in _INT_FIELDS:
        low, high = _INT_FIELDS[name]
        if value is None:
            return name == "best_of"
        return _is_int(value) and value >= low and (high is None or value <= high)
    if name == "seed":
        return value is None or _is_int(value)
    if name in _FLOAT_FIELDS:
        low, high = _FLOAT_FIELDS[name]
        number = isinstance(value, float) and not isinstance(value, bool)
        return number and low <= value <= high
    if name == "logprobs":
        return value == "off" or (_is_int(value) and 0 <= value <= 5)
    if name == "stop":
        return (
            isinstance(value, list)
            and len(value) <= 4
            and all(isinstance(s, str) and s for s in value)
        )
    if name == "prompt_mode":
        return value in PROMPT_MODES
    return False


def _prompt_widget(prompt: Any) -> tuple[str, str] | None:
    """(prompt_mode, prompt text) for a prompt value, or None if no widget form fits it."""
    if isinstance(prompt, str):
        return "text", prompt
    if isinstance(prompt, list) and prompt:
        as_json = json.dumps(prompt, ensure_ascii=False)
        if all(isinstance(p, str) for p in prompt):
            return "strings", as_json
        if all(_is_int(p) for p in prompt):
            return "tokens", as_json
        if all(isinstance(p, list) and all(_is_int(i) for i in p) for p in prompt):
            return "token_lists", as_json
    return None


def _widget_candidates(name: str, value: Any) -> dict[str, Any] | None:
    """The widget values an API field becomes, before checking them; None if it cannot."""
    if name == "prompt":
        form = _prompt_widget(value) if value is not None else ("text", "")
        return None if form is None else {"prompt_mode": form[0], "prompt": form[1]}
    if name in _FLOAT_FIELDS and _is_int(value):
        return {name: float(value)}
    if name == "logprobs":
        return {"logprobs": "off" if value is None else value}
    if name == "stop":
        stops = [] if value is None else [value] if isinstance(value, str) else value
        if isinstance(stops, list) and all(isinstance(s, str) for s in stops):
            return {"stop": [encode_escapes(s) for s in stops]}
        return None
    if name in ("suffix", "user"):
        return {name: "" if value is None else value}
    if name == "logit_bias":
        return {name: "" if value is None else json.dumps(value, ensure_ascii=False)}
    if name == "stream_options":
        return (
            {"include_usage": bool(value.get("include_usage"))} if isinstance(value, dict) else None
        )
    if name in ("best_of", "seed") and value is None:
        return {}
    return {name: value}


def values_from_request(body: dict) -> tuple[dict, list[Message]]:
    """Widget values that rebuild `body`, and notes on fields that had to be reset.

    Fields the widgets cannot hold (relay-specific ones) go to Extra JSON; values outside a
    widget's range are reset to the default with a note, so a widget never raises.
    """
    values = {k: v for k, v in DEFAULTS.items() if k != "restart_text"}
    notes: list[Message] = []
    extra = {k: v for k, v in body.items() if k not in _WIDGET_FIELDS}
    for name, value in body.items():
        if name not in _WIDGET_FIELDS:
            continue
        candidates = _widget_candidates(name, value)
        if candidates is None or not all(widget_value_ok(k, v) for k, v in candidates.items()):
            notes.append(Message("load.reset", {"name": name, "value": _short(value)}))
            continue
        values.update(candidates)
        if name == "stream_options" and set(value) - {"include_usage"}:
            extra["stream_options"] = value
    if values["stream"] and "stream_options" not in body:
        values["include_usage"] = False
    values["extra_json"] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return values, notes


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"
