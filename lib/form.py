"""The playground's request form: widget values in, request body and problems out.

Widget keys equal API field names where there is one, so a field can be followed by name from
the sidebar to the body, the validation message, the export and the history.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lib.request import Problem, check, ordered

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

FORM_MESSAGES = {
    "json_syntax": "{field} is not valid JSON: {detail}.",
    "json_not_object": '{field} must be a JSON object, like {{"top_k": 40}}.',
}

_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "0": "\0"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)", re.DOTALL)


def decode_escapes(text: str) -> str:
    r"""Turn typed escapes (``\n``, ``\t``, ``\r``, ``\\``, ``\uXXXX``) into characters."""

    def repl(match: re.Match) -> str:
        seq = match.group(1)
        if seq.startswith("u") and len(seq) == 5:
            return chr(int(seq[1:], 16))
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


class FormProblem(Problem):
    """A problem found while reading a widget, before the body exists."""

    def english(self) -> str:
        return FORM_MESSAGES[self.code].format(field=self.field, **self.params)


def _parse_json(field: str, text: str, problems: list[Problem]) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except RecursionError:
        detail = "it is nested too deeply"
    problems.append(FormProblem(field, "json_syntax", {"detail": detail}))
    return None


def prompt_value(mode: str, text: str, problems: list[Problem]) -> Any:
    """The prompt for the body: the text itself, or the JSON the user typed for list forms."""
    if mode == "text":
        return text
    return _parse_json("prompt", text, problems) if text.strip() else None


def build_request(values: dict) -> tuple[dict, list[Problem]]:
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
    if body["prompt"] is None:
        del body["prompt"]
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
        extra = _parse_json("extra JSON", v["extra_json"], problems)
        if isinstance(extra, dict):
            body.update(extra)
        elif extra is not None:
            problems.append(FormProblem("extra JSON", "json_not_object", {}))
    body = ordered(body)
    return body, problems + check(body)


def continued_prompt(sent: str, completion: str, restart_text: str, echoed: bool) -> str:
    """The prompt for "Continue": the prompt as sent, the completion, then the restart text.

    With echo the completion already starts with the prompt; it is not repeated.
    """
    if echoed and completion.startswith(sent):
        completion = completion[len(sent) :]
    return sent + completion + decode_escapes(restart_text)


# From a request body back to widget values (history "Open in playground", imports, links) ---

_INT_FIELDS = {"max_tokens": 1, "n": 1, "best_of": 1, "seed": None}  # name -> minimum
_FLOAT_FIELDS = {
    "temperature": (0.0, 2.0),
    "top_p": (0.0, 1.0),
    "presence_penalty": (-2.0, 2.0),
    "frequency_penalty": (-2.0, 2.0),
}
_WIDGET_FIELDS = (
    "model", "prompt", "max_tokens", "temperature", "top_p", "n", "stream", "logprobs", "stop",
    "suffix", "echo", "presence_penalty", "frequency_penalty", "best_of", "logit_bias", "seed",
    "user", "stream_options",
)  # fmt: skip


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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


def values_from_request(body: dict) -> tuple[dict, list[str]]:
    """Widget values that rebuild `body`, and notes on fields that had to be reset.

    Fields the widgets cannot hold (relay-specific ones) go to Extra JSON; values outside a
    widget's range are reset to the default with a note, so a widget never raises.
    """
    values = {k: v for k, v in DEFAULTS.items() if k != "restart_text"}
    notes: list[str] = []
    extra = {k: v for k, v in body.items() if k not in _WIDGET_FIELDS}

    def reset(name: str) -> None:
        notes.append(f"{name}: {_short(body[name])} cannot be shown here; reset to the default.")

    for name, value in body.items():
        if name == "model":
            if isinstance(value, str):
                values["model"] = value
            else:
                reset(name)
        elif name == "prompt":
            form = _prompt_widget(value) if value is not None else ("text", "")
            if form is None:
                reset(name)
            else:
                values["prompt_mode"], values["prompt"] = form
        elif name in _INT_FIELDS:
            low = _INT_FIELDS[name]
            if value is None and name in ("best_of", "seed"):
                continue
            if _is_int(value) and (low is None or value >= low):
                values[name] = value
            else:
                reset(name)
        elif name in _FLOAT_FIELDS:
            low, high = _FLOAT_FIELDS[name]
            number_ok = isinstance(value, int | float) and not isinstance(value, bool)
            if number_ok and low <= value <= high:
                values[name] = float(value)
            else:
                reset(name)
        elif name in ("stream", "echo"):
            if isinstance(value, bool):
                values[name] = value
            else:
                reset(name)
        elif name == "logprobs":
            if value is None or (_is_int(value) and 0 <= value <= 5):
                values["logprobs"] = "off" if value is None else value
            else:
                reset(name)
        elif name == "stop":
            stops = [value] if isinstance(value, str) else value
            if value is None:
                values["stop"] = []
            elif isinstance(stops, list) and all(isinstance(s, str) and s for s in stops):
                values["stop"] = [encode_escapes(s) for s in stops[:4]]
                if len(stops) > 4:
                    notes.append("stop: only the first 4 sequences were kept.")
            else:
                reset(name)
        elif name in ("suffix", "user"):
            if isinstance(value, str) or value is None:
                values[name] = value or ""
            else:
                reset(name)
        elif name == "logit_bias":
            values["logit_bias"] = "" if value is None else json.dumps(value, ensure_ascii=False)
        elif name == "stream_options":
            if isinstance(value, dict):
                values["include_usage"] = bool(value.get("include_usage"))
                rest = {k: v for k, v in value.items() if k != "include_usage"}
                if rest:
                    extra["stream_options"] = value
            elif value is not None:
                reset(name)
    if values["stream"] and "stream_options" not in body:
        values["include_usage"] = False
    values["extra_json"] = json.dumps(extra, ensure_ascii=False) if extra else ""
    return values, notes


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"
