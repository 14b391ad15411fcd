"""A fresh install in real Chromium: nothing configured, the first Ctrl+Enter answers locally;
a browser that remembers a server never starts the local model."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lib.local import MODEL_ALIAS
from lib.ui.storage.connection_store import STORAGE_KEY
from tests.support.browser import (
    app_process,
    document_box,
    model_text,
    send_prompt,
    wait_healthy,
    write_document,
)
from tests.support.local import NEEDS_LOCAL_MODEL

pytestmark = [pytest.mark.browser, *NEEDS_LOCAL_MODEL]


APP_ENV = {"OPENAI_BASE_URL": None}  # no OPENAI_* anywhere (serve_app drops the rest)


def test_a_fresh_app_answers_the_first_ctrl_enter_from_the_local_model(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(app_url)
        # The first paint shows the document at once; the first visit starts the model.
        expect(document_box(page)).to_be_visible(timeout=180_000)
        expect(page.get_by_text("Local model (Gemma 3 270M, offline)").first).to_be_visible()
        # The model box names what the local server lists once it answers, and that is sent.
        expect(page.get_by_role("combobox", name="model")).to_have_value(
            MODEL_ALIAS, timeout=180_000
        )
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


def test_the_local_model_counts_tokens_before_and_after_a_run(browser, app_url):
    """Issue #21's "done when": the exact count and the meter before sending, then real counts
    (counted with the server's tokenizer: its streams carry no usage) and tokens/s."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400})
    page = context.new_page()
    try:
        page.goto(app_url)
        expect(document_box(page)).to_be_visible(timeout=180_000)
        write_document(page, "Write a long story about a fox:")
        line = page.get_by_text(re.compile(r"^Prompt: \d+ tokens · context \d+ / 2048"))
        expect(line).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Samplers of this server (llama-cpp-python)")).to_be_visible()
        page.keyboard.press("Control+Enter")
        status = page.get_by_text(re.compile(r"Status: done.* tokens/s .*\(counted\)"))
        expect(status).to_be_visible(timeout=120_000)
        expect(page.get_by_text("chunks/s")).to_have_count(0)
    finally:
        context.close()


def llama_servers_of(pid: int) -> list[int]:
    """Child processes of `pid` that run llama_cpp.server."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(text[text.rindex(")") + 2 :].split()[1])
        if parent == pid and b"llama_cpp.server" in cmdline:
            found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """Another fresh app (nothing configured), whose process this module can look under."""
    log = tmp_path_factory.mktemp("streamlit") / "app.log"
    with app_process({}, log) as (url, proc):
        wait_healthy(url, proc, log)
        yield url, proc


def test_a_browser_that_remembers_a_server_never_starts_the_local_model(browser, own_app, relay):
    url, proc = own_app
    remembered = {
        "local": False,
        "base_url": relay.base_url,
        "saved": [{"name": "my relay", "base_url": relay.base_url}],
    }
    item = {"name": STORAGE_KEY, "value": json.dumps(remembered)}
    storage = {"cookies": [], "origins": [{"origin": url, "localStorage": [item]}]}
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, storage_state=storage)
    try:
        page = context.new_page()
        page.goto(url)
        expect(page.get_by_text("Using: my relay", exact=True)).to_be_visible(timeout=60_000)
        expect(document_box(page)).to_be_visible()
        send_prompt(page, relay, "Hello")  # the remembered server is the one that answers
        expect(model_text(page)).to_have_text(re.compile(r"\S"), timeout=20_000)
        assert llama_servers_of(proc.pid) == []
        expect(page.get_by_text("Starting the local model")).to_have_count(0)
    finally:
        context.close()
