"""Hosted instances in Chromium: two people apart, a gate that lists nothing, failing closed."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from tests.support.browser import document_box, model_text, open_app, send_prompt, serve_app

pytestmark = pytest.mark.browser
KEY_A = "sk-user-A-SECRET-1111"
KEY_B = "sk-user-B-SECRET-2222"
TEAM_KEY = "sk-team-SECRET-3333"
PASSWORD = "correct horse"


@pytest.fixture(scope="module")
def env_only_url(relay_server, tmp_path_factory):
    """Configured only through environment variables, as `docker run -e ...` does."""
    env = {
        "APP_PASSWORD": PASSWORD,
        "LOCK_BASE_URL": "1",
        "OPENAI_API_KEY": TEAM_KEY,
        "OPENAI_BASE_URL": relay_server.base_url,
    }
    yield from serve_app(tmp_path_factory, env)


@pytest.fixture(scope="module")
def busy_gate_url(relay_server, tmp_path_factory):
    """A password instance of its own: its line of attempts is drained by the test using it."""
    env = {"APP_PASSWORD": PASSWORD, "OPENAI_BASE_URL": relay_server.base_url}
    yield from serve_app(tmp_path_factory, env)


@pytest.fixture(scope="module")
def broken_secrets_url(relay_server, tmp_path_factory):
    """A secrets file with a TOML syntax error (an unclosed string)."""
    secrets = tmp_path_factory.mktemp("secrets") / "secrets.toml"
    secrets.write_text(f'APP_PASSWORD = "{PASSWORD}\nLOCK_BASE_URL = true\n')
    env = {
        "STREAMLIT_SECRETS_FILES": str(secrets),
        "OPENAI_API_KEY": TEAM_KEY,
        "OPENAI_BASE_URL": relay_server.base_url,
    }
    yield from serve_app(tmp_path_factory, env)


def open_gate(browser, url: str, **context_options):
    """A fresh browser context on a page that should stop at the gate."""
    context = browser.new_context(viewport={"width": 1400, "height": 1400}, **context_options)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    return context, page


def expect_no_page_links(page) -> None:
    expect(page.locator("[data-testid='stSidebarNav']")).to_have_count(0)
    expect(page.locator("[data-testid='stSidebarNavLink']")).to_have_count(0)
    expect(document_box(page)).to_have_count(0)
    expect(page.locator(".st-key-prompt")).to_have_count(0)


def set_key(page, key: str) -> None:
    page.get_by_text("Connection", exact=True).click()
    field = page.get_by_label("API key", exact=True)
    field.fill(key)
    field.press("Enter")


def run(page, relay, prompt: str) -> None:
    send_prompt(page, relay, prompt)
    page.get_by_text("Status: done").wait_for(timeout=20_000)


def test_two_people_never_see_each_other(browser, app_url, relay):
    context_a, alice = open_app(browser, app_url)
    context_b, bob = open_app(browser, app_url)
    try:
        set_key(alice, KEY_A)
        run(alice, relay, "alpha private prompt")
        assert relay.last["headers"]["authorization"] == f"Bearer {KEY_A}"
        assert KEY_A not in alice.url

        # Bob's page, sidebar and history know nothing of Alice.
        bob.reload()
        document_box(bob).wait_for()
        assert KEY_A not in bob.content() and "alpha private" not in bob.content()
        assert document_box(bob).text_content() == ""
        bob.get_by_text("Connection", exact=True).click()
        assert bob.get_by_label("API key", exact=True).input_value() == ""
        bob.get_by_role("link", name="History").click()
        bob.get_by_text("No runs yet").wait_for()

        bob.get_by_role("link", name="Playground").click()
        set_key(bob, KEY_B)
        run(bob, relay, "bravo private prompt")
        assert relay.last["headers"]["authorization"] == f"Bearer {KEY_B}"
        assert "alpha private" not in bob.content() and KEY_A not in bob.content()

        alice.get_by_role("link", name="History").click()
        alice.get_by_text("alpha private prompt").first.wait_for()
        assert "bravo private" not in alice.content() and KEY_B not in alice.content()
    finally:
        context_a.close()
        context_b.close()


@pytest.mark.parametrize("path", ["/history", "/"])
def test_environment_only_instance_is_gated_and_locked(browser, env_only_url, relay, path):
    # "/history" first: on a fresh server Streamlit runs that page's script without the entry
    # point, and lists the files of pages/ unless the gate hides them.
    context, page = open_gate(browser, env_only_url + path)
    try:
        password = page.get_by_label("Password", exact=True)
        expect(password).to_be_visible()
        expect_no_page_links(page)
        assert relay.received == []

        password.fill(PASSWORD)
        page.get_by_role("button", name="Enter").click()
        expect(page.get_by_role("link", name="Playground")).to_be_visible()
        # The page as a person sees it before they click: the pass kept (README, Hosting).
        page.wait_for_function("document.cookie.includes('playground_pass=')")
        page.get_by_role("link", name="Playground").click()
        document_box(page).wait_for()
        page.get_by_text("Connection", exact=True).click()
        expect(page.get_by_text("set by the host")).to_be_visible()
        expect(page.get_by_label("Base URL", exact=True)).to_have_count(0)
        send_prompt(page, relay, "team prompt")
        assert relay.last["headers"]["authorization"] == f"Bearer {TEAM_KEY}"
        assert TEAM_KEY not in page.content() and TEAM_KEY not in page.url
    finally:
        context.close()


def enter_password(page, password: str) -> None:
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Enter").click()


def test_a_browser_that_got_in_before_skips_the_line(browser, busy_gate_url):
    context, page = open_gate(browser, busy_gate_url)
    others = [open_gate(browser, busy_gate_url) for _ in range(4)]
    (_, guesses), *strangers = others
    in_line = "Passwords are checked one at a time"
    try:
        enter_password(page, PASSWORD)  # checked at once: the line is empty
        expect(page.get_by_role("link", name="Playground")).to_be_visible()
        page.wait_for_function("document.cookie.includes('playground_pass=')")
        (cookie,) = [c for c in context.cookies() if c["name"] == "playground_pass"]
        assert cookie["sameSite"] == "Strict" and PASSWORD not in cookie["value"]
        assert cookie["expires"] > time.time() + 29 * 86400

        for attempt in range(12):  # another client guesses until no turn is free
            enter_password(guesses, f"guess {attempt}")
            answer = guesses.get_by_text("Wrong password.").or_(guesses.get_by_text(in_line))
            expect(answer).to_be_visible()
            if guesses.get_by_text(in_line).is_visible():
                break
        expect(guesses.get_by_text(in_line)).to_be_visible()
        for _, stranger in strangers:  # new browsers wait their turns (7.5 s each) ...
            enter_password(stranger, PASSWORD)
        for _, stranger in strangers[1:]:
            expect(stranger.get_by_text(in_line)).to_be_visible()

        page.reload()  # ... the returning one (a new session, with its pass) does not
        enter_password(page, PASSWORD)
        expect(page.get_by_role("link", name="Playground")).to_be_visible(timeout=5000)
        # The newcomers get in too, in their turns.
        expect(strangers[0][1].get_by_role("link", name="Playground")).to_be_visible(timeout=30_000)
    finally:
        for each in (context, *(c for c, _ in others)):
            each.close()


def test_an_echoing_upstream_never_puts_the_key_in_the_page_or_local_storage(
    browser, env_only_url, relay
):
    relay.options.update(echo_key_text=True, token_delay=0.02)  # the answer repeats the key
    context, page = open_gate(browser, env_only_url)
    try:
        enter_password(page, PASSWORD)
        page.get_by_role("link", name="Playground").click()
        document_box(page).wait_for()
        send_prompt(page, relay, "say the key")
        assert relay.last["headers"]["authorization"] == f"Bearer {TEAM_KEY}"
        done = page.get_by_text("Status: done")
        seen = []
        while not done.is_visible():  # while it streams, and once more when it is done
            seen.append(page.content())
            seen.append(page.evaluate("JSON.stringify(Object.entries(localStorage))"))
        expect(model_text(page)).to_have_text("echo *** upper *** start *** end")
        page.get_by_role("link", name="History").click()
        expect(page.get_by_text("say the key").first).to_be_visible()
        seen.append(page.content())
        stored = page.evaluate("JSON.stringify(Object.entries(localStorage))")
        assert "echo *** upper" in stored  # the run is in the browser's history ...
        for text in [*seen, stored]:  # ... without the key, its upper case or its start
            for form in (TEAM_KEY, TEAM_KEY.upper(), TEAM_KEY[:8], TEAM_KEY[:8].upper()):
                assert form not in text
    finally:
        context.close()


@pytest.mark.parametrize(
    ("locale", "message"),
    [("en-US", "This app cannot start"), ("zh-CN", "本应用无法启动")],
)
def test_a_secrets_file_that_does_not_parse_stops_everything(
    browser, broken_secrets_url, relay, locale, message
):
    context, page = open_gate(browser, broken_secrets_url, locale=locale)
    try:
        expect(page.get_by_text(message)).to_be_visible()
        expect_no_page_links(page)
        expect(page.get_by_label("Password", exact=True)).to_have_count(0)
        expect(page.locator("[data-testid='stException']")).to_have_count(0)
        assert PASSWORD not in page.content() and TEAM_KEY not in page.content()
        assert relay.received == []
    finally:
        context.close()


def test_connection_stays_open_while_it_is_filled_in(browser, app_url):
    context, page = open_app(browser, app_url)
    try:
        page.get_by_text("Connection", exact=True).click()
        base_url = page.get_by_label("Base URL", exact=True)
        base_url.fill("https://relay.invalid/v1")
        base_url.press("Enter")
        expect(page.get_by_text("Add an API key", exact=False)).to_be_visible()
        key = page.get_by_label("API key", exact=True)
        expect(key).to_be_visible()
        key.fill("sk-typed-0000")
        key.press("Enter")  # the key was the last thing missing: the section used to close here
        expect(page.get_by_text("Add an API key", exact=False)).to_have_count(0)
        expect(key).to_be_visible()
        expect(page.get_by_role("button", name="Test connection")).to_be_visible()
        base_url.fill("http://127.0.0.1:9/v1")
        base_url.press("Enter")
        expect(key).to_be_visible()
    finally:
        context.close()
