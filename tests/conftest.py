"""Fixtures shared by the test suite: the fake relay (a real HTTP server on loopback)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

# AppTest follows a streaming run to its end, as the browser's live region does.
from tests.support.app import follow_runs  # noqa: F401

# One Chromium for every browser test; the app per test module, and a page on it per test.
from tests.support.browser import app_url, browser, no_page_errors, page  # noqa: F401
from tests.support.fake_relay import FakeRelay


@pytest.fixture(scope="session", autouse=True)
def tokenizer_loaded() -> None:
    """AppTest runs the app in this process: the OpenAI tokenizer is loaded once, first, as a
    running server's is a moment after its first page (tests/tokens covers the wait)."""
    from lib.tokens import openai_ids

    openai_ids.count("gpt-3.5-turbo-instruct", "")


@pytest.fixture(scope="session")
def relay_server() -> Iterator[FakeRelay]:
    """One fake relay for the whole session; prefer `relay`, which resets it per test."""
    with FakeRelay() as server:
        yield server


@pytest.fixture
def relay(relay_server: FakeRelay) -> Iterator[FakeRelay]:
    """The fake relay, reset: scenario "normal", no options, nothing received.

    Set `relay.scenario` / `relay.options[...]`, point a client at `relay.base_url`, then read
    `relay.received` (or `relay.last`) to see what the server got.
    """
    relay_server.reset()
    yield relay_server
    # Resetting again releases handlers a test left hanging (hang scenarios).
    relay_server.reset()


@pytest.fixture
def dead_base_url() -> str:
    """A loopback base URL where nothing listens, for connection-refused cases."""
    # Bind to get a free port, then close it; a tiny race with other processes is acceptable.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def make_app(relay, monkeypatch):
    """An AppTest factory for the app pointed at the fake relay: query and secrets in, run once."""
    from streamlit.testing.v1 import AppTest

    from tests.support.paths import APP

    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)

    def make(query: dict | None = None, secrets: dict | None = None) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for name, value in (query or {}).items():
            at.query_params[name] = value
        for name, value in (secrets or {}).items():
            at.secrets[name] = value
        at.run()
        assert not at.exception
        return at

    return make
