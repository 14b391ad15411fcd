"""Row 8: app server memory (RSS) per idle browser session, and per session holding 500 entries.

The server is read from /proc with no session, after one session (the first loads most of
the app's modules, once per server), after N more idle sessions, and after N more sessions
whose browser holds a full history (500 entries in localStorage, handed to the server on the
first render, as after a reload).

    python -m bench.memory [--quick]
"""

from __future__ import annotations

import gc
import json
import tempfile
import time
from pathlib import Path

from bench.browser import app_server, chromium, open_many, open_ready, share_link
from bench.core import Result, Row, main_for, progress, rss_mb
from bench.history_page import entries
from lib.ui.storage.history_store import STORAGE_KEY
from tests.support.fake_relay import FakeRelay

SETTLE_SECONDS = 3.0  # sessions finish their first reruns (history handed over) before a reading


def settled_rss(pid: int) -> float:
    time.sleep(SETTLE_SECONDS)
    return rss_mb(pid)


def run(result: Result, quick: bool) -> None:
    count = 2 if quick else 10
    seed = json.dumps(json.dumps(entries()))  # a JS string literal holding the JSON
    key = json.dumps(STORAGE_KEY)
    with_history = f"if (!localStorage.getItem({key})) localStorage.setItem({key}, {seed});"
    gc.collect()
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            link = share_link(server.url, prompt="bench")
            none = settled_rss(server.pid)
            pages = [open_ready(browser, link)]
            first = settled_rss(server.pid)
            progress(f"memory: {count} idle sessions")
            pages += open_many(browser, link, count)
            idle = settled_rss(server.pid)
            progress(f"memory: {count} sessions with 500 entries")
            pages += open_many(browser, link, count, init_script=with_history)
            full = settled_rss(server.pid)
            for page in pages:
                page.context.close()
    per_idle = (idle - first) / count
    per_full = (full - idle) / count
    result.headers = ["server state", "RSS", "per session"]
    result.rows = [
        ["no session", f"{none:.0f} MiB", ""],
        ["1 session (loads the app's modules)", f"{first:.0f} MiB", f"{first - none:+.1f} MiB"],
        [f"+ {count} idle sessions", f"{idle:.0f} MiB", f"{per_idle:+.1f} MiB"],
        [f"+ {count} sessions with 500 entries", f"{full:.0f} MiB", f"{per_full:+.1f} MiB"],
    ]
    result.measured = f"{per_idle:.1f} MiB per idle session, {per_full:.1f} MiB with 500 entries"
    result.baseline = f"server with no session: {none:.0f} MiB"
    result.notes.append(
        "RSS counts what the allocator keeps, so a figure moves by a MiB or so between runs."
    )
    result.judge(per_idle <= 5)


ROW = Row(8, "memory", "Memory per session", "report; ≤ 5 MB per idle session", run)

if __name__ == "__main__":
    main_for(ROW)
