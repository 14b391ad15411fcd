"""The completions request: its fields, their ranges, and validation.

Ranges come from the relay's docs (the seed) and OpenAI's legacy completions spec. Each problem is
a `Problem` with a stable code, so the interface can show it in any language; `validate` gives the
English sentences.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from lib.i18n import t

# The seed's example body, in its key order; exports follow this order.
SEED_KEY_ORDER = (
    "model",
    "prompt",
    "max_tokens",
    "temperature",
    "top_p",
    "n",
    "stream",
    "logprobs",
    "stop",
)
OPENAI_KEY_ORDER = (
    "suffix",
    "echo",
    "presence_penalty",
    "frequency_penalty",
    "best_of",
    "logit_bias",
    "seed",
    "user",
    "stream_options",
)
KEY_ORDER = SEED_KEY_ORDER + OPENAI_KEY_ORDER
MAX_STOP_SEQUENCES = 4
MAX_LOGPROBS = 5
# OpenAI's limits; they also keep the page from drawing thousands of choices.
MAX_N = 128
MAX_BEST_OF = 20
# Choices one request may ask for in all (n for each prompt of a batch): a link must not be
# able to set up a request that keeps the server and the page busy for minutes.
MAX_CHOICES = 128


@dataclass(frozen=True)
class NumberRange:
    """An inclusive range for a numeric field; `integer` fields reject fractions."""

    low: float | None
    high: float | None
    integer: bool = False


RANGES: dict[str, NumberRange] = {
    "max_tokens": NumberRange(1, None, integer=True),
    "temperature": NumberRange(0, 2),
    "top_p": NumberRange(0, 1),
    "n": NumberRange(1, MAX_N, integer=True),
    "logprobs": NumberRange(0, MAX_LOGPROBS, integer=True),
    "presence_penalty": NumberRange(-2, 2),
    "frequency_penalty": NumberRange(-2, 2),
    "best_of": NumberRange(1, MAX_BEST_OF, integer=True),
    "seed": NumberRange(None, None, integer=True),
}
LOGIT_BIAS_RANGE = NumberRange(-100, 100)


class Problem(NamedTuple):
    """One thing wrong with a request: the field, a stable code, and values for the message."""

    field: str
    code: str
    params: dict

    def text(self, lang: str) -> str:
        """The message in `lang`; request field names stay as the API spells them."""
        shown = t(lang, "field.extra_json") if self.field == "extra_json" else self.field
        return t(lang, f"problem.{self.code}", field=shown, **self.params)

    def english(self) -> str:
        return self.text("en")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_finite(value: Any) -> bool:
    # math.isfinite overflows on ints too large for a float; every int is finite.
    return isinstance(value, int) or math.isfinite(value)


def _show(value: Any) -> str:
    text = json.dumps(value) if _is_number(value) and _is_finite(value) else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


def _check_number(name: str, value: Any, rule: NumberRange) -> list[Problem]:
    if not _is_number(value) or not _is_finite(value):
        return [Problem(name, "not_number", {})]
    if rule.integer and value != int(value):
        return [Problem(name, "not_integer", {})]
    low_bad = rule.low is not None and value < rule.low
    high_bad = rule.high is not None and value > rule.high
    if not (low_bad or high_bad):
        return []
    shown = _show(value)
    if rule.low is not None and rule.high is not None:
        return [
            Problem(
                name,
                "out_of_range",
                {"low": rule.low, "high": rule.high, "value": shown},
            )
        ]
    if low_bad:
        return [Problem(name, "too_low", {"low": rule.low, "value": shown})]
    return [Problem(name, "too_high", {"high": rule.high, "value": shown})]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _check_prompt(prompt: Any) -> list[Problem]:
    if isinstance(prompt, str):
        return []
    if not isinstance(prompt, list):
        return [Problem("prompt", "prompt_type", {})]
    if not prompt:
        return [Problem("prompt", "prompt_empty_list", {})]
    if all(isinstance(item, str) for item in prompt):
        return []
    if all(_is_int(item) for item in prompt):
        ids = prompt
    elif all(isinstance(item, list) and item and all(_is_int(i) for i in item) for item in prompt):
        ids = [i for item in prompt for i in item]
    else:
        return [Problem("prompt", "prompt_type", {})]
    return [] if all(i >= 0 for i in ids) else [Problem("prompt", "token_id", {})]


def _check_stop(stop: Any) -> list[Problem]:
    if stop is None:
        return []
    if isinstance(stop, str):
        return [] if stop else [Problem("stop", "stop_empty", {})]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        return [Problem("stop", "stop_type", {})]
    problems = []
    if len(stop) > MAX_STOP_SEQUENCES:
        problems.append(Problem("stop", "stop_too_many", {"count": len(stop)}))
    if any(s == "" for s in stop):
        problems.append(Problem("stop", "stop_empty", {}))
    return problems


def _check_logit_bias(bias: Any) -> list[Problem]:
    if not isinstance(bias, dict):
        return [Problem("logit_bias", "logit_bias_type", {})]
    problems = []
    for key, value in bias.items():
        key_text = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
        if not isinstance(key_text, str) or not key_text.isascii() or not key_text.isdigit():
            problems.append(Problem("logit_bias", "logit_bias_key", {"key": _show(key)}))
        elif _check_number("logit_bias", value, LOGIT_BIAS_RANGE):
            problems.append(
                Problem(
                    "logit_bias",
                    "logit_bias_value",
                    {"key": key_text, "value": _show(value)},
                )
            )
    return problems


def check(payload: Any, max_tokens_limit: int | None = None) -> list[Problem]:
    """Every problem with a request body, as `Problem` values (empty when it can be sent).

    `max_tokens_limit` is a hosted instance's cap (MAX_TOKENS_LIMIT): with one, max_tokens
    must be given, since a server's own default may be unbounded.
    """
    if not isinstance(payload, dict):
        return [Problem("request", "not_object", {})]
    problems: list[Problem] = _check_max_tokens_limit(payload, max_tokens_limit)
    model = payload.get("model")
    if model is None or (isinstance(model, str) and not model.strip()):
        problems.append(Problem("model", "model_missing", {}))
    elif not isinstance(model, str):
        problems.append(Problem("model", "not_string", {}))
    if "prompt" in payload and payload["prompt"] is not None:
        problems += _check_prompt(payload["prompt"])
    for name, rule in RANGES.items():
        value = payload.get(name)
        if value is not None:
            problems += _check_number(name, value, rule)
    for name in ("stream", "echo"):
        if payload.get(name) is not None and not isinstance(payload[name], bool):
            problems.append(Problem(name, "not_bool", {}))
    for name in ("suffix", "user"):
        if payload.get(name) is not None and not isinstance(payload[name], str):
            problems.append(Problem(name, "not_string", {}))
    problems += _check_stop(payload.get("stop"))
    if payload.get("logit_bias") is not None:
        problems += _check_logit_bias(payload["logit_bias"])
    options = payload.get("stream_options")
    if options is not None:
        if not isinstance(options, dict):
            problems.append(Problem("stream_options", "stream_options_type", {}))
        elif payload.get("stream") is not True:
            problems.append(Problem("stream_options", "stream_options_without_stream", {}))
    problems += _check_best_of(payload)
    problems += _check_choices(payload)
    problems += _check_serializable(payload)
    return problems


def _check_best_of(payload: dict) -> list[Problem]:
    best_of, n = payload.get("best_of"), payload.get("n", 1)
    if best_of is None or _check_number("best_of", best_of, RANGES["best_of"]):
        return []
    problems = []
    if payload.get("stream") is True:
        problems.append(Problem("best_of", "best_of_stream", {}))
    if not _check_number("n", n, RANGES["n"]) and best_of < n:
        problems.append(Problem("best_of", "best_of_lt_n", {"best_of": best_of, "n": n}))
    return problems


def _check_max_tokens_limit(payload: dict, limit: int | None) -> list[Problem]:
    if limit is None:
        return []
    value = payload.get("max_tokens")
    if value is None:
        return [Problem("max_tokens", "max_tokens_required", {"high": limit})]
    if _is_number(value) and _is_finite(value) and value > limit:
        return [Problem("max_tokens", "host_limit", {"high": limit, "value": _show(value)})]
    return []


def _check_choices(payload: dict) -> list[Problem]:
    prompt, n = payload.get("prompt"), payload.get("n", 1)
    if not isinstance(prompt, list) or not prompt or not isinstance(prompt[0], str | list):
        return []  # one prompt: n alone is checked against its own range
    if n is None or _check_number("n", n, RANGES["n"]):
        return []
    if len(prompt) * n <= MAX_CHOICES:
        return []
    params = {"prompts": len(prompt), "n": n, "total": len(prompt) * n, "most": MAX_CHOICES}
    return [Problem("prompt", "too_many_choices", params)]


def _check_serializable(payload: dict) -> list[Problem]:
    problems = []
    for key, value in payload.items():
        try:
            # ensure_ascii=False + encode: the body goes out as UTF-8, which lone
            # surrogates (e.g. a typed \ud800) cannot be.
            json.dumps({key: value}, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:
            name = key if isinstance(key, str) else repr(key)
            detail = type(exc).__name__ if isinstance(exc, RecursionError) else str(exc)
            problems.append(Problem(name, "not_json", {"detail": detail[:80]}))
    return problems


def validate(payload: dict) -> list[str]:
    """Human-readable problems with a request body; empty when it is fine to send."""
    return [problem.english() for problem in check(payload)]


def ordered(payload: dict) -> dict:
    """The body with known fields in the seed's order, then any extra fields as given."""
    known = {key: payload[key] for key in KEY_ORDER if key in payload}
    return {**known, **{k: v for k, v in payload.items() if k not in known}}
