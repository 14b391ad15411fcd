"""The Connection section under AppTest: the default server, Get started, the remembered record."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

import lib.local
import lib.ui.connection as connection_ui
import lib.ui.connection_store as store
from tests.support.app import APP, KEY, all_text, plain, prompt_box

LOCAL_LABEL = "Local model (Gemma 3 270M, offline)"
TEAM_KEY = "sk-team-NEVER-IN-THE-BROWSER"


class Browser:
    """Stands in for the localStorage component: records what it is given, hands back a record."""

    def __init__(self, stored: dict | None = None) -> None:
        self.stored = json.dumps(stored or {})
        self.received: list[dict] = []

    def __call__(self, *, data, **_):
        self.received.append(data)
        # The first render of a session answers with what the browser kept.
        first = len({d["session"] for d in self.received}) == 1 and len(self.received) == 1
        return SimpleNamespace(loaded=self.stored if first else None)

    def records(self) -> list[dict]:
        return [d["record"] for d in self.received if d["record"] is not None]


@pytest.fixture
def clean(monkeypatch):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "LOCK_BASE_URL", "ALLOW_LOCAL_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def local_installed(clean, relay):
    """llama_cpp "installed", its server played by the fake relay (the real one: tests/local)."""
    server = SimpleNamespace(base_url=relay.base_url, alive=lambda: True)
    clean.setattr(lib.local, "installed", lambda: True)
    clean.setattr(connection_ui, "local_server", lambda: server)
    clean.setattr(connection_ui, "ensure_ready", lambda: True)
    return server


def header(at: AppTest) -> str:
    return " ".join(plain(c.value) for c in at.sidebar.caption)


def run(browser: Browser | None = None, monkeypatch=None, secrets: dict | None = None) -> AppTest:
    if browser is not None:
        monkeypatch.setattr(store, "_store", browser)
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_with_nothing_configured_the_local_model_is_the_default_and_answers(local_installed, relay):
    at = run()
    assert at.radio(key="connection_kind").value == "local"
    assert LOCAL_LABEL in at.radio(key="connection_kind").options
    prompt_box(at).set_value("Hello").run()
    at.button(key="btn_submit").click().run()
    assert relay.last["body"]["prompt"] == "Hello"
    assert "authorization" not in relay.last["headers"]  # the local server gets no key


@pytest.mark.parametrize("where", ["secrets", "environment"])
def test_a_configured_server_is_the_default_and_the_local_model_is_not_offered(
    local_installed, clean, where
):
    values = {"OPENAI_API_KEY": TEAM_KEY}
    if where == "environment":
        clean.setenv("OPENAI_API_KEY", TEAM_KEY)
    at = run(secrets=values if where == "secrets" else None)
    assert [r.key for r in at.radio if r.key == "connection_kind"] == []
    assert "base_url" in [t.key for t in at.text_input]


def test_a_locked_instance_offers_it_only_with_allow_local_model(local_installed):
    locked = run(secrets={"LOCK_BASE_URL": True})
    assert [r.key for r in locked.radio if r.key == "connection_kind"] == []
    allowed = run(secrets={"LOCK_BASE_URL": True, "ALLOW_LOCAL_MODEL": True})
    assert allowed.radio(key="connection_kind").value == "local"


def test_without_the_package_a_fresh_app_shows_get_started(clean):
    clean.setattr(lib.local, "installed", lambda: False)
    at = run()
    assert [h.value for h in at.subheader] == ["Get started"]
    assert "enter its base URL and API key" in all_text(at)
    assert [c.value for c in at.code if "requirements-local.txt" in c.value] == [
        "pip install -r requirements.txt -r requirements-local.txt"
    ]
    at.text_input(key="base_url").set_value("http://127.0.0.1:9/v1").run()
    assert not at.subheader  # a server typed: the panel has done its job


def test_get_started_is_not_shown_when_a_server_is_configured(clean):
    clean.setattr(lib.local, "installed", lambda: False)
    clean.setenv("OPENAI_API_KEY", KEY)
    assert not run().subheader


def test_the_remembered_url_is_restored_and_the_local_choice_too(local_installed, clean):
    browser = Browser({"local": False, "base_url": "http://remembered.example/v1", "saved": []})
    at = run(browser, clean)
    assert at.session_state["base_url"] == "http://remembered.example/v1"
    assert at.radio(key="connection_kind").value == "server"
    assert "Using: remembered.example" in header(at)  # the sidebar header names it


def test_the_key_is_stored_only_when_remember_is_ticked(local_installed, clean):
    browser = Browser()
    at = run(browser, clean)
    at.radio(key="connection_kind").set_value("server").run()
    at.text_input(key="base_url").set_value("http://typed.example/v1").run()
    at.text_input(key="api_key").set_value("sk-typed-123").run()
    records = browser.records()
    assert records[-1]["base_url"] == "http://typed.example/v1"
    assert all("sk-typed-123" not in json.dumps(r) for r in records)
    at.checkbox(key="remember_key").check().run()
    assert browser.records()[-1]["api_key"] == "sk-typed-123"


def test_a_team_key_is_never_given_to_the_browser(clean):
    clean.setattr(lib.local, "installed", lambda: False)
    clean.setenv("OPENAI_API_KEY", TEAM_KEY)
    browser = Browser()
    at = run(browser, clean, secrets={"OPENAI_API_KEY": TEAM_KEY})
    at.checkbox(key="remember_key").check().run()
    at.text_input(key="save_connection_name").set_value("team").run()
    at.button(key="save_connection").click().run()
    assert browser.received and TEAM_KEY not in json.dumps(browser.received)


def test_saved_connections_switch_the_url_and_key(local_installed, clean):
    browser = Browser(
        {"saved": [{"name": "lab", "base_url": "http://lab.example/v1", "api_key": "sk-lab"}]}
    )
    at = run(browser, clean)
    at.radio(key="connection_kind").set_value("server").run()
    at.selectbox(key="saved_connection").set_value("lab").run()
    assert at.session_state["base_url"] == "http://lab.example/v1"
    assert at.session_state["api_key"] == "sk-lab"
    assert "Using: lab" in header(at)
