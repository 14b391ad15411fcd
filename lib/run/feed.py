"""A streaming run's text over HTTP: the feed the page's editor reads while the run streams.

A streaming frame is a script run, and the browser answers every script run by drawing the
whole page again; with a team streaming on one instance, that work, not the server's, is what
falls behind. So the editor reads the text from this feed instead, a plain HTTP response that
grows as the run does, and the frames only keep the run's status current (a few times less
often). The feed is served by the app server itself (`routes`, given to `st.App` in
`streamlit_app.py`), so it needs no other port, and a proxy with sticky sessions sends it to the
replica that holds the run.

A feed is opened for one choice of one run and named by a random token, which only the page
that drew the run is given: the token is the permission (like a session's id), and an unknown
one gets 404. What it carries is the run's text, redacted as the run took it in; never a key.

Each line of the response is JSON: `{"offset", "text", "total"}` (the text from character
`offset` on, of `total` so far), and last `{"end": true}` once the run has ended.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from typing import Any

from lib.run.model import RUNNING, Run

FEED_PATH = "playground-feed"
# How often a feed looks for new text: about a token at 20 tokens/s. Each line it sends costs
# the event loop more than the look (the response's middleware, a socket write): beyond this
# many lines a second in all, the feeds open share them, and each looks less often.
STEP_SECONDS = 0.05
LINES_PER_SECOND = 250
# A line carries at most this much of the text's end: a page that joins a long run late gets
# its end (the editor keeps only a window of it anyway), not megabytes in one line.
LINE_CHARS = 16_000

TextOf = Callable[[Run, int], str]

_feeds: dict[str, tuple[weakref.ref[Run], int, TextOf]] = {}
_lock = threading.Lock()
_served = threading.Event()
_open = 0  # feeds being sent now


def open_feeds() -> int:
    """How many feeds are being sent now."""
    return _open


def step_seconds(feeds: int) -> float:
    """How long a feed waits between looks while `feeds` feeds are open."""
    return max(STEP_SECONDS, feeds / LINES_PER_SECOND)


def served() -> bool:
    """Whether this server answers the feed's route (it runs as the `st.App` that has it)."""
    return _served.is_set()


def open_feed(run: Run, choice: int, text_of: TextOf) -> str:
    """A new feed of `choice` of `run` (the text as `text_of` reads it); its token."""
    token = secrets.token_urlsafe(24)
    with _lock:
        # Feeds of runs that are gone go with the next one opened: no timer needed.
        for dead in [t for t, (ref, _, _) in _feeds.items() if ref() is None]:
            del _feeds[dead]
        _feeds[token] = (weakref.ref(run), choice, text_of)
    return token


def feed_path(base_path: str, token: str = "{token}") -> str:
    """The feed's URL path under the server's base path (`server.baseUrlPath`)."""
    base = base_path.strip("/")
    return f"/{base}/{FEED_PATH}/{token}" if base else f"/{FEED_PATH}/{token}"


def lines(run: Run, choice: int, text_of: TextOf, sent: int) -> AsyncIterator[str]:
    """The feed's lines, from character `sent` on, until the run has ended."""

    async def each() -> AsyncIterator[str]:
        nonlocal sent
        while True:
            running = run.status == RUNNING  # read first: the text read after it is whole
            text = text_of(run, choice)
            run.seen()  # a page reads it: the worker keeps going
            if len(text) > sent:
                offset = max(sent, len(text) - LINE_CHARS)
                yield _line({"offset": offset, "text": text[offset:], "total": len(text)})
                sent = len(text)
            if not running:
                yield _line({"end": True})
                return
            await asyncio.sleep(step_seconds(_open))

    return each()


def _line(obj: dict[str, Any]) -> str:
    return json.dumps(obj, ensure_ascii=False) + "\n"


_counted: Any = None  # the response class below, made with the first feed served


def _counted_response() -> Any:
    """A StreamingResponse that counts itself among the open feeds while it is being sent.

    Counted around the whole response, not in the lines' generator: a page that leaves while
    the generator waits at a `yield` is cancelled in the response, and the generator's own
    cleanup would wait for the garbage collector."""
    global _counted
    if _counted is None:
        # Starlette comes with Streamlit's server; imported here so that the run model and
        # the tests of this module's pure parts do not load it.
        from starlette.responses import StreamingResponse

        class Counted(StreamingResponse):
            async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
                global _open
                _open += 1  # every feed is sent on the server's event loop: no lock needed
                try:
                    await super().__call__(scope, receive, send)
                finally:
                    _open -= 1

        _counted = Counted
    return _counted


async def _serve(request: Any) -> Any:
    from starlette.responses import Response

    with _lock:
        entry = _feeds.get(request.path_params.get("token", ""))
    run = entry[0]() if entry else None
    if entry is None or run is None:
        return Response(status_code=404, headers={"Cache-Control": "no-store"})
    start = request.query_params.get("from", "0")
    sent = int(start) if start.isdigit() else 0
    return _counted_response()(
        lines(run, entry[1], entry[2], sent),
        media_type="application/x-ndjson; charset=utf-8",
        # No cache may keep it, and nginx must pass it on as it grows (deploy/nginx has
        # proxy_buffering off; this covers a proxy set up without it).
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def routes(base_path: str) -> list[Any]:
    """The feed's route for `st.App(routes=...)`; from then on, pages are given feeds."""
    from starlette.routing import Route

    _served.set()
    return [Route(feed_path(base_path), _serve, methods=["GET"])]
