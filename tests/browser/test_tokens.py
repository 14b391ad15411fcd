"""Tokens and presets in real Chromium: the count follows typing; presets survive a reload."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.support.browser import app_process, open_app, wait_healthy, write_document
from tests.support.fake_relay.generator import fake_tokens

pytestmark = pytest.mark.browser
PRESETS_KEY = "completions-playground.presets.v1"


def test_the_prompt_count_follows_typing(browser, app_url, relay):
    relay.options["server_shape"] = "llama-cpp-python"  # before the session probes its server
    context, page = open_app(browser, app_url)
    try:
        for text in ("Hello there", "Hello there, a quick brown fox jumps"):
            write_document(page, text)
            line = page.get_by_text("Prompt:", exact=False)
            expect(line).to_contain_text(f"Prompt: {len(fake_tokens(text))} tokens")
        assert relay.received == []  # counted, nothing sent
        assert relay.probes[-1]["body"]["input"] == "Hello there, a quick brown fox jumps"
    finally:
        context.close()


def test_a_fresh_server_counts_an_openai_prompt_exactly_once_its_tokenizer_loaded(
    browser, relay, tmp_path
):
    """The first page of a fresh server does not wait for tiktoken (about a second to load):
    it shows an estimate, then the exact count without anyone typing again."""
    log = tmp_path / "app.log"
    env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-test"}
    with app_process(env, log) as (url, proc):
        wait_healthy(url, proc, log)
        context, page = open_app(browser, url + "/?prompt=Hello%20world")
        try:
            line = page.get_by_text("Prompt:", exact=False)
            expect(line).to_contain_text("Prompt: 2 tokens", timeout=30_000)  # cl100k, no ≈
            assert relay.received == []
        finally:
            context.close()


def test_a_saved_preset_survives_a_reload(browser, app_url, relay):
    context, page = open_app(browser, app_url)
    try:
        page.get_by_text("Presets", exact=True).click()
        page.get_by_label("Name", exact=True).fill("Mine")
        page.get_by_label("Name", exact=True).press("Enter")
        page.get_by_role("button", name="Save preset").click()
        expect(page.get_by_text("Saved “Mine” in this browser.")).to_be_visible()
        page.wait_for_function(
            f"() => (localStorage.getItem({json.dumps(PRESETS_KEY)}) || '').includes('Mine')"
        )
        page.reload()
        page.wait_for_selector("[data-testid='stApp']")
        page.get_by_text("Presets", exact=True).click()
        page.get_by_role("combobox", name="Preset").click()
        expect(page.get_by_role("option", name="Mine", exact=True)).to_be_visible()
    finally:
        context.close()
