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

APP_SCRIPT = ROOT / "streamlit_app.py"

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
def app_process(env: dict[str, str], log: Path, app: Path = APP_SCRIPT) -> Iterator[tuple]:
    """Start `streamlit run app` headless on a free port; yield (url, process), stop it after."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**clean, **env}, stdout=out, stderr=out)
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL if it is still there after 10 s."""
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    """Return once the app's /_stcore/health says ok; fail with the log's end if it never does."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if requests.get(f"{url}/_stcore/health", timeout=1).text == "ok":
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")
        try:  # between two asks, wait on the process: one that exits ends the wait at once
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited: {log.read_text()[-2000:]}")


@contextmanager
def streamlit_server(env: dict[str, str], log: Path, app: Path = APP_SCRIPT) -> Iterator[str]:
    """Run the app headless on a free port; yield its URL once /_stcore/health says ok."""
    with app_process(env, log, app) as (url, proc):
        wait_healthy(url, proc, log)
        yield url


def serve_app(tmp_path_factory, env: dict[str, str]) -> Iterator[str]:
    """Body of a module-scoped fixture: the app running with `env`, its log in a temp dir."""
    log = tmp_path_factory.mktemp("streamlit") / "app.log"
    with streamlit_server(env, log) as url:
        yield url


@pytest.fixture(scope="module")
def app_url(request, relay_server, tmp_path_factory) -> Iterator[str]:
    """The app served once for a test module, pointed at the fake relay.

    A module adds settings with a module-level ``APP_ENV = {"NAME": "value"}``; a value of None
    removes one (``{"OPENAI_BASE_URL": None}``: nothing configured, as on a fresh install).
    """
    env = {"OPENAI_BASE_URL": relay_server.base_url, **getattr(request.module, "APP_ENV", {})}
    yield from serve_app(tmp_path_factory, {k: v for k, v in env.items() if v is not None})


@pytest.fixture
def page(browser, app_url, relay):
    """The playground in a fresh browser context (its own session), fully loaded."""
    context, page = open_app(browser, app_url)
    yield page
    context.close()


# What the pages of this test threw in the browser and nobody caught: the browser fixture
# listens on every context it opens. Streamlit's frontend that throws has blanked the page.
PAGE_ERRORS: list[str] = []


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import expect, sync_playwright

    # A state the page reaches after a rerun may take more than Playwright's 5 s on a busy
    # 2-core machine (the suite's own browsers and app servers share it); waits still end as
    # soon as the state holds.
    expect.set_options(timeout=20_000)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        new_context = instance.new_context

        def listening_context(*args, **kwargs):
            context = new_context(*args, **kwargs)
            context.on("weberror", lambda error: PAGE_ERRORS.append(str(error.error)))
            return context

        instance.new_context = listening_context
        yield instance
        instance.close()


@pytest.fixture(autouse=True)
def no_page_errors():
    """Every test: no page it opened threw an error that nothing caught."""
    PAGE_ERRORS.clear()
    yield
    assert not PAGE_ERRORS, f"a page threw in the browser: {PAGE_ERRORS[:3]}"


def open_app(browser, url: str, **context_options):
    """A fresh browser context (its own cookies and session) on the app, fully loaded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, **context_options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    document_box(page).wait_for()  # the same in every language
    return context, page


def document_box(page):
    """The playground's document editor (in the component's open shadow root)."""
    return page.locator("[data-testid='document']")


def model_text(page):
    """A finished completion in the document (while it streams it is `.cp-live`)."""
    return document_box(page).locator(".cp-model:not(.cp-live)")


def write_document(page, text: str) -> None:
    """Replace the whole document with `text`, typed as a person would: once the editor takes
    typing (it is read-only until the page has taken in the end of a run)."""
    from playwright.sync_api import expect

    box = document_box(page)
    expect(box).to_have_attribute("contenteditable", "plaintext-only")
    box.click()
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(text)


def send_prompt(page, relay, text: str) -> None:
    """Type the document, press Ctrl+Enter and wait until the relay has received the request."""
    sent = len(relay.received)
    write_document(page, text)
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == sent + 1, timeout=20)
