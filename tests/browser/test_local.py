"""A fresh install in real Chromium: nothing configured, the first Ctrl+Enter answers locally."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import serve_app
from tests.support.local import NEEDS_LOCAL_MODEL

pytestmark = [pytest.mark.browser, *NEEDS_LOCAL_MODEL]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    yield from serve_app(tmp_path_factory, {})  # no OPENAI_* anywhere (serve_app drops them)


def test_a_fresh_app_answers_the_first_ctrl_enter_from_the_local_model(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(app_url)
        # The first visit starts the model; the prompt box appears once it answers.
        box = page.get_by_role("textbox", name="Prompt", exact=True)
        expect(box).to_be_visible(timeout=180_000)
        expect(page.get_by_text("Local model (Gemma 3 270M, offline)").first).to_be_visible()
        box.fill("The capital of France is")
        box.press("Control+Enter")
        answer = page.locator("[data-testid='stCode'] code").first
        expect(page.get_by_text("Status:").first).to_be_visible(timeout=120_000)
        expect(answer).to_have_text(re.compile(r"\S"))  # some text came from the model
    finally:
        context.close()


def test_local_logprobs_render_as_shaded_tokens(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?logprobs=2&max_tokens=8&temperature=0")
        box = page.get_by_role("textbox", name="Prompt", exact=True)
        expect(box).to_be_visible(timeout=180_000)
        box.fill("One, two, three,")
        box.press("Control+Enter")
        expect(page.get_by_text("Token probabilities")).to_be_visible(timeout=120_000)
        tokens = page.locator(".lp-text").first
        expect(tokens).to_have_text(re.compile(r"\S"))
        expect(tokens.locator(".lp-tok").first).to_be_visible()
    finally:
        context.close()
