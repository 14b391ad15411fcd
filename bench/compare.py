"""Row 11: a comparison of four columns against one ordinary run, the same tokens per column
(issue #20: four columns cost no more than n=4 does): at 100 tokens/s per column, as four
servers (or one serving four requests at once) stream, where the target is judged, and at
full speed, reported: there four columns are four times the tokens for the app and the
browser on the same two cores (curl's time for as many streams at once is shown beside it).

The clock stops when the end marker is in the page as many times as there are columns.

    python -m bench.compare [--quick]
"""

from __future__ import annotations

import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.browser import (
    app_server,
    chromium,
    curl_seconds,
    end_marker,
    marked_text,
    open_ready,
    share_link,
    submit,
    wait_seen,
)
from bench.core import Result, Row, cpu_seconds, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay

COLUMNS = (0, 4)  # 0: Compare off, an ordinary run
PACED_DELAY = 0.01  # s between tokens: 100 tokens/s per column


def compare_run(
    browser: Any, url: str, relay: Any, tokens: int, columns: int, delay: float = 0.0
) -> dict:
    """One send through the playground in a fresh session, with `columns` columns (0: Compare
    off, an ordinary run): seconds until each marker shows `columns` times."""
    text, marks = marked_text(tokens, f"c{uuid.uuid4().hex[:8]}")
    relay.options.update(text=text, token_delay=delay)
    fields = {f"c{i}.model": "" for i in range(1, columns + 1)}
    page = open_ready(browser, share_link(url, prompt="bench", max_tokens=tokens, **fields))
    try:
        submit(page, marks, need=max(columns, 1))
        return wait_seen(page, marks, 300)
    finally:
        page.context.close()


def curls_at_once(base_url: str, tokens: int, count: int) -> float:
    """Wall seconds for `count` curls reading the same stream at once."""
    body = {"prompt": "bench", "max_tokens": tokens, "stream": True}
    with ThreadPoolExecutor(count) as pool:
        return max(pool.map(lambda _: curl_seconds(base_url, body), range(count)))


def run(result: Result, quick: bool) -> None:
    tokens, paced_tokens, rounds = (300, 100, 1) if quick else (2000, 500, 3)
    full: dict[int, list[float]] = {c: [] for c in COLUMNS}
    curl: dict[int, list[float]] = {c: [] for c in COLUMNS}
    paced: dict[int, list[float]] = {c: [] for c in COLUMNS}
    cpu: dict[int, list[float]] = {c: [] for c in COLUMNS}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                compare_run(browser, server.url, relay, 50, 0)  # warm: first script run
            for i in range(rounds):
                for columns in COLUMNS:
                    progress(f"compare: {columns} columns, {tokens:,} tokens each, round {i + 1}")
                    before = cpu_seconds(server.pid)
                    seen = compare_run(browser, server.url, relay, tokens, columns)
                    cpu[columns].append(cpu_seconds(server.pid) - before)
                    full[columns].append(seen[end_marker(seen)])
                    curl[columns].append(curls_at_once(relay.base_url, tokens, max(columns, 1)))
                    seen = compare_run(
                        browser, server.url, relay, paced_tokens, columns, PACED_DELAY
                    )
                    paced[columns].append(seen[end_marker(seen)])
    ratio = {name: median(m[4]) / median(m[0]) for name, m in
             (("paced", paced), ("full", full), ("curl", curl))}  # fmt: skip
    label = {0: "one run (Compare off)", 4: "4 columns"}
    result.headers = [
        "send", f"{paced_tokens:,} tokens at 100/s", "vs one", f"{tokens:,} at full speed",
        "vs one", "curl, as many at once", "app server CPU (full speed)",
    ]  # fmt: skip
    result.rows = [
        [label[c], fmt_s(median(paced[c])), fmt_x(median(paced[c]) / median(paced[0])),
         fmt_s(median(full[c])), fmt_x(median(full[c]) / median(full[0])),
         fmt_s(median(curl[c])), fmt_s(median(cpu[c]))]
        for c in COLUMNS
    ]  # fmt: skip
    result.measured = (
        f"{fmt_x(ratio['paced'])} at 100 tokens/s; full speed {fmt_x(ratio['full'])} "
        f"(curl alone {fmt_x(ratio['curl'])})"
    )
    result.baseline = "one run"
    result.notes.append(
        f"Medians of {rounds} rounds; the columns stream as one keyed component as n>1 cards "
        "do. At full speed four columns are four times the tokens for the relay, the app and "
        "the browser on the same two cores; the target is judged at 100 tokens/s per column. "
        "App server CPU covers the whole session."
    )
    result.judge(ratio["paced"] <= 1.5)


ROW = Row(11, "compare", "Compare: 4 columns vs 1", "≤ 1.5× at 100 tokens/s per column", run)

if __name__ == "__main__":
    main_for(ROW)
