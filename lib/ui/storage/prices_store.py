"""The price table and the running total of this browser (lib/cost), kept in localStorage."""

from __future__ import annotations

from typing import Any

from lib.config.settings import PRICES
from lib.cost import (
    add_to_totals,
    cost_of,
    format_cost,
    parse_prices,
    price_for,
    prices_record,
)
from lib.ui.shell.secrets import app_settings
from lib.ui.storage.kept_store import KeptStore


def _start_prices() -> list[dict]:
    """A new browser's table: the host's PRICES setting, or empty."""
    return app_settings().value(PRICES) or []


def _read_prices(stored: Any) -> list[dict]:
    return prices_record(parse_prices(stored))


def _read_totals(stored: Any) -> dict:
    if not isinstance(stored, dict):
        raise ValueError("not totals")
    return add_to_totals(stored, None)


prices = KeptStore("prices_store", "completions-playground.prices.v1", _read_prices, _start_prices)
totals = KeptStore("totals_store", "completions-playground.totals.v1", _read_totals, dict)
TOTALS_MIRROR = "totals_store_mirror"  # the key of its fragment (see KeptStore)


def total_text() -> str:
    """The running totals, "0.001200 USD, 0.50 EUR"."""
    return ", ".join(format_cost({"amount": v, "currency": c}) for c, v in totals.value().items())


def cost_for(model: str, stats: dict) -> dict | None:
    """What a run of `model` with these stats cost, by this browser's table."""
    price = price_for(parse_prices(prices.value()), model)
    return cost_of(price, stats.get("prompt_tokens"), stats.get("completion_tokens"))


def count_in_total(cost: dict | None) -> None:
    if cost is not None:
        totals.set(add_to_totals(totals.value(), cost))


def mirror() -> None:
    prices.mirror()
    totals.mirror()
