"""SIGTERM to an app process during a run (Kubernetes ending a pod, `docker stop`).

The run finishes within SHUTDOWN_GRACE_SECONDS, or is stopped at its end and recorded as
interrupted with what had arrived; the relay is left with no stream open; a page that asks for
a new run meanwhile is told the server is restarting; the process exits by itself.
"""

from __future__ import annotations

import json
import signal

import pytest
from playwright.sync_api import expect

from tests.support.browser import (
    app_process,
    document_box,
    model_text,
    open_app,
    send_prompt,
    wait_healthy,
)

pytestmark = pytest.mark.browser

WAIT_MS = 30_000
# Uvicorn, which serves the app (streamlit_app.py's st.App), raises SIGTERM again once it has
# shut down, so the process ends as the signal's default would (143 in a shell): what Docker and
# Kubernetes expect of a process that stopped on SIGTERM.
ENDED_BY_ITSELF = -signal.SIGTERM
HISTORY = "() => JSON.parse(localStorage.getItem('completions-playground.history.v1') || '[]')"
TEXT = "The quick brown fox jumps over the lazy dog while the band plays on."


@pytest.fixture
def app(relay_server, tmp_path, request):
    """The app on its own (this test stops it), with the grace the test asks for."""
    env = {"OPENAI_BASE_URL": relay_server.base_url, "SHUTDOWN_GRACE_SECONDS": request.param}
    log = tmp_path / "app.log"
    with app_process(env, log) as (url, process):
        wait_healthy(url, process, log)
        yield url, process, log


@pytest.mark.parametrize("app", ["4"], indirect=True)
def test_a_run_longer_than_the_grace_is_stopped_recorded_and_its_stream_closed(app, browser, relay):
    url, process, log = app
    relay.options.update(endless=True, token_delay=0.05)
    context, page = open_app(browser, url)
    other_context, other = open_app(browser, url)
    send_prompt(page, relay, "Tell me everything")
    live = document_box(page).locator(".cp-live")
    expect(live).to_contain_text("lorem ipsum", timeout=WAIT_MS)

    process.send_signal(signal.SIGTERM)
    # Meanwhile another visitor's Submit is refused, plainly.
    other.get_by_role("button", name="Submit").click()
    expect(other.get_by_text("This server is restarting; try again in a moment.")).to_be_visible(
        timeout=WAIT_MS
    )
    # At the end of the grace the run is stopped, and says why.
    expect(page.get_by_text("Interrupted: the server running it was restarting")).to_be_visible(
        timeout=WAIT_MS
    )
    assert process.wait(30) == ENDED_BY_ITSELF  # then the process exits by itself
    assert relay.wait_for(lambda: relay.open_streams == 0, timeout=10)
    assert relay.disconnects == 1  # the app closed the stream; it did not run on
    (entry,) = page.evaluate(HISTORY)
    assert entry["status"] == "stopped" and entry["stats"]["stopped_by"] == "interrupted"
    assert entry["response"]["choices"][0]["text"].startswith("lorem ipsum")
    assert "graceful shutdown not installed" not in log.read_text()
    context.close()
    other_context.close()


@pytest.mark.parametrize("app", ["60"], indirect=True)
def test_a_run_shorter_than_the_grace_finishes_whole_then_the_process_exits(app, browser, relay):
    url, process, _ = app
    relay.options.update(text=TEXT, token_delay=0.15)
    context, page = open_app(browser, url)
    send_prompt(page, relay, "Say it")
    expect(document_box(page).locator(".cp-live")).to_contain_text("The quick", timeout=WAIT_MS)

    process.send_signal(signal.SIGTERM)
    expect(model_text(page)).to_have_text(TEXT, timeout=WAIT_MS)
    assert process.wait(30) == ENDED_BY_ITSELF  # long before the 60 s grace
    assert relay.open_streams == 0 and relay.disconnects == 0  # read to its end
    (entry,) = page.evaluate(HISTORY)
    assert entry["status"] == "ok" and entry["response"]["choices"][0]["text"] == TEXT
    assert json.dumps(entry).count("interrupted") == 0
    context.close()
