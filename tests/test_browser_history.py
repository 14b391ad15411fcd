"""History in real Chromium: it survives a reload, and export → clear → import restores it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser import open_app, send_prompt, serve_app

pytestmark = pytest.mark.browser
KEY = "sk-browser-history-SECRET"


@pytest.fixture(scope="module")
def app_url(relay_server, tmp_path_factory):
    env = {"OPENAI_BASE_URL": relay_server.base_url, "OPENAI_API_KEY": KEY}
    yield from serve_app(tmp_path_factory, env)


@pytest.fixture
def page(browser, app_url, relay):
    context, page = open_app(browser, app_url)
    yield page
    context.close()


STORED = "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"


def run_prompt(page, relay, text: str) -> None:
    sent = len(relay.received)
    send_prompt(page, relay, text)
    # Finished runs reach browser storage on the page's next update.
    page.wait_for_function(f"() => ({STORED})().length === {sent + 1}", timeout=20_000)


def go_to_history(page) -> None:
    page.get_by_role("link", name="History").click()
    page.get_by_role("heading", name="History").wait_for()


def entry_headers(page):
    # Entries are in the main area; the sidebar has expanders of its own on other pages.
    return page.locator("[data-testid='stMain'] [data-testid='stExpander'] summary")


def test_history_survives_reload_and_import_restores_it(page, relay, tmp_path):
    run_prompt(page, relay, "first prompt")
    run_prompt(page, relay, "second prompt")
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"

    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    go_to_history(page)
    headers = entry_headers(page)
    expect(headers).to_have_count(2)
    assert "second prompt" in headers.nth(0).inner_text()
    assert "first prompt" in headers.nth(1).inner_text()

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all").click()
    exported = tmp_path / "history.json"
    download.value.save_as(exported)
    data = exported.read_bytes()
    assert KEY.encode() not in data and b"Bearer" not in data
    assert len(json.loads(data)["entries"]) == 2

    page.get_by_role("button", name="Clear", exact=True).click()
    page.get_by_role("button", name="Clear everything").click()
    page.get_by_text("No runs yet").wait_for()
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    page.get_by_text("No runs yet").wait_for()  # the clear reached browser storage too

    page.get_by_role("button", name=re.compile("^Import")).click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(exported))
    page.get_by_text("Imported 2 entries").wait_for(timeout=10_000)
    expect(entry_headers(page)).to_have_count(2)
    page.reload()
    page.wait_for_selector("[data-testid='stApp']")
    expect(entry_headers(page)).to_have_count(2)


BLOCKED_STORAGE = {
    "unavailable": """Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('denied', 'SecurityError'); }});""",
    "full": """Storage.prototype.setItem = function () {
        throw new DOMException('quota', 'QuotaExceededError'); };""",
}


@pytest.mark.parametrize(
    ("kind", "note"),
    [
        ("unavailable", "does not allow local storage"),
        ("full", "storage is full, so the history will not survive a reload"),
    ],
)
def test_without_browser_storage_history_still_works_and_says_so(
    browser,
    app_url,
    relay,
    kind,
    note,
):
    context = browser.new_context()
    context.add_init_script(BLOCKED_STORAGE[kind])
    page = context.new_page()
    page.goto(app_url)
    box = page.get_by_role("textbox", name="Prompt", exact=True)
    box.fill("no storage here")
    box.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == 1, timeout=20)
    page.get_by_text("Status: done").wait_for(timeout=20_000)
    go_to_history(page)
    page.get_by_text(note).wait_for(timeout=10_000)
    expect(entry_headers(page).first).to_contain_text("no storage here")
    assert page.locator("[data-testid='stException']").count() == 0
    context.close()
