"""The Connection section under AppTest: the default server, Get started, the remembered record."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

import lib.local
import lib.ui.playground.connection as connection_ui
import lib.ui.storage.connection_store as store
from lib.local.server import model_ids
from lib.ui.storage import browser_storage
from tests.support.app import APP, KEY, all_text, plain, prompt_box, set_model, submit

LOCAL_LABEL = "Local model (Gemma 3 270M, offline)"
TEAM_KEY = "sk-team-NEVER-IN-THE-BROWSER"


class Browser:
    """Stands in for the browser: records what the connection store writes to localStorage,
    and answers the storage reader with a remembered record."""

    def __init__(self, stored: dict | None = None, answer_on: int = 1) -> None:
        self.stored = json.dumps(stored or {})
        self.received: list[dict] = []
        self.reads = 0
        # A real browser answers after the first paint (its trigger reruns the script): the
        # answer then arrives on render 2. Render 1 is quicker to test with.
        self.answer_on = answer_on

    def install(self, monkeypatch) -> Browser:
        monkeypatch.setattr(store, "_store", self._write)
        monkeypatch.setattr(browser_storage, "_reader", self._read)
        return self

    def _write(self, *, data, **_) -> None:
        self.received.append(data[0])  # lib/ui/component_data.py

    def _read(self, **_) -> SimpleNamespace:
        # One render of a session answers with what the browser kept.
        self.reads += 1
        kept = {"kept": {store.STORAGE_KEY: self.stored}, "live": None}
        return SimpleNamespace(loaded=json.dumps(kept) if self.reads == self.answer_on else None)

    def records(self) -> list[dict]:
        return [d["value"] for d in self.received if d["value"] is not None]


@pytest.fixture
def clean(monkeypatch):
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "LOCK_BASE_URL", "ALLOW_LOCAL_MODEL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def local_installed(clean, relay):
    """llama_cpp "installed", its server played by the fake relay (the real one: tests/local)."""
    ids = model_ids(relay.base_url)  # asked once, as LocalServer does when it becomes ready
    relay.reset()
    server = SimpleNamespace(base_url=relay.base_url, alive=lambda: True, models=lambda: ids)
    clean.setattr(lib.local, "installed", lambda: True)
    clean.setattr(connection_ui, "local_server", lambda: server)
    clean.setattr(connection_ui, "ensure_ready", lambda: True)
    return server


def header(at: AppTest) -> str:
    return " ".join(plain(c.value) for c in at.sidebar.caption)


def run(browser: Browser | None = None, monkeypatch=None, secrets: dict | None = None) -> AppTest:
    if browser is not None:
        browser.install(monkeypatch)
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


@pytest.mark.parametrize("echo_seconds, kind", [(store.ECHO_SECONDS, "server"), (0.0, "local")])
def test_a_late_echo_of_the_first_paint_does_not_undo_the_restore(
    local_installed, clean, echo_seconds, kind
):
    """The browser answers after the first paint (the radio on the local model); a request it
    sent before it had the restore carries the radio's old value. Within the echo window that
    is no change (the local model must not start); after it, it is the person's choice."""
    clean.setattr(store, "ECHO_SECONDS", echo_seconds)
    started = []
    clean.setattr(connection_ui, "ensure_ready", lambda: started.append(1) or True)
    at = run(Browser({"local": False, "base_url": "http://remembered.example/v1"}, answer_on=2),
             clean)  # fmt: skip
    assert at.radio(key="connection_kind").value == "local"  # the first paint
    at.run()  # the browser's answer
    assert at.session_state["connection_kind"] == "server" and started == []
    at.radio(key="connection_kind").set_value("local").run()  # the old value, sent late
    at.run()
    assert at.session_state["connection_kind"] == kind
    assert bool(started) == (kind == "local")


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


@pytest.fixture
def starts(local_installed, clean) -> list[int]:
    """Each time the page asks for the local model to be started (and waits for it)."""
    calls: list[int] = []
    clean.setattr(connection_ui, "ensure_ready", lambda: calls.append(1) or True)
    local_installed.alive = lambda: bool(calls)
    return calls


