"""The gate of a hosted instance under AppTest: settings from anywhere, failing closed."""

from __future__ import annotations

import logging

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from lib.config import hosting
from lib.ui import keys
from lib.ui.shell import gate
from tests.support.app import document_data, prompt_box
from tests.support.paths import APP

KEY = "sk-team-SECRET-4242"
PASSWORD = "open sesame"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-long-random-cookie-secret-for-tests",
    "client_id": "playground",
    "client_secret": "client-SECRET-99",
    "server_metadata_url": "https://idp.example/.well-known/openid-configuration",
}
HOSTING_NAMES = ("APP_PASSWORD", "LOCK_BASE_URL", "OPENAI_API_KEY", "OPENAI_BASE_URL")


class Clock:
    def __init__(self) -> None:
        self.now = 5000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No hosting setting leaks in from the machine, and no failure count from another test."""
    for name in HOSTING_NAMES:
        monkeypatch.delenv(name, raising=False)
    gate.QUEUE.reset()
    yield
    gate.QUEUE.reset()


@pytest.fixture
def secrets_file(tmp_path):
    """Point Streamlit's secrets at a file in tmp_path (written by the test, or absent)."""
    path = tmp_path / "secrets.toml"
    saved = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(path)])
    yield path
    config.set_option("secrets.files", saved)


def app(secrets: dict | None = None, locale: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    if locale:
        at.context = {"locale": locale}
    return at.run()


def plain(markdown: str) -> str:
    return markdown.replace("\\", "").replace("\u2060", "")


def page_text(at: AppTest) -> str:
    parts = [e.value for kind in ("error", "warning", "info", "caption") for e in getattr(at, kind)]
    parts += [m.value for m in at.markdown] + [t.value for t in at.title]
    return plain("\n".join(str(p) for p in parts))


def assert_only_the_gate(at: AppTest) -> None:
    """Nothing of the playground: no prompt, no sidebar, no parameters."""
    assert not at.exception
    assert not at.text_area
    assert not at.sidebar.children or not any(
        getattr(at.sidebar, kind) for kind in ("text_input", "selectbox", "button", "expander")
    )
    assert "base_url" not in [t.key for t in at.text_input]


def enter(at: AppTest, password: str) -> AppTest:
    at.text_input(key="app_password").set_value(password)
    return at.button[0].click().run()


# -- settings only in the environment (Docker -e ...) ------------------------------------------


def test_environment_only_instance_is_gated_and_locked(relay, monkeypatch):
    monkeypatch.setenv("APP_PASSWORD", PASSWORD)
    monkeypatch.setenv("LOCK_BASE_URL", "1")
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app()
    assert [t.key for t in at.text_input] == ["app_password"]
    assert_only_the_gate(at)
    assert relay.received == []

    enter(at, PASSWORD)
    assert document_data(at) is not None
    assert "base_url" not in [t.key for t in at.text_input]  # locked: no field to change it
    at.session_state["base_url"] = "http://10.0.0.1/v1"  # left over or forged: ignored
    prompt_box(at).set_value("from the environment").run()
    at.button(key="btn_submit").click().run()
    assert relay.wait_for(lambda: len(relay.received) == 1, timeout=20)
    assert relay.last["headers"]["authorization"] == f"Bearer {KEY}"
    assert relay.last["body"]["prompt"] == "from the environment"
    assert KEY not in page_text(at)


@pytest.mark.parametrize("value", [1, "1", "yes", "TRUE"])
def test_lock_base_url_accepts_every_spelling_of_true(relay, monkeypatch, value):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app({"LOCK_BASE_URL": value})
    assert document_data(at) is not None
    assert "base_url" not in [t.key for t in at.text_input]


# -- configuration errors stop the app ---------------------------------------------------------


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "LOCK_BASE_URL from secrets must be true or false"),
        ("zh-CN", "来自secrets 配置的 LOCK_BASE_URL 必须是 true 或 false"),
    ],
)
def test_a_setting_that_is_not_a_flag_stops_the_app(relay, monkeypatch, locale, expected):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app({"LOCK_BASE_URL": "maybe", "OPENAI_API_KEY": KEY}, locale=locale)
    assert_only_the_gate(at)
    assert not at.text_input  # not even a password form
    assert expected in page_text(at)
    assert "maybe" not in page_text(at)  # values are never shown, only names


