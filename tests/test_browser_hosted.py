"""One hosted instance, two people: nothing of one session reaches the other."""

from __future__ import annotations

import pytest

from tests.browser import open_app, send_prompt, serve_app

pytestmark = pytest.mark.browser
KEY_A = "sk-user-A-SECRET-1111"
KEY_B = "sk-user-B-SECRET-2222"


@pytest.fixture(scope="module")
def app_url(relay_server, tmp_path_factory):
    yield from serve_app(tmp_path_factory, {"OPENAI_BASE_URL": relay_server.base_url})


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
        bob.get_by_role("textbox", name="Prompt", exact=True).wait_for()
        assert KEY_A not in bob.content() and "alpha private" not in bob.content()
        assert bob.get_by_role("textbox", name="Prompt", exact=True).input_value() == ""
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
