"""Validation: every problem with a request body, each a `Problem` the page can say in any language.

Kinds, ranges and limits come from the field table (lib/request/fields.py); the rules that tie
fields together (best_of and n, the choices of a batch, a hosted instance's max_tokens) are here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

from lib.config.text import is_plain_int, is_plain_number, shorten
from lib.i18n import Message, t
from lib.request.fields import (
    BOOL,
    FIELDS,
    FLOAT,
    INT,
    KEY_ORDER,
    MAX_CHOICES,
    OBJECT,
    PROMPT,
    TEXT,
    TEXT_LIST,
    TOKEN_MAP,
    Field,
    takes,
)

_PROBLEM = "problem."


class Problem(Message):
    """One thing wrong with a request: the message "problem.<code>", its params naming the field."""

    __slots__ = ()

    @classmethod
    def of(cls, field: str, code: str, **params: Any) -> Problem:
        return cls(_PROBLEM + code, {"field": field, **params})

    @property
    def field(self) -> str:
        return self.params["field"]

    @property
    def code(self) -> str:
        return self.key.removeprefix(_PROBLEM)

    def text(self, lang: str) -> str:
        """The message in `lang`; a field the API names keeps its API name in every language."""
        row = FIELDS.get(self.field)
        params = self.params
        if row is not None and row.label:
            params = {**params, "field": Message(row.label)}
        return t(lang, self.key, **params)


def _is_finite(value: Any) -> bool:
    # math.isfinite overflows on ints too large for a float; every int is finite.
    return isinstance(value, int) or math.isfinite(value)


def _show(value: Any) -> str:
    """A value quoted in a message: numbers as JSON writes them, anything else as Python does."""
    return shorten(
        json.dumps(value) if is_plain_number(value) and _is_finite(value) else repr(value)
    )


def _check_number(row: Field, value: Any) -> list[Problem]:
    """Problems of a number against the row's range (whole numbers only for kind INT)."""
    name = row.name
    if not is_plain_number(value) or not _is_finite(value):
        return [Problem.of(name, "not_number")]
    if row.kind == INT and value != int(value):
        return [Problem.of(name, "not_integer")]
    low, high = row.low, row.high
    low_bad = low is not None and value < low
    high_bad = high is not None and value > high
    if not (low_bad or high_bad):
        return []
    shown = _show(value)
    if low is not None and high is not None:
        return [Problem.of(name, "out_of_range", low=low, high=high, value=shown)]
    if low_bad:
        return [Problem.of(name, "too_low", low=low, value=shown)]
    return [Problem.of(name, "too_high", high=high, value=shown)]


def _check_text(row: Field, value: Any) -> list[Problem]:
    if row.required and isinstance(value, str) and not value.strip():
        return [Problem.of(row.name, f"{row.name}_missing")]
    return [] if isinstance(value, str) else [Problem.of(row.name, "not_string")]


def _check_bool(row: Field, value: Any) -> list[Problem]:
    return [] if isinstance(value, bool) else [Problem.of(row.name, "not_bool")]


def _check_prompt(row: Field, prompt: Any) -> list[Problem]:
    if isinstance(prompt, str):
        return []
    if not isinstance(prompt, list):
        return [Problem.of(row.name, "prompt_type")]
    if not prompt:
        return [Problem.of(row.name, "prompt_empty_list")]
    if all(isinstance(item, str) for item in prompt):
        return []
    if all(is_plain_int(item) for item in prompt):
        ids = prompt
    elif all(
        isinstance(item, list) and item and all(is_plain_int(i) for i in item) for item in prompt
    ):
        ids = [i for item in prompt for i in item]
    else:
        return [Problem.of(row.name, "prompt_type")]
    return [] if all(i >= 0 for i in ids) else [Problem.of(row.name, "token_id")]


def _check_stop(row: Field, stop: Any) -> list[Problem]:
    if isinstance(stop, str):
        return [] if stop else [Problem.of(row.name, "stop_empty")]
    if not isinstance(stop, list) or not all(isinstance(s, str) for s in stop):
        return [Problem.of(row.name, "stop_type", most=row.most)]
    problems = []
    if len(stop) > row.most:
        problems.append(Problem.of(row.name, "stop_too_many", count=len(stop), most=row.most))
    if any(s == "" for s in stop):
        problems.append(Problem.of(row.name, "stop_empty"))
    return problems


def _check_logit_bias(row: Field, bias: Any) -> list[Problem]:
    if not isinstance(bias, dict):
        return [Problem.of(row.name, "logit_bias_type")]
    problems = []
    for key, value in bias.items():
        key_text = str(key) if is_plain_int(key) else key
        if not isinstance(key_text, str) or not key_text.isascii() or not key_text.isdigit():
            problems.append(Problem.of(row.name, "logit_bias_key", key=_show(key)))
        elif _check_number(row, value):
            params = {"key": key_text, "value": _show(value), "low": row.low, "high": row.high}
            problems.append(Problem.of(row.name, "logit_bias_value", **params))
    return problems


def _check_object(row: Field, value: Any) -> list[Problem]:
    return [] if isinstance(value, dict) else [Problem.of(row.name, "stream_options_type")]