@pytest.mark.parametrize("name", ["AUTH", "Auth"])
def test_an_auth_section_in_the_wrong_case_stops_the_app(relay, monkeypatch, name):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app({name: AUTH, "OPENAI_API_KEY": KEY})
    assert_only_the_gate(at)
    assert not at.button and not at.text_input  # neither a log-in nor the playground
    assert f"{name} from secrets differs from auth only in letter case" in page_text(at)
    assert "client-SECRET-99" not in page_text(at)


def test_a_bad_environment_value_stops_the_app_too(monkeypatch):
    monkeypatch.setenv("LOCK_BASE_URL", "on")
    at = app()
    assert_only_the_gate(at)
    assert "LOCK_BASE_URL from the environment must be true or false" in page_text(at)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en-US", "The secrets file exists but cannot be read"),
        ("zh-CN", "secrets 文件存在但无法读取"),
    ],
)
def test_a_secrets_file_that_does_not_parse_stops_the_app(
    secrets_file, relay, monkeypatch, locale, expected
):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    secrets_file.write_text('APP_PASSWORD = "open sesame\nLOCK_BASE_URL = true\n')
    at = app(locale=locale)
    assert_only_the_gate(at)
    assert not at.text_input
    assert expected in page_text(at)
    assert "open sesame" not in page_text(at)


@pytest.mark.parametrize(
    ("content", "logged"),
    [
        (b'APP_PASSWORD = "sesame-VALUE\n', "line 1"),  # an unclosed string
        (b'APP_PASSWORD = "\xffsesame-VALUE"\n', "not UTF-8"),
    ],
)
def test_an_unreadable_secrets_file_is_logged_without_its_values(
    secrets_file, caplog, content, logged
):
    secrets_file.write_bytes(content)
    with caplog.at_level(logging.ERROR, logger="lib.ui.shell.secrets"):
        at = app()
    assert_only_the_gate(at)
    assert "The secrets file exists but cannot be read" in page_text(at)
    assert logged in caplog.text and "sesame-VALUE" not in caplog.text


