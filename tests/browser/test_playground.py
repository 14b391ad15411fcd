"""The playground in real Chromium: typing, Ctrl+Enter, streaming, Stop, errors, escaping."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, open_app, write_document
from tests.support.layout import LAYOUT_SAMPLER, SETTLED, assert_steady, layout_samples

pytestmark = pytest.mark.browser


# A short idle time: a closed tab's run must end soon (a page on screen keeps it alive).
APP_ENV = {"RUN_IDLE_SECONDS": "5"}


def button(page, label: str):
    # A button's accessible name includes its shortcut hint ("Submit Ctrl + Enter").
    return page.get_by_role("button", name=re.compile(rf"^{label}\b"))


def status(page):
    return page.get_by_text("Status:").first


DONE = re.compile(r"^Status: done\b")
# Some characters at least: the completion is visibly streaming into the document.
SOME = re.compile(r"\S{3}")


def live_text(page):
    """The completion while it streams into the document."""
    return document_box(page).locator(".cp-live")


def choose_model(page, model: str) -> None:
    box = page.get_by_role("combobox", name="model")
    box.click()
    page.keyboard.type(model)
    page.keyboard.press("Enter")
    expect(box).to_have_value(model)


def test_ctrl_enter_streams_the_completion_into_the_document(page, relay):
    relay.options["token_delay"] = 0.01
    write_document(page, "Once upon a time")
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: relay.received, timeout=20)
    body = relay.last["body"]
    assert body["prompt"] == "Once upon a time"
    expect(status(page)).to_have_text(DONE, timeout=20_000)
    # The completion continues the prompt in place, marked as the model's.
    expected = relay.expected_text(body)
    expect(model_text(page)).to_have_text(expected)
    expect(document_box(page)).to_have_text("Once upon a time" + expected)
    assert page.locator("[data-testid='stException']").count() == 0


def test_stop_keeps_partial_text_and_closes_the_connection(page, relay):
    relay.options["token_delay"] = 0.1
    write_document(page, "A long story")
    button(page, "Submit").click()
    expect(live_text(page)).to_have_text(re.compile(r"[\s\S]{21}"), timeout=20_000)
    button(page, "Stop").click()
    expect(status(page)).to_have_text(re.compile(r"^Status: stopped\b"), timeout=10_000)
    expect(page.get_by_text("Stopped. The text above is what arrived before Stop.")).to_be_visible()
    expect(live_text(page)).to_have_count(0)
    partial = model_text(page).text_content()
    full = relay.expected_text(relay.last["body"])
    assert partial and full.startswith(partial) and len(partial) < len(full)
    expect(document_box(page)).to_have_text("A long story" + partial)
    # The server notices the closed connection on its next write.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)
    # The page stays usable: Regenerate takes the partial text out and sends the prompt again.
    relay.options["token_delay"] = 0
    button(page, "Regenerate").click()
    assert relay.wait_for(lambda: len(relay.received) == 2, timeout=20)
    assert relay.last["body"]["prompt"] == "A long story"
    expect(status(page)).to_have_text(DONE, timeout=20_000)
    expect(document_box(page)).to_have_text("A long story" + full)


def test_server_error_is_explained(page, relay):
    choose_model(page, "scenario/http_503")
    write_document(page, "hello")
    button(page, "Submit").click()
    alert = page.locator("[data-testid='stAlertContentError']").first
    alert.wait_for(timeout=20_000)
    text = alert.inner_text()
    assert "The server failed" in text and "HTTP 503" in text
    expect(button(page, "Submit")).to_be_enabled()  # the run's end redraws the toolbar
    expect(document_box(page)).to_have_text("hello")  # nothing arrived: the document is kept


def test_model_output_with_html_is_shown_as_text_and_never_runs(page, relay):
    evil = '<img src=x onerror="window.__xss=1"><b>bold</b>'
    relay.options["text"] = evil
    page.get_by_role("combobox", name="logprobs").click()
    page.get_by_role("option", name="2", exact=True).click()
    write_document(page, "html please")
    page.keyboard.press("Control+Enter")
    probabilities = page.get_by_text("Token probabilities", exact=True)
    expect(probabilities).to_have_count(1, timeout=20_000)
    expect(probabilities).to_be_visible()
    expect(model_text(page)).to_have_text(evil)
    # Shaded token by token in the document, still as text.
    page.get_by_text("Show probabilities", exact=True).click()
    tokens = document_box(page).locator(".cp-tok")
    expect(tokens.first).to_be_visible()
    expect(model_text(page)).to_have_text(evil)
    assert document_box(page).locator("img, b").count() == 0
    assert page.locator("img[src='x']").count() == 0
    assert page.evaluate("() => window.__xss === undefined")


def test_a_run_left_mid_stream_finishes_and_reaches_history(page, relay):
    relay.options["token_delay"] = 0.15
    relay.options["natural_length"] = 25  # about 4 s of streaming
    write_document(page, "A long story")
    page.keyboard.press("Control+Enter")
    expect(live_text(page)).to_have_text(SOME, timeout=20_000)
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    body = relay.last["body"]
    # The run ends while History is open, and shows up there without going back.
    entry = page.locator("[data-testid='stMainBlockContainer'] [data-testid='stExpander']")
    expect(entry).to_have_count(1, timeout=30_000)
    entry.first.click()
    expect(entry.first).to_contain_text(relay.expected_text(body)[:30])


def test_closing_the_tab_stops_the_run_and_the_upstream(browser, app_url, relay):
    relay.options["endless"] = True
    relay.options["token_delay"] = 0.05
    context, page = open_app(browser, app_url)
    write_document(page, "Go on forever")
    page.keyboard.press("Control+Enter")
    expect(live_text(page)).to_contain_text("lorem ipsum", timeout=20_000)
    context.close()
    # Nobody is looking any more: the worker gives up and closes the connection.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=30)


def test_one_toolbar_and_a_document_that_stays_put_while_a_slow_answer_streams(page, relay):
    # Issue #18: during a slow first answer the page showed the run before's editor under
    # the new status line (with the local model, a second toolbar too): the document dropped.
    relay.options["response_delay"] = 2
    relay.options["token_delay"] = 0.05
    relay.options["natural_length"] = 12
    write_document(page, "Slowly, then")
    before = page.evaluate(SETTLED)
    page.evaluate(LAYOUT_SAMPLER)
    page.keyboard.press("Control+Enter")
    expect(status(page)).to_have_text(re.compile(r"^Status: running"), timeout=20_000)
    expect(status(page)).to_have_text(DONE, timeout=30_000)
    assert_steady(layout_samples(page), before)
