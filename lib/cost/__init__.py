"""Prices per model and what a run cost. Pure logic (lib/ui/storage/prices_store.py keeps them)."""

from lib.cost.prices import (
    MAX_PRICES,
    Price,
    add_to_totals,
    cost_of,
    edited_table,
    format_cost,
    parse_prices,
    price_for,
    prices_record,
)

__all__ = [
    "MAX_PRICES",
    "Price",
    "add_to_totals",
    "cost_of",
    "edited_table",
    "format_cost",
    "parse_prices",
    "price_for",
    "prices_record",
]
