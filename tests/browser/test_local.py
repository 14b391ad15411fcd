"""A fresh install in real Chromium: nothing configured, the first Ctrl+Enter answers locally."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, serve_app, write_document
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
        # The first visit starts the model; the document appears once it answers.
        expect(document_box(page)).to_be_visible(timeout=180_000)
        expect(page.get_by_text("Local model (Gemma 3 270M, offline)").first).to_be_visible()
        write_document(page, "The capital of France is")
        page.keyboard.press("Control+Enter")
        expect(page.get_by_text("Status:").first).to_be_visible(timeout=120_000)
        # Some text came from the model, right after the prompt in the document.
        expect(model_text(page)).to_have_text(re.compile(r"\S"), timeout=120_000)
        expect(document_box(page)).to_have_text(re.compile(r"^The capital of France is\s*\S"))
    finally:
        context.close()


def test_local_logprobs_render_as_shaded_tokens(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?logprobs=2&max_tokens=8&temperature=0")
        expect(document_box(page)).to_be_visible(timeout=180_000)
        write_document(page, "One, two, three,")
        page.keyboard.press("Control+Enter")
        probabilities = page.get_by_text("Token probabilities", exact=True)
        expect(probabilities).to_have_count(1, timeout=120_000)
        expect(probabilities).to_be_visible()
        # "Show probabilities" shades the completion's tokens in the document.
        page.get_by_text("Show probabilities", exact=True).click()
        tokens = model_text(page).locator(".cp-tok")
        expect(tokens.first).to_be_visible()
        expect(model_text(page)).to_have_text(re.compile(r"\S"))
        assert tokens.first.evaluate("(t) => t.style.background") not in ("", "transparent")
    finally:
        context.close()
