"""The sidebar form in real Chromium: what is on screen is what the relay receives."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import send_prompt

pytestmark = pytest.mark.browser


def submit_button(page):
    return page.get_by_role("button", name=re.compile(r"^Submit\b"))


def stop_box(page):
    return page.locator(".st-key-stop input")


def chosen_stops(page):
    return page.locator(".st-key-stop .react-aria-ComboBox [data-tag]")


def type_stop(page, text: str) -> None:
    box = stop_box(page)
    box.click()
    box.press_sequentially(text)
    box.press("Enter")
    box.press("Escape")  # close the (empty) option list, as a person moving on would


def test_enter_adds_exactly_the_typed_stop_sequence(page, relay):
    type_stop(page, "\\n")
    expect(chosen_stops(page)).to_have_count(1)
    expect(chosen_stops(page).first).to_contain_text("\\n")
    type_stop(page, "END")
    type_stop(page, "Us")
    expect(chosen_stops(page)).to_have_count(3)
    send_prompt(page, relay, "Say this is a test")
    assert relay.last["body"]["stop"] == ["\n", "END", "Us"]


def test_a_suggestion_is_added_only_when_picked(page, relay):
    page.locator(".st-key-_stop_suggestion").get_by_role("radio", name="###").click()
    expect(chosen_stops(page)).to_have_count(1)
    expect(chosen_stops(page).first).to_contain_text("###")
    send_prompt(page, relay, "Say this is a test")
    assert relay.last["body"]["stop"] == "###"


@pytest.mark.parametrize(("name", "typed"), [("max_tokens", "0"), ("n", "0"), ("n", "-5")])
def test_an_out_of_range_number_is_explained_and_blocks_submit(page, relay, name, typed):
    box = page.get_by_role("spinbutton", name=name, exact=True)
    box.fill(typed)
    box.press("Enter")
    expect(page.get_by_text(re.compile(rf"^{name} must be"))).to_be_visible()
    expect(submit_button(page)).to_be_disabled()
    expect(box).to_have_value(typed)
    assert relay.received == []


@pytest.mark.parametrize("name", ["best_of", "seed"])
def test_best_of_and_seed_can_be_emptied(page, relay, name):
    page.get_by_text("Advanced").click()
    box = page.get_by_role("spinbutton", name=name, exact=True)
    box.fill("2")
    box.press("Enter")
    expect(page).to_have_url(re.compile(rf"[?&]{name}=2"))
    box.fill("")
    box.press("Enter")
    expect(page).not_to_have_url(re.compile(rf"[?&]{name}="))
    expect(box).to_have_value("")
    send_prompt(page, relay, "Say this is a test")
    assert name not in relay.last["body"]