_CHECKS = {
    PROMPT: _check_prompt,
    INT: _check_number,
    FLOAT: _check_number,
    BOOL: _check_bool,
    TEXT: _check_text,
    TEXT_LIST: _check_stop,
    TOKEN_MAP: _check_logit_bias,
    OBJECT: _check_object,
}
# Problems are listed required fields first, then kind by kind in this order (the fields of a
# kind in the table's order): the order the page has always shown them in.
_KIND_ORDER = ((PROMPT,), (INT, FLOAT), (BOOL,), (TEXT,), (TEXT_LIST,), (TOKEN_MAP,), (OBJECT,))
_RANK = {kind: rank for rank, kinds in enumerate(_KIND_ORDER) for kind in kinds}


def _checked_in_order() -> list[Field]:
    rows = [FIELDS[name] for name in KEY_ORDER]
    return sorted(rows, key=lambda row: (not row.required, _RANK[row.kind]))


def validate(
    body: Any, max_tokens_limit: int | None = None, server: str | None = None
) -> list[Problem]:
    """Every problem with a request body (empty when it can be sent).

    `max_tokens_limit` is a hosted instance's cap (MAX_TOKENS_LIMIT): with one, max_tokens
    must be given, since a server's own default may be unbounded. A server's own samplers are
    checked only for that server (`server`, a lib/tokens kind): to others they are extras.
    """
    if not isinstance(body, dict):
        return [Problem.of("body", "not_object")]
    problems = _check_max_tokens_limit(body, max_tokens_limit)
    problems += _check_length_fields(body, max_tokens_limit)
    for row in _checked_in_order():
        if not takes(row, server):
            continue
        value = body.get(row.name)
        if value is not None:
            problems += _CHECKS[row.kind](row, value)
        elif row.required:
            problems.append(Problem.of(row.name, f"{row.name}_missing"))
    problems += _check_stream_options(body)
    problems += _check_best_of(body)
    problems += _check_choices(body)
    problems += _check_serializable(body)
    return problems


def _check_stream_options(body: dict) -> list[Problem]:
    if isinstance(body.get("stream_options"), dict) and body.get("stream") is not True:
        return [Problem.of("stream_options", "stream_options_without_stream")]
    return []


def _check_best_of(body: dict) -> list[Problem]:
    best_of, n = body.get("best_of"), body.get("n", 1)
    if best_of is None or _check_number(FIELDS["best_of"], best_of):
        return []
    problems = []
    if body.get("stream") is True:
        problems.append(Problem.of("best_of", "best_of_stream"))
    if not _check_number(FIELDS["n"], n) and best_of < n:
        problems.append(Problem.of("best_of", "best_of_lt_n", best_of=best_of, n=n))
    return problems


def _check_max_tokens_limit(body: dict, limit: int | None) -> list[Problem]:
    if limit is None:
        return []
    value = body.get("max_tokens")
    if value is None:
        return [Problem.of("max_tokens", "max_tokens_required", high=limit)]
    if is_plain_number(value) and _is_finite(value) and value > limit:
        return [Problem.of("max_tokens", "host_limit", high=limit, value=_show(value))]
    return []


# The other names servers give a completion's length, or a floor under it: OpenAI's newer
# max_completion_tokens, llama.cpp's n_predict, Ollama's num_predict, Hugging Face's
# max_new_tokens / max_length / min_length, vLLM's min_tokens, Gemini-style max_output_tokens.
# A server reads whichever it knows, so with a host's limit each is held to it as max_tokens
# is. (ignore_eos stays allowed: it runs to these lengths, which are all held.)
LENGTH_FIELDS = frozenset(
    ("max_tokens", "max_completion_tokens", "max_new_tokens", "max_output_tokens", "max_length",
     "n_predict", "num_predict", "min_tokens", "min_new_tokens", "min_length")
)  # fmt: skip
_NESTING = 8  # how deep objects are searched (relays nest options, parameters, extra_body)


def _check_length_fields(body: dict, limit: int | None) -> list[Problem]:
    """Every length field but the top-level max_tokens: a whole number from 0 to `limit`."""
    if limit is None:
        return []
    problems = []
    for path, value in _length_fields(body, "", 0):
        if path == "max_tokens":
            continue  # its own rules: required, and at most the limit
        if not (is_plain_int(value) and 0 <= value <= limit):
            problems.append(Problem.of(path, "host_length", high=limit, value=_show(value)))
    return problems


def _length_fields(value: Any, path: str, depth: int) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of each length field in `value`'s objects, lists included."""
    if depth > _NESTING:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if key in LENGTH_FIELDS:
                yield where, item
            if isinstance(item, dict | list):
                yield from _length_fields(item, where, depth + 1)
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict | list):
                yield from _length_fields(item, path, depth + 1)


def _check_choices(body: dict) -> list[Problem]:
    prompt, n = body.get("prompt"), body.get("n", 1)
    if not isinstance(prompt, list) or not prompt or not isinstance(prompt[0], str | list):
        return []  # one prompt: n alone is checked against its own range
    if n is None or _check_number(FIELDS["n"], n):
        return []
    if len(prompt) * n <= MAX_CHOICES:
        return []
    params = {"prompts": len(prompt), "n": n, "total": len(prompt) * n, "most": MAX_CHOICES}
    return [Problem.of("prompt", "too_many_choices", **params)]


def _check_serializable(body: dict) -> list[Problem]:
    problems = []
    for key, value in body.items():
        try:
            # ensure_ascii=False + encode: the body goes out as UTF-8, which lone
            # surrogates (e.g. a typed \ud800) cannot be.
            json.dumps({key: value}, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError, RecursionError) as exc:
            name = key if isinstance(key, str) else repr(key)
            detail = type(exc).__name__ if isinstance(exc, RecursionError) else str(exc)
            problems.append(Problem.of(name, "not_json", detail=detail[:80]))
    return problems
