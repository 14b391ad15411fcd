"""The first run of the local model in real Chromium: one toolbar, and nothing moves (#18).

The run before the one that sends drew the model's start-up status above the toolbar; the
sending run did not, and Streamlit showed the earlier run's toolbar, half replaced, as a second
row under the mode tabs for the whole stream (the document 56 px lower, two Share buttons).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, write_document
from tests.support.layout import LAYOUT_SAMPLER, SETTLED, assert_steady, layout_samples
from tests.support.local import NEEDS_LOCAL_MODEL

pytestmark = [pytest.mark.browser, *NEEDS_LOCAL_MODEL]

APP_ENV = {"OPENAI_BASE_URL": None}  # nothing configured: the local model is the default


def test_the_first_local_run_shows_one_toolbar_and_moves_nothing(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        page.goto(app_url)
        # This visit starts the model; its status stays on the page once it is ready.
        expect(page.get_by_text("The local model is ready.")).to_be_visible(timeout=180_000)
        expect(document_box(page)).to_be_visible()
        page.evaluate(SETTLED)
        page.evaluate(LAYOUT_SAMPLER)
        # Sent at once, so the sending script run is the first after the one with the status.
        write_document(page, "The capital of France is")
        page.keyboard.press("Control+Enter")
        expect(model_text(page)).to_have_text(re.compile(r"\S"), timeout=120_000)
        expect(page.get_by_text(re.compile(r"^Status: (done|stopped)"))).to_be_visible()
        samples = layout_samples(page)
        # The ready status above the toolbar is gone now; the document is where it ends up.
        assert_steady(samples, page.evaluate(SETTLED))
    finally:
        context.close()