def test_a_remembered_server_keeps_the_local_model_from_starting(starts, clean, relay):
    browser = Browser({"local": False, "base_url": relay.base_url, "saved": []}, answer_on=2)
    at = run(browser, clean)  # the first paint: the browser has not answered yet
    assert starts == []
    at.run()  # its answer reruns the script
    assert at.radio(key="connection_kind").value == "server"
    assert "Using: 127.0.0.1" in header(at)
    at.run()
    assert starts == []  # the local model was never started


def test_the_local_model_starts_once_the_browser_has_nothing_else_to_say(starts, clean):
    at = run(Browser({}, answer_on=2), clean)
    assert starts == []
    assert "Starting the local model" in all_text(at)  # the note while it is not known yet
    at.run()
    assert at.radio(key="connection_kind").value == "local"
    assert starts == [1]


# -- saved connections: the name follows the pick, and nothing is overwritten without asking --

RELAY_A = {"name": "relay A", "base_url": "http://a.example/v1", "api_key": "sk-a"}
RELAY_B = {"name": "relay B", "base_url": "http://b.example/v1", "api_key": "sk-b"}


def saved_in_browser(browser: Browser) -> dict[str, dict]:
    return {e["name"]: e for e in browser.records()[-1]["saved"]}


def on_server(browser: Browser, monkeypatch) -> AppTest:
    at = run(browser, monkeypatch)
    at.radio(key="connection_kind").set_value("server").run()
    return at


def test_the_name_box_follows_the_saved_connection_picked(local_installed, clean):
    at = on_server(Browser({"saved": [RELAY_A, RELAY_B]}), clean)
    at.selectbox(key="saved_connection").set_value("relay B").run()
    assert at.text_input(key="save_connection_name").value == "relay B"
    at.selectbox(key="saved_connection").set_value("relay A").run()
    assert at.text_input(key="save_connection_name").value == "relay A"
    assert at.session_state["base_url"] == "http://a.example/v1"


def save_as(at: AppTest, name: str, url: str, key: str) -> None:
    at.text_input(key="base_url").set_value(url).run()
    at.text_input(key="api_key").set_value(key).run()
    at.checkbox(key="remember_key").check().run()
    at.text_input(key="save_connection_name").set_value(name).run()
    at.button(key="save_connection").click().run()


def test_saving_after_switching_overwrites_nothing(local_installed, clean):
    # The steps: save A, save B, pick A, Save: B keeps its URL and key.
    browser = Browser()
    at = on_server(browser, clean)
    save_as(at, "relay A", "http://a.example/v1", "sk-a")
    save_as(at, "relay B", "http://b.example/v1", "sk-b")
    at.selectbox(key="saved_connection").set_value("relay A").run()
    at.button(key="save_connection").click().run()
    saved = saved_in_browser(browser)
    assert saved["relay B"] == RELAY_B | {"model": "gpt-3.5-turbo-instruct"}
    assert saved["relay A"] == RELAY_A | {"model": "gpt-3.5-turbo-instruct"}


def save_a_as_b(browser: Browser, monkeypatch) -> AppTest:
    """Pick relay A, type the name relay B, click Save: a name that is already saved."""
    at = on_server(browser, monkeypatch)
    at.selectbox(key="saved_connection").set_value("relay A").run()
    at.text_input(key="save_connection_name").set_value("relay B").run()
    at.button(key="save_connection").click().run()
    return at


def test_saving_over_another_name_asks_first_and_cancel_keeps_it(local_installed, clean):
    browser = Browser({"saved": [RELAY_A, RELAY_B]})
    at = save_a_as_b(browser, clean)
    assert saved_in_browser(browser)["relay B"]["api_key"] == "sk-b"  # not yet
    question = " ".join(plain(w.value) for w in at.sidebar.warning)
    assert "“relay B” is already saved" in question
    at.button(key="cancel_replace_connection").click().run()
    assert not at.sidebar.warning
    assert saved_in_browser(browser)["relay B"] == RELAY_B


