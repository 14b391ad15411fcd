"""A price table: per model, prompt and completion prices per 1M tokens, and a currency.

The table is a JSON list, as the sidebar keeps it in the browser and as the `PRICES` setting
gives it::

    [{"model": "gpt-3.5-turbo-instruct", "prompt": 1.5, "completion": 2.0, "currency": "USD"}]

A run's cost is {"amount": …, "currency": …}, known only when both token counts are.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

MAX_PRICES = 200  # rows kept; a table is typed by hand
MAX_PRICE = 1_000_000.0  # per 1M tokens, in any currency
DEFAULT_CURRENCY = "USD"
_PER = 1_000_000


@dataclass(frozen=True)
class Price:
    model: str
    prompt: float
    completion: float
    currency: str = DEFAULT_CURRENCY


MAX_TEXT = 100_000  # characters of a table given as text


def is_plain_number(value: Any) -> bool:
    """An int or float that is not a bool (lib.config reads this package: no import from it)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number(value: Any) -> float | None:
    if not is_plain_number(value):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) and 0 <= number <= MAX_PRICE else None


def _price(row: Any) -> Price | None:
    if not isinstance(row, dict):
        return None
    model = row.get("model")
    prompt, completion = _number(row.get("prompt")), _number(row.get("completion"))
    currency = row.get("currency", DEFAULT_CURRENCY) or DEFAULT_CURRENCY
    if not (isinstance(model, str) and model.strip() and len(model) <= 200):
        return None
    if prompt is None or completion is None or not isinstance(currency, str):
        return None
    if not (currency.strip() and len(currency.strip()) <= 8):
        return None
    return Price(model.strip(), prompt, completion, currency.strip())


def parse_prices(value: Any) -> list[Price]:
    """The table from JSON text or a list of rows; ValueError naming the first bad row."""
    if isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError("too long")
        try:
            value = json.loads(value)
        except (ValueError, RecursionError) as exc:
            raise ValueError("not JSON") from exc
    if not isinstance(value, list) or len(value) > MAX_PRICES:
        raise ValueError("not a list of prices")
    prices = []
    for position, row in enumerate(value):
        price = _price(row)
        if price is None:
            raise ValueError(f"row {position + 1}")
        prices.append(price)
    return prices


def prices_record(prices: list[Price]) -> list[dict]:
    """The table as JSON rows (for the browser, an export)."""
    return [
        {"model": p.model, "prompt": p.prompt, "completion": p.completion, "currency": p.currency}
        for p in prices
    ]


def price_for(prices: list[Price], model: str) -> Price | None:
    """The model's row (the last one, when a model is listed twice)."""
    found = None
    for price in prices:
        if price.model == (model or "").strip():
            found = price
    return found


def cost_of(price: Price | None, prompt_tokens: Any, completion_tokens: Any) -> dict | None:
    """What a run cost, when it is priced and both its token counts are known."""
    if price is None or not all(is_plain_number(n) for n in (prompt_tokens, completion_tokens)):
        return None
    amount = (prompt_tokens * price.prompt + completion_tokens * price.completion) / _PER
    return {"amount": amount, "currency": price.currency}


def format_cost(cost: Any) -> str:
    """ "0.000123 USD": enough digits for a single run's fractions of a cent."""
    if not isinstance(cost, dict) or not is_plain_number(cost.get("amount")):
        return "—"
    amount = float(cost["amount"])
    digits = 2 if amount >= 1 else 6
    return f"{amount:.{digits}f} {cost.get('currency') or DEFAULT_CURRENCY}"


def add_to_totals(totals: Any, cost: dict | None) -> dict[str, float]:
    """The running totals per currency with `cost` added."""
    out = {
        str(k): float(v) for k, v in (totals or {}).items() if is_plain_number(v)
    } if isinstance(totals, dict) else {}  # fmt: skip
    if cost is not None and is_plain_number(cost.get("amount")):
        currency = str(cost.get("currency") or DEFAULT_CURRENCY)
        out[currency] = out.get(currency, 0.0) + float(cost["amount"])
    return out


def edited_table(rows: list[dict], changes: dict) -> tuple[list[dict] | None, int | None]:
    """The table after an editor's changes (edited, added and deleted rows, as st.data_editor
    reports them), or (None, the first incomplete row's number) when it cannot be taken."""
    edited = [dict(row) for row in rows]
    for index, change in (changes.get("edited_rows") or {}).items():
        if 0 <= int(index) < len(edited):
            edited[int(index)].update(change)
    edited += [dict(row) for row in changes.get("added_rows") or []]
    deleted = {int(i) for i in changes.get("deleted_rows") or []}
    edited = [row for i, row in enumerate(edited) if i not in deleted]
    for position, row in enumerate(edited):
        if _price({**row, "currency": row.get("currency") or DEFAULT_CURRENCY}) is None:
            return None, position + 1
    return prices_record(parse_prices(edited)), None
