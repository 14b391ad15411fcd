"""The columns of a comparison: each one's connection, model and the fields it changes.

A column names its connection, never holds it: a saved connection's name, LOCAL (the
app-managed local model) or CURRENT (the sidebar's). Its overrides are request-body values
(`{"temperature": 1.5}`; None leaves the field out of that column's body); everything else
follows the form, so `column_body` starts from the form's body.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from lib.request.fields import KEY_ORDER, ordered
from lib.request.validate import Problem, validate

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
