"""The playground in real Chromium: typing, Ctrl+Enter, streaming, Stop, errors, escaping."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import open_app, serve_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url(relay_server, tmp_path_factory):
    # A short idle time: a closed tab's run must end soon (a page on screen keeps it alive).
    env = {"OPENAI_BASE_URL": relay_server.base_url, "RUN_IDLE_SECONDS": "5"}
    yield from serve_app(tmp_path_factory, env)


@pytest.fixture
def page(browser, app_url, relay):
    context, page = open_app(browser, app_url)
    yield page
    context.close()


def button(page, label: str):
    # A button's accessible name includes its shortcut hint ("Submit Ctrl + Enter").
    return page.get_by_role("button", name=re.compile(rf"^{label}\b"))


def prompt_box(page):
    return page.get_by_role("textbox", name="Prompt", exact=True)


def completion(page):
    return page.locator("[data-testid='stCode'] code").first


def status(page):
    return page.get_by_text("Status:").first


def choose_model(page, model: str) -> None:
    box = page.get_by_role("combobox", name="model")
    box.click()
    page.keyboard.type(model)
    page.keyboard.press("Enter")
    expect(box).to_have_value(model)


def test_ctrl_enter_streams_the_completion(page, relay):
    relay.options["token_delay"] = 0.01
    prompt_box(page).fill("Once upon a time")
    prompt_box(page).press("Control+Enter")
    assert relay.wait_for(lambda: relay.received, timeout=20)
    body = relay.last["body"]
    assert body["prompt"] == "Once upon a time"
    # The text is drawn before the status, so "done" never shows beside a stale text.
    expect(status(page)).to_have_text("Status: done", timeout=20_000)
    expect(completion(page)).to_have_text(relay.expected_text(body))
    assert page.locator("[data-testid='stException']").count() == 0


def test_stop_keeps_partial_text_and_closes_the_connection(page, relay):
    relay.options["token_delay"] = 0.1
    prompt_box(page).fill("A long story")
    button(page, "Submit").click()
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=stCode] code')?.innerText || '').length > 20"
    )
    button(page, "Stop").click()
    expect(status(page)).to_have_text("Status: stopped", timeout=10_000)
    expect(page.get_by_text("Stopped. The text above is what arrived before Stop.")).to_be_visible()
    partial = completion(page).inner_text()
    full = relay.expected_text(relay.last["body"])
    assert partial and full.startswith(partial) and len(partial) < len(full)
    # The server notices the closed connection on its next write.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=5)
    # The page stays usable: the same request can run again.
    relay.options["token_delay"] = 0
    button(page, "Regenerate").click()
    page.get_by_text("Status: done").wait_for(timeout=20_000)


def test_server_error_is_explained(page, relay):
    choose_model(page, "scenario/http_503")
    prompt_box(page).fill("hello")
    button(page, "Submit").click()
    alert = page.locator("[data-testid='stAlertContentError']").first
    alert.wait_for(timeout=20_000)
    text = alert.inner_text()
    assert "The server failed" in text and "HTTP 503" in text
    assert button(page, "Submit").is_enabled()


def test_model_output_with_html_is_shown_as_text_and_never_runs(page, relay):
    evil = '<img src=x onerror="window.__xss=1"><b>bold</b>'
    relay.options["text"] = evil
    page.get_by_role("combobox", name="logprobs").click()
    page.get_by_role("option", name="2", exact=True).click()
    prompt_box(page).fill("html please")
    prompt_box(page).press("Control+Enter")
    page.get_by_text("Token probabilities").wait_for(timeout=20_000)
    expect(completion(page)).to_have_text(evil)
    tokens = page.locator(".lp-text").first
    expect(tokens).to_have_text(evil)
    assert tokens.locator("img, b").count() == 0
    assert page.evaluate("() => window.__xss === undefined")


def test_a_run_left_mid_stream_finishes_and_reaches_history(page, relay):
    relay.options["token_delay"] = 0.15
    relay.options["natural_length"] = 25  # about 4 s of streaming
    prompt_box(page).fill("A long story")
    prompt_box(page).press("Control+Enter")
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=stCode] code')?.innerText || '').length > 5"
    )
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
    prompt_box(page).fill("Go on forever")
    prompt_box(page).press("Control+Enter")
    expect(completion(page)).to_contain_text("lorem ipsum", timeout=20_000)
    context.close()
    # Nobody is looking any more: the worker gives up and closes the connection.
    assert relay.wait_for(lambda: relay.disconnects >= 1, timeout=30)