def test_replacing_a_saved_connection_takes_an_explicit_confirmation(local_installed, clean):
    browser = Browser({"saved": [RELAY_A, RELAY_B]})
    at = save_a_as_b(browser, clean)
    at.button(key="replace_connection").click().run()
    saved = saved_in_browser(browser)
    assert saved["relay B"]["base_url"] == "http://a.example/v1"
    assert saved["relay B"]["api_key"] == "sk-a"
    assert not at.sidebar.warning
    assert at.selectbox(key="saved_connection").value == "relay B"


def test_a_new_name_is_saved_at_once(local_installed, clean):
    browser = Browser({"saved": [RELAY_A]})
    at = on_server(browser, clean)
    at.selectbox(key="saved_connection").set_value("relay A").run()
    at.text_input(key="save_connection_name").set_value("relay C").run()
    at.button(key="save_connection").click().run()
    assert saved_in_browser(browser)["relay C"]["base_url"] == "http://a.example/v1"
    assert saved_in_browser(browser)["relay A"]["base_url"] == "http://a.example/v1"
    assert not at.sidebar.warning


# -- the model: the local server's own id, and remembered with the connection ------------------


def test_the_local_model_box_shows_and_sends_the_id_its_server_lists(local_installed, clean, relay):
    at = run(Browser(), clean)
    assert at.radio(key="connection_kind").value == "local"
    # The stand-in local server (the fake relay) lists fake-instruct first.
    assert at.selectbox(key="model").value == "fake-instruct"
    prompt_box(at).set_value("Hello").run()
    submit(at)
    assert relay.last["body"]["model"] == "fake-instruct"


def test_switching_to_a_server_and_back_gives_each_its_own_model(local_installed, clean, relay):
    at = run(Browser(), clean)
    at.radio(key="connection_kind").set_value("server").run()
    assert at.selectbox(key="model").value == "gpt-3.5-turbo-instruct"
    set_model(at, "my-server-model")
    at.radio(key="connection_kind").set_value("local").run()
    assert at.selectbox(key="model").value == "fake-instruct"
    at.radio(key="connection_kind").set_value("server").run()
    assert at.selectbox(key="model").value == "my-server-model"


def test_the_model_is_remembered_with_the_connection(local_installed, clean, relay):
    browser = Browser()
    at = run(browser, clean)
    at.radio(key="connection_kind").set_value("server").run()
    at.text_input(key="base_url").set_value(relay.base_url).run()
    set_model(at, "remembered-model")
    assert browser.records()[-1]["model"] == "remembered-model"
    # While the local model is used, the server's model is still what the browser keeps.
    at.radio(key="connection_kind").set_value("local").run()
    assert browser.records()[-1]["model"] == "remembered-model"
    # A reload: a new session, the browser hands back the record.
    again = run(Browser(browser.records()[-1] | {"local": False}), clean)
    assert again.selectbox(key="model").value == "remembered-model"
    prompt_box(again).set_value("Hello").run()
    submit(again)
    assert relay.last["body"]["model"] == "remembered-model"


def test_a_model_named_by_a_link_wins_over_the_remembered_one(local_installed, clean, relay):
    Browser({"local": False, "base_url": relay.base_url, "model": "fake-slow"}).install(clean)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["model"] = "from-the-link"
    at.run()
    assert at.selectbox(key="model").value == "from-the-link"


def test_each_saved_connection_keeps_its_model(local_installed, clean):
    browser = Browser({"saved": [RELAY_A | {"model": "model-a"}, RELAY_B | {"model": "model-b"}]})
    at = on_server(browser, clean)
    at.selectbox(key="saved_connection").set_value("relay B").run()
    assert at.selectbox(key="model").value == "model-b"
    at.selectbox(key="saved_connection").set_value("relay A").run()
    assert at.selectbox(key="model").value == "model-a"
    set_model(at, "model-a2")
    at.button(key="save_connection").click().run()
    at.button(key="replace_connection").click().run()
    assert saved_in_browser(browser)["relay A"]["model"] == "model-a2"
    assert saved_in_browser(browser)["relay B"]["model"] == "model-b"
