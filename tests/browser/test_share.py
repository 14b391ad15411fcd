"""Share links in real Chromium: the address bar is the request, long unicode prompts too."""

from __future__ import annotations

import random
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from lib.request.fields import DEFAULTS
from lib.request.share import link
from tests.support.browser import document_box, open_app, write_document

pytestmark = pytest.mark.browser


def test_address_bar_follows_the_request_and_reopens_it(browser, app_url, relay):
    context, page = open_app(browser, app_url)
    write_document(page, "Shared from the address bar")
    page.keyboard.press("Tab")  # leaving the document hands it over at once
    page.wait_for_function("() => location.search.includes('prompt=')")
    shared = page.url
    assert parse_qs(urlsplit(shared).query)["prompt"] == ["Shared from the address bar"]
    context.close()

    context, page = open_app(browser, shared)
    expect(document_box(page)).to_have_text("Shared from the address bar")
    context.close()


def test_long_chinese_prompt_link(browser, app_url, relay):
    rng = random.Random(11)
    prompt = "".join(rng.choice("你好世界模型补全接口请求参数温度标记概率") for _ in range(20_000))
    context, page = open_app(browser, link(app_url, {**DEFAULTS, "prompt": prompt}))
    expect(document_box(page)).to_have_text(prompt)
    document_box(page).press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == 1, timeout=20)
    assert relay.last["body"]["prompt"] == prompt
    context.close()


def test_bad_link_values_are_reset_with_a_note(browser, app_url, relay):
    context, page = open_app(browser, f"{app_url}/?temperature=7&prompt=kept&n=zero")
    page.get_by_text("This link had values that could not be used").wait_for()
    expect(document_box(page)).to_have_text("kept")
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()
