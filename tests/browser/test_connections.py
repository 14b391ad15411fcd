"""Connections in real Chromium: saved ones are never overwritten silently, and the model is
remembered with the connection (tests/browser/test_local.py: the local model's side)."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from lib.ui.storage import connection_store
from tests.support.browser import send_prompt

pytestmark = pytest.mark.browser

STORAGE_KEY = connection_store.STORAGE_KEY
STORED = f"() => JSON.parse(localStorage.getItem({json.dumps(STORAGE_KEY)}) || '{{}}')"


def stored(page) -> dict:
    return page.evaluate(STORED)


def wait_stored(page, condition: str) -> None:
    """Wait until the record in localStorage satisfies `condition` (JS, the record is `r`)."""
    page.wait_for_function(f"() => {{ const r = ({STORED})(); return {condition}; }}")


def connection_section(page) -> None:
    page.get_by_text("Connection", exact=True).click()
    expect(page.get_by_label("Base URL", exact=True)).to_be_visible()


def fill(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    expect(box).to_have_value(value)


def name_box(page):
    return page.get_by_label("Name for this connection", exact=True)


def pick_saved(page, name: str) -> None:
    page.get_by_role("combobox", name="Saved connections").click()
    page.get_by_role("option", name=name, exact=True).click()


def choose_model(page, model: str) -> None:
    box = page.get_by_role("combobox", name="model")
    box.click()
    page.keyboard.type(model)
    page.keyboard.press("Enter")
    expect(box).to_have_value(model)


def tick(box) -> None:
    """Tick a checkbox. The key's Enter reruns the whole page, and a click that lands while the
    sidebar is drawn again can be lost (seen once on a loaded machine): it is clicked again
    until the box shows the tick, each try waiting for that state."""
    for _ in range(3):
        if box.is_checked():
            return
        box.click(force=True)  # Streamlit draws its own box over the input
        try:
            expect(box).to_be_checked(timeout=5_000)
        except AssertionError:
            continue
    expect(box).to_be_checked()


def save_connection(page, name: str, url: str, key: str) -> None:
    fill(page, "Base URL", url)
    fill(page, "API key", key)
    tick(page.get_by_label("Remember the key in this browser", exact=True))
    fill(page, "Name for this connection", name)
    page.get_by_role("button", name="Save connection").click()
    wait_stored(page, f"(r.saved || []).some(e => e.name === {json.dumps(name)})")


def saved_entries(page) -> dict[str, dict]:
    return {e["name"]: e for e in stored(page).get("saved", [])}


def test_switching_saved_connections_then_saving_overwrites_nothing(page):
    connection_section(page)
    save_connection(page, "relay A", "http://a.example/v1", "sk-aaaa")
    save_connection(page, "relay B", "http://b.example/v1", "sk-bbbb")
    pick_saved(page, "relay A")
    expect(name_box(page)).to_have_value("relay A")  # the box follows the pick
    expect(page.get_by_label("Base URL", exact=True)).to_have_value("http://a.example/v1")
    page.get_by_role("button", name="Save connection").click()
    # Saving what is picked changes nothing, and B keeps its URL and key.
    expect(page.get_by_role("button", name="Save connection")).to_be_visible()
    saved = saved_entries(page)
    assert (saved["relay B"]["base_url"], saved["relay B"]["api_key"]) == (
        "http://b.example/v1",
        "sk-bbbb",
    )
    assert saved["relay A"]["base_url"] == "http://a.example/v1"
    # Typing another saved name asks first; Cancel keeps it, Replace replaces it.
    fill(page, "Name for this connection", "relay B")
    page.get_by_role("button", name="Save connection").click()
    question = page.get_by_text("“relay B” is already saved", exact=False)
    expect(question).to_be_visible()
    assert saved_entries(page)["relay B"]["api_key"] == "sk-bbbb"
    page.get_by_role("button", name="Cancel", exact=True).click()
    expect(question).to_have_count(0)
    assert saved_entries(page)["relay B"]["api_key"] == "sk-bbbb"
    page.get_by_role("button", name="Save connection").click()
    page.get_by_role("button", name="Replace", exact=True).click()
    wait_stored(page, "r.saved.find(e => e.name === 'relay B').api_key === 'sk-aaaa'")
    assert saved_entries(page)["relay B"]["base_url"] == "http://a.example/v1"


def test_the_model_is_remembered_with_the_connection_across_a_reopen(page, app_url, relay):
    connection_section(page)
    fill(page, "Base URL", relay.base_url)
    choose_model(page, "remembered-model")
    wait_stored(page, "r.model === 'remembered-model'")
    # Reopen the app's bare address (no ?model= in it): only the browser remembers it.
    page.goto(app_url)
    # The browser answers once its component has loaded: seconds on a busy machine.
    expect(page.get_by_role("combobox", name="model")).to_have_value(
        "remembered-model", timeout=30_000
    )
    send_prompt(page, relay, "Hello")
    assert relay.last["body"]["model"] == "remembered-model"


def test_each_saved_connection_brings_back_its_model(page, relay):
    connection_section(page)
    choose_model(page, "model-of-a")
    save_connection(page, "relay A", relay.base_url, "sk-aaaa")
    choose_model(page, "model-of-b")
    save_connection(page, "relay B", relay.base_url + "/", "sk-bbbb")
    pick_saved(page, "relay A")
    expect(page.get_by_role("combobox", name="model")).to_have_value("model-of-a")
    send_prompt(page, relay, "Hello")
    assert relay.last["body"]["model"] == "model-of-a"