def test_no_secrets_file_is_fine(secrets_file, relay, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    assert not secrets_file.exists()
    at = app()
    assert not at.exception and not at.error
    assert document_data(at) is not None


# -- guessing across sessions: one line, checked in turn --------------------------------------


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """A line on a clock the test moves: one attempt at once, then one every 10 s."""
    now = Clock()
    pace = hosting.Pace(per_minute=6, burst=1)
    monkeypatch.setattr(gate, "QUEUE", hosting.GuessQueue(now, pace))
    return now


def test_a_visitor_gets_in_while_another_session_keeps_guessing(relay, clock):
    secrets = {"APP_PASSWORD": PASSWORD, "OPENAI_BASE_URL": relay.base_url}
    attacker, visitor = app(secrets), app(secrets)
    enter(attacker, "guess 1")
    assert "Wrong password." in page_text(attacker)
    clock.now += 1
    enter(attacker, "guess 2")  # no token left: it waits in line
    assert "Yours is next in about 9 s" in page_text(attacker)
    assert "Wrong password." not in page_text(attacker)

    clock.now += 1
    enter(visitor, PASSWORD)  # the right password, while the other session keeps guessing
    assert "Yours is next in about 8 s" in page_text(visitor)
    assert_only_the_gate(visitor)

    clock.now += 8  # the next token: both sessions ask again (their pages do, every second)
    attacker.run()
    assert "Passwords are checked one at a time" in page_text(attacker)  # still waiting
    visitor.run()
    assert document_data(visitor) is not None  # the newcomer had the turn: past the gate
    assert keys.PASSWORD not in visitor.session_state  # the password is not kept

    clock.now += 10
    attacker.run()
    assert "Wrong password." in page_text(attacker)  # its guess, checked in its turn
    assert_only_the_gate(attacker)


def test_getting_in_earns_a_signed_pass_for_this_browser(relay, clock):
    at = app({"APP_PASSWORD": PASSWORD, "OPENAI_BASE_URL": relay.base_url})
    enter(at, PASSWORD)
    assert document_data(at) is not None
    token = at.session_state[keys.PASSWORD_PASS]  # handed to the browser as a cookie
    assert hosting.pass_ok(token, PASSWORD) and not hosting.pass_ok(token, "other password")
    assert PASSWORD not in token


def test_the_wait_is_said_in_chinese_too(relay, clock):
    at = app({"APP_PASSWORD": PASSWORD, "OPENAI_BASE_URL": relay.base_url}, locale="zh-CN")
    enter(at, "a")
    assert "密码错误" in page_text(at)
    clock.now += 2
    enter(at, "b")
    assert "大约 8 秒后轮到你" in page_text(at)
    assert_only_the_gate(at)


def test_failures_are_logged_without_the_guess(relay, clock, caplog):
    at = app({"APP_PASSWORD": PASSWORD, "OPENAI_BASE_URL": relay.base_url})
    with caplog.at_level(logging.WARNING, logger="lib.config.hosting"):
        enter(at, "hunter2-guess")
    assert "wrong app password from an unknown address" in caplog.text
    assert "hunter2-guess" not in caplog.text and PASSWORD not in caplog.text


# -- log-in with st.login when secrets have [auth] ---------------------------------------------


@pytest.fixture
def authlib(monkeypatch):
    """Pretend Authlib is installed (st.login needs it; the test machine may lack it)."""
    monkeypatch.setattr(hosting, "authlib_installed", lambda: True)


def test_auth_without_login_shows_only_the_login_panel(relay, monkeypatch, authlib):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app({"auth": AUTH, "OPENAI_API_KEY": KEY})
    assert_only_the_gate(at)
    assert [b.label for b in at.button] == ["Log in"]
    assert "Log in to use this app." in page_text(at)
    assert "client-SECRET-99" not in page_text(at)

    at.button[0].click().run()  # st.login refuses here (no Authlib): a plain message, no trace
    assert not at.exception
    assert "Log-in could not start" in page_text(at)
    assert_only_the_gate(at)


def test_logged_in_user_sees_the_app_and_can_log_out(relay, monkeypatch, authlib):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "ada@example.com"}
    at.run()
    assert document_data(at) is not None
    assert "Logged in as ada@example.com" in page_text(at)
    at.sidebar.button(key="logout").click().run()
    assert_only_the_gate(at)
    assert [b.label for b in at.button] == ["Log in"]


def test_auth_and_password_are_both_required(relay, monkeypatch, authlib):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.secrets["APP_PASSWORD"] = PASSWORD
    at.user = {"is_logged_in": True, "email": "ada@example.com"}
    at.run()
    assert [t.key for t in at.text_input] == ["app_password"]
    assert_only_the_gate(at)
    enter(at, PASSWORD)
    assert document_data(at) is not None


def test_auth_without_authlib_is_a_configuration_error(relay, monkeypatch):
    monkeypatch.setattr(hosting, "authlib_installed", lambda: False)
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    at = app({"auth": AUTH})
    assert_only_the_gate(at)
    assert not at.button
    assert "the Authlib package is not installed" in page_text(at)


def test_named_providers_get_a_button_each(relay, monkeypatch, authlib):
    monkeypatch.setenv("OPENAI_BASE_URL", relay.base_url)
    providers = {"google": {"client_id": "g"}, "microsoft": {"client_id": "m"}}
    shared = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]}
    at = app({"auth": {**shared, **providers}})
    assert [b.label for b in at.button] == ["Log in with google", "Log in with microsoft"]
