"""Prices, costs and totals (lib/cost), and the PRICES setting."""

from __future__ import annotations

import pytest

from lib.config.settings import PRICES, ConfigError, read
from lib.cost import add_to_totals, cost_of, format_cost, parse_prices, price_for

TABLE = '[{"model": "m", "prompt": 1.5, "completion": 2, "currency": "EUR"}, {"model": "n", "prompt": 0, "completion": 0}]'  # noqa: E501


def test_a_table_parses_and_prices_a_run():
    prices = parse_prices(TABLE)
    assert price_for(prices, "n").currency == "USD"
    cost = cost_of(price_for(prices, "m"), 1000, 500)
    assert cost == {"amount": (1000 * 1.5 + 500 * 2) / 1e6, "currency": "EUR"}
    assert format_cost(cost) == "0.002500 EUR"
    assert cost_of(price_for(prices, "m"), None, 500) is None  # a count unknown: no cost
    assert cost_of(price_for(prices, "other"), 1, 1) is None


@pytest.mark.parametrize(
    "bad",
    ["{", "{}", '[{"model": "", "prompt": 1, "completion": 1}]',
     '[{"model": "m", "prompt": -1, "completion": 1}]',
     '[{"model": "m", "prompt": true, "completion": 1}]',
     '[{"model": "m", "prompt": 1, "completion": 1, "currency": "DOLLARSSS"}]'],
)  # fmt: skip
def test_a_bad_table_is_refused(bad):
    with pytest.raises(ValueError):
        parse_prices(bad)


def test_totals_add_up_per_currency():
    totals = add_to_totals({}, {"amount": 0.5, "currency": "USD"})
    totals = add_to_totals(totals, {"amount": 0.25, "currency": "USD"})
    totals = add_to_totals(totals, {"amount": 1, "currency": "EUR"})
    assert totals == {"USD": 0.75, "EUR": 1.0}
    assert add_to_totals("junk", None) == {}


def test_the_prices_setting_is_read_from_secrets_or_environment():
    assert read({}, {PRICES: TABLE}).value(PRICES)[0]["currency"] == "EUR"
    from_toml = [{"model": "m", "prompt": 1, "completion": 2}]
    assert read({PRICES: from_toml}, {}).value(PRICES)[0]["prompt"] == 1.0
    with pytest.raises(ConfigError) as caught:
        read({}, {PRICES: "[1, 2]"})
    assert caught.value.problems[0].key == "config.not_prices"


def test_the_sidebar_editors_changes_make_the_new_table():
    from lib.cost import edited_table

    rows = [{"model": "m", "prompt": 1.0, "completion": 2.0, "currency": "USD"}]
    changes = {
        "edited_rows": {"0": {"prompt": 3.0}},
        "added_rows": [{"model": "n", "prompt": 0.5, "completion": 1}],  # currency: USD
        "deleted_rows": [],
    }
    table, bad = edited_table(rows, changes)
    assert bad is None and [(r["model"], r["prompt"], r["currency"]) for r in table] == [
        ("m", 3.0, "USD"),
        ("n", 0.5, "USD"),
    ]
    assert edited_table(rows, {"deleted_rows": [0]}) == ([], None)
    assert edited_table(rows, {"added_rows": [{"model": "x"}]}) == (None, 2)  # no prices yet
