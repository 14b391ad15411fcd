"""Browser-test support: the app under `streamlit run` and Debian's Chromium via Playwright."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from tests.support.paths import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # The machine has no internet; without these Chromium keeps dialling out and failing.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """Run the app headless on a free port; yield its URL once /_stcore/health says ok."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**clean, **env}, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def serve_app(tmp_path_factory, env: dict[str, str]) -> Iterator[str]:
    """Body of a module-scoped fixture: the app running with `env`, its log in a temp dir."""
    log = tmp_path_factory.mktemp("streamlit") / "app.log"
    with streamlit_server(env, log) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_app(browser, url: str, **context_options):
    """A fresh browser context (its own cookies and session) on the app, fully loaded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, **context_options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    page.locator(".st-key-prompt textarea").wait_for()  # the same in every language
    return context, page


def send_prompt(page, relay, text: str) -> None:
    """Type a prompt, press Ctrl+Enter and wait until the relay has received the request."""
    sent = len(relay.received)
    box = page.get_by_role("textbox", name="Prompt", exact=True)
    box.fill(text)
    box.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == sent + 1, timeout=20)
