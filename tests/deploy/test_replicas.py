"""Two app replicas behind Debian's nginx, configured from deploy/nginx/ (tests/deploy/conftest.py).

Twenty browser sessions (Playwright contexts in one Chromium, each its own basic-auth user so
nginx's access log says which replica served which browser) get their exact text, spread over
both replicas and each pinned to one. Then one replica is killed mid-stream: its sessions
reconnect to the other with their document and history intact, a run that was streaming there
says it was interrupted (its partial text in History), and the relay sees its stream closed.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import proxy
from tests.support.browser import document_box, model_text, open_app, send_prompt
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

SESSIONS = 20
USERS = [f"visitor{i:02}" for i in range(SESSIONS)]
# Twenty pages on two shared cores draw their frames late: no run is taken for abandoned.
APP_ENV = {"RUN_IDLE_SECONDS": "120"}
WAIT_MS = 90_000
HISTORY = "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"
LOST = "The run that was streaming when this page lost its server was interrupted."


def visit(browser, deployment, user):
    credentials = {"username": user, "password": proxy.PASSWORD}
    return open_app(browser, deployment.url, http_credentials=credentials, ignore_https_errors=True)


def pinned(deployment, user) -> set[str]:
    """The replicas nginx sent `user`'s requests to."""
    return {
        address
        for row in deployment.access_log()
        if row["user"] == user and row["upstream"] != "-"
        for address in row["upstream"].split(", ")
    }


def continue_document(page, relay, text: str) -> None:
    """Type `text` at the document's end and send it, as a person continuing would."""
    sent = len(relay.received)
    document_box(page).click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type(text)
    page.keyboard.press("Control+Enter")
    assert relay.wait_for(lambda: len(relay.received) == sent + 1, timeout=30)


def second_body(relay, index: int, first_text: str) -> dict:
    """The request page `index` sent after its first run: the document so far, " And then"."""
    document = f"Visitor {index} asks{first_text} And then"
    (body,) = [r["body"] for r in relay.received if r["body"]["prompt"] == document]
    return body


@pytest.mark.timeout(900)  # twenty sessions on two shared cores
def test_sessions_stick_to_a_replica_and_survive_losing_it(browser, deployment, relay):
    opened = [visit(browser, deployment, user) for user in USERS]
    pages = [page for _, page in opened]
    homes = {user: pinned(deployment, user) for user in USERS}
    assert all(len(home) == 1 for home in homes.values()), homes  # each pinned to one
    assert set().union(*homes.values()) == {r.address for r in deployment.replicas}  # spread

    # Everyone runs at once and gets exactly the relay's text.
    first = {i: f" Visitor {i}, this answer is yours alone." for i in range(SESSIONS)}
    relay.options.update(token_delay=0.05, texts={f"Visitor {i} asks": first[i] for i in first})
    for index, page in enumerate(pages):
        send_prompt(page, relay, f"Visitor {index} asks")
    for index, page in enumerate(pages):
        expect(model_text(page)).to_have_text(first[index], timeout=WAIT_MS)

    # Long runs on both replicas; then the replica of visitor 0 is lost.
    victim = deployment.replica(next(iter(homes[USERS[0]])))
    lost = [i for i, user in enumerate(USERS) if homes[user] == {victim.address}][:3]
    kept = next(i for i, user in enumerate(USERS) if homes[user] != {victim.address})
    relay.options.update(token_delay=0.2, natural_length=80)
    for index in [*lost, kept]:
        continue_document(pages[index], relay, " And then")
    for index in [*lost, kept]:
        expect(document_box(pages[index]).locator(".cp-live")).not_to_be_empty(timeout=WAIT_MS)
    for index in lost:  # the page has kept the run, with some text, in the browser's history
        pages[index].wait_for_function(
            "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"
            ".some(e => e.stats && e.stats.stopped_by === 'interrupted'"
            " && e.response.choices.length && e.response.choices[0].text)",
            timeout=WAIT_MS,
        )
    streams_before = relay.open_streams
    assert streams_before == len(lost) + 1
    victim.kill()

    # The relay sees the lost replica's streams closed; the other one streams on.
    assert relay.wait_for(lambda: relay.open_streams <= 1, timeout=30)
    survivor = next(r for r in deployment.replicas if r is not victim)
    for index in lost:
        page = pages[index]
        expect(page.get_by_text(LOST)).to_be_visible(timeout=WAIT_MS)
        # nginx writes a request's log line when it ends (a websocket when it closes): wait.
        user, both = USERS[index], {victim.address, survivor.address}
        wait_until(lambda u=user, b=both: pinned(deployment, u) == b, 60, "moved to the survivor")
        # The document came back (from the address bar), with the first run's text in it.
        expect(document_box(page)).to_contain_text(first[index] + " And then", timeout=WAIT_MS)
        expect(page.get_by_role("button", name="Submit")).to_be_enabled(timeout=WAIT_MS)
        history = page.evaluate(HISTORY)
        assert [e["status"] for e in history] == ["ok", "stopped"]
        assert history[0]["response"]["choices"][0]["text"] == first[index]
        cut = history[1]["response"]["choices"][0]["text"]
        whole = relay.expected_text(second_body(relay, index, first[index]))
        assert cut and whole.startswith(cut) and cut != whole  # what had arrived, no more
    # The survivor's session never noticed.
    kept_page = pages[kept]
    expect(model_text(kept_page).last).to_have_text(
        relay.expected_text(second_body(relay, kept, first[kept])), timeout=WAIT_MS
    )
    wait_until(lambda: relay.open_streams == 0, 60, "the surviving stream ends")
    assert not kept_page.get_by_text(LOST).is_visible()

    # History (the page) shows the interrupted run as interrupted, with its text.
    page = pages[lost[0]]
    page.get_by_role("link", name="History").click()
    newest = page.locator("[data-testid='stExpander'] summary").first  # newest first
    expect(newest).to_contain_text("stopped", timeout=WAIT_MS)
    newest.click()
    expect(page.get_by_text("Interrupted: the server running it")).to_be_visible(timeout=WAIT_MS)
    for context, _ in opened:
        context.close()
