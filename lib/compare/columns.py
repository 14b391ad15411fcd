"""The columns of a comparison: each one's connection, model and the fields it changes.

A column names its connection, never holds it: a saved connection's name, LOCAL (the
app-managed local model) or CURRENT (the sidebar's). Its overrides are request-body values
(`{"temperature": 1.5}`; None leaves the field out of that column's body); everything else
follows the form, so `column_body` starts from the form's body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.config.connection import Connection, local_connection, resolve
from lib.config.settings import Settings
from lib.config.text import is_plain_int
from lib.i18n import Message
from lib.request.fields import KEY_ORDER, MAX_CHOICES, ordered
from lib.request.validate import Problem, validate
from lib.run.model import RunLimits, choices_per_prompt, prompt_count

CURRENT, LOCAL = "current", "local"
MIN_COLUMNS, MAX_COLUMNS = 2, 4
# Every column sends the same prompt in the same way (that is the comparison); the model is a
# column's own attribute; stream_options follows stream, which follows the form.
SAME_FOR_ALL = frozenset(("model", "prompt", "stream", "stream_options"))
OVERRIDABLE = tuple(name for name in KEY_ORDER if name not in SAME_FOR_ALL)


@dataclass(frozen=True)
class Column:
    """One column: where it sends (by name), which model ("" = the form's), what it changes."""

    conn: str = CURRENT
    model: str = ""
    overrides: dict[str, Any] = field(default_factory=dict)


def override_problems(name: str, value: Any) -> list[Problem]:
    """Why `value` cannot stand for field `name` in a column (the form's own checks)."""
    if name not in OVERRIDABLE:
        return [Problem.of(name, "not_overridable")]
    if value is None:
        return []  # left out of this column's body
    # The main form's validation of a body holding only this field (and a model, which
    # every body needs): the same kinds, ranges and messages as the form shows.
    return [p for p in validate({"model": "m", name: value}) if p.field == name]


def column_body(form_body: dict, column: Column) -> dict:
    """The request body column `column` sends: the form's, with the column's changes."""
    body = dict(form_body)
    if column.model.strip():
        body["model"] = column.model.strip()
    for name, value in column.overrides.items():
        if value is None:
            body.pop(name, None)
        else:
            body[name] = value
    return ordered(body)


# Limits: the columns of one comparison together ------------------------------------------


def generated_choices(body: dict) -> int:
    """How many completions a body makes the server generate: n, or best_of when larger,
    for each prompt of a batch."""
    best_of = body.get("best_of")
    per_prompt = choices_per_prompt(body)
    if is_plain_int(best_of) and best_of > per_prompt:
        per_prompt = best_of
    return per_prompt * prompt_count(body)


def comparison_problems(
    form_body: dict, columns: list[Column], max_tokens_limit: int | None = None
) -> list[Message]:
    """Why the comparison cannot be sent, beyond the form's own problems (shown with the form).

    Each column's body is validated as the form's is (MAX_TOKENS_LIMIT included); the choices
    the columns ask for are summed against the one cap a single request has.
    """
    problems: list[Message] = []
    if not MIN_COLUMNS <= len(columns) <= MAX_COLUMNS:
        count = {"count": len(columns), "low": MIN_COLUMNS, "high": MAX_COLUMNS}
        problems.append(Message("compare.column_count", count))
    form_problems = validate(form_body, max_tokens_limit)
    bodies = [column_body(form_body, column) for column in columns]
    for number, body in enumerate(bodies, 1):
        for problem in validate(body, max_tokens_limit):
            if problem not in form_problems:
                params = {"column": number, "problem": problem}
                problems.append(Message("compare.column_problem", params))
    total = sum(generated_choices(body) for body in bodies)
    if total > MAX_CHOICES:
        problems.append(Message("compare.too_many_choices", {"total": total, "most": MAX_CHOICES}))
    return problems


def column_limits(limits: RunLimits, count: int) -> RunLimits:
    """Each column's share of one run's output caps: all columns together keep no more text
    or chunks than a single run may (MAX_OUTPUT_CHARS, MAX_OUTPUT_CHUNKS)."""
    count = max(count, 1)
    return RunLimits(max(limits.max_chars // count, 1), max(limits.max_chunks // count, 1))


# Connections: a column's name resolved on this instance ------------------------------------


@dataclass(frozen=True)
class Resolved:
    """The connection a column sends with, the name it really uses, and why it differs."""

    connection: Connection
    conn: str
    note: Message | None = None


def resolve_column(
    column: Column,
    number: int,
    saved: list[dict],
    current: Connection,
    settings: Settings,
    local_url: str | None = None,
) -> Resolved:
    """The connection of column `number`; the current one, with a note, when its own cannot be used.

    `saved` are the browser's saved connections (lib/config/connection.read_record), `current`
    the sidebar's resolved connection, `local_url` the local model's server when it runs. A
    saved connection sends its own key, or the configured key only to the configured server
    (connection.resolve), never the current connection's: keys never cross columns. With
    LOCK_BASE_URL every column uses the instance's own server (the local model only where
    ALLOW_LOCAL_MODEL offers it).
    """
    if column.conn == CURRENT:
        return Resolved(current, CURRENT)
    where = {"column": number}
    if column.conn == LOCAL:
        offered = not settings.lock_base_url or settings.allow_local_model
        if local_url and offered:
            return Resolved(local_connection(local_url), LOCAL)
        return Resolved(current, CURRENT, Message("compare.no_local", where))
    if settings.lock_base_url:
        return Resolved(current, CURRENT, Message("compare.locked", where))
    entry = next((e for e in saved if e.get("name") == column.conn), None)
    if entry is None:
        note = Message("compare.unknown_conn", {**where, "name": column.conn})
        return Resolved(current, CURRENT, note)
    return Resolved(resolve(entry.get("base_url"), entry.get("api_key"), settings), column.conn)
