"""Row 11: a comparison of four columns against one ordinary run, the same tokens per column,
at full speed (issue #20: four columns cost no more than n=4 does).

The clock stops when the end marker is in the page as many times as there are columns.

    python -m bench.compare [--quick]
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from bench.browser import (
    app_server,
    chromium,
    end_marker,
    marked_text,
    open_ready,
    share_link,
    submit,
    wait_seen,
)
from bench.core import Result, Row, cpu_seconds, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay


def compare_run(browser: Any, url: str, relay: Any, tokens: int, columns: int) -> dict:
    """One send through the playground in a fresh session, with `columns` columns (0: Compare
    off, an ordinary run): seconds until each marker shows `columns` times."""
    text, marks = marked_text(tokens, f"c{uuid.uuid4().hex[:8]}")
    relay.options.update(text=text, token_delay=0.0)
    fields = {f"c{i}.model": "" for i in range(1, columns + 1)}
    page = open_ready(browser, share_link(url, prompt="bench", max_tokens=tokens, **fields))
    try:
        submit(page, marks, need=max(columns, 1))
        return wait_seen(page, marks, 300)
    finally:
        page.context.close()


def run(result: Result, quick: bool) -> None:
    tokens, rounds = (300, 1) if quick else (2000, 3)
    times: dict[int, list[float]] = {0: [], 4: []}
    cpu: dict[int, list[float]] = {0: [], 4: []}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                compare_run(browser, server.url, relay, 50, 0)  # warm: first script run
            for i in range(rounds):
                for columns in times:
                    progress(f"compare: {columns} columns, {tokens:,} tokens each, round {i + 1}")
                    before = cpu_seconds(server.pid)
                    seen = compare_run(browser, server.url, relay, tokens, columns)
                    cpu[columns].append(cpu_seconds(server.pid) - before)
                    times[columns].append(seen[end_marker(seen)])
    one, four = median(times[0]), median(times[4])
    label = {0: "one run (Compare off)", 4: "4 columns"}
    result.headers = ["send", "Submit → every column's last token", "vs one", "app server CPU"]
    result.rows = [
        [label[c], fmt_s(median(times[c])), fmt_x(median(times[c]) / one), fmt_s(median(cpu[c]))]
        for c in times
    ]
    result.measured = f"{fmt_s(four)} vs {fmt_s(one)}: {fmt_x(four / one)}"
    result.baseline = "one run"
    result.notes.append(
        f"{tokens:,} tokens per column, medians of {rounds} rounds; the columns stream as one "
        "keyed component as n>1 cards do. App server CPU covers the whole session."
    )
    result.judge(four / one <= 1.5)


ROW = Row(11, "compare", "Compare: 4 columns vs 1", "≤ 1.5×", run)

if __name__ == "__main__":
    main_for(ROW)
