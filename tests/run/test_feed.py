"""A run's feed (lib/run/feed.py) over a real HTTP server on 127.0.0.1: what a page reads."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import uvicorn
from starlette.applications import Starlette
from streamlit.web.server.app_discovery import discover_asgi_app

from lib.run import feed
from lib.run.model import OK, RUNNING, Run
from tests.support.paths import APP
from tests.support.waiting import wait_until

BASE = "team/playground"


def text_of(run: Run, index: int) -> str:
    return run.text(index)


def piece(text: str, finish: str | None = None) -> dict:
    return {"choices": [{"index": 0, "text": text, "finish_reason": finish, "logprobs": None}]}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The feed's routes, under a base path, served by uvicorn as Streamlit's server does."""
    # A socket already listening: a request made before uvicorn serves waits in its backlog.
    listening = socket.create_server(("127.0.0.1", 0))
    port = listening.getsockname()[1]
    config = uvicorn.Config(Starlette(routes=feed.routes(BASE)), log_level="error")
    app_server = uvicorn.Server(config)
    thread = threading.Thread(target=app_server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    app_server.should_exit = True
    thread.join(timeout=5)
    listening.close()


def read_lines(response: requests.Response) -> Iterator[dict]:
    for line in response.iter_lines(decode_unicode=True):
        if line:
            yield json.loads(line)


def new_run() -> Run:
    return Run(request={"model": "m", "prompt": "Once", "stream": True}, base_url="http://x/v1")


def test_a_feed_brings_the_text_as_it_grows_then_says_the_run_ended(server):
    run = new_run()
    run.add_chunk(piece("Once more"))
    url = server + feed.feed_path(BASE, feed.open_feed(run, 0, text_of))
    with requests.get(url, stream=True, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        lines = read_lines(response)
        assert next(lines) == {"offset": 0, "text": "Once more", "total": 9}
        run.add_chunk(piece(", with «feeling»"))
        assert next(lines) == {"offset": 9, "text": ", with «feeling»", "total": 25}
        run.add_chunk(piece(".", "stop"))
        run.finish(OK)
        assert next(lines) == {"offset": 25, "text": ".", "total": 26}
        assert next(lines) == {"end": True}
        assert next(lines, None) is None


def test_a_feed_starts_where_the_page_has_text_up_to(server):
    run = new_run()
    run.add_chunk(piece("0123456789"))
    run.finish(OK)
    url = server + feed.feed_path(BASE, feed.open_feed(run, 0, text_of))
    with requests.get(url, params={"from": "4"}, stream=True, timeout=10) as response:
        assert list(read_lines(response)) == [
            {"offset": 4, "text": "456789", "total": 10},
            {"end": True},
        ]


def test_a_page_far_behind_gets_the_end_of_a_long_text(server):
    run = new_run()
    run.add_chunk(piece("x" * (feed.LINE_CHARS + 500) + "END"))
    run.finish(OK)
    url = server + feed.feed_path(BASE, feed.open_feed(run, 0, text_of))
    with requests.get(url, stream=True, timeout=10) as response:
        first = next(read_lines(response))
    assert first["offset"] == 503 and first["total"] == feed.LINE_CHARS + 503
    assert len(first["text"]) == feed.LINE_CHARS and first["text"].endswith("END")


def test_a_feed_keeps_its_run_alive_while_a_page_reads_it(server):
    run = new_run()
    run.last_seen = 0.0
    url = server + feed.feed_path(BASE, feed.open_feed(run, 0, text_of))
    with requests.get(url, stream=True, timeout=10) as response:
        run.add_chunk(piece("a"))
        next(read_lines(response))
    assert run.last_seen > 0.0
    assert run.status == RUNNING
    run.finish(OK)


def test_feeds_share_a_line_budget_and_a_page_that_leaves_gives_its_share_back(server):
    assert feed.step_seconds(1) == feed.step_seconds(10) == feed.STEP_SECONDS
    assert feed.step_seconds(25) == 25 / feed.LINES_PER_SECOND > feed.STEP_SECONDS
    wait_until(lambda: feed.open_feeds() == 0, 10, "the feeds of the tests before this one end")
    run = new_run()
    url = server + feed.feed_path(BASE, feed.open_feed(run, 0, text_of))
    with requests.get(url, stream=True, timeout=10) as response:
        run.add_chunk(piece("a"))
        lines = read_lines(response)  # kept: a dropped reader closes the connection
        assert next(lines) == {"offset": 0, "text": "a", "total": 1}
        assert feed.open_feeds() == 1
    # The page went away mid-run: its feed no longer counts, or every other feed would slow.
    wait_until(lambda: feed.open_feeds() == 0, 10, "a feed whose page left stops counting")
    run.finish(OK)


def test_unknown_tokens_runs_that_are_gone_and_other_paths_get_404(server):
    assert requests.get(server + feed.feed_path(BASE, "guess"), timeout=10).status_code == 404
    token = feed.open_feed(new_run(), 0, text_of)  # the run is collected at once
    assert requests.get(server + feed.feed_path(BASE, token), timeout=10).status_code == 404
    # Only under the server's base path, and only GET.
    assert requests.get(server + feed.feed_path("", token), timeout=10).status_code == 404
    kept = new_run()
    token = feed.open_feed(kept, 0, text_of)
    response = requests.post(server + feed.feed_path(BASE, token), timeout=10)
    assert response.status_code == 405


def test_tokens_are_unguessable_and_one_per_feed():
    run = new_run()
    tokens = {feed.open_feed(run, 0, text_of) for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) >= 32 for token in tokens)


def test_the_feed_path_follows_the_base_path():
    assert feed.feed_path("", "t") == "/playground-feed/t"
    assert feed.feed_path("/team/", "t") == "/team/playground-feed/t"


def test_streamlit_run_serves_the_app_with_the_feed():
    """`streamlit run streamlit_app.py` finds the `st.App` that carries the feed's route."""
    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.app_name == "app"
