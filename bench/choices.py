"""Row 4: four choices at once against one, the same tokens per choice, at full speed.

The clock stops when the end marker is in the page as many times as there are choices.

    python -m bench.choices [--quick]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.browser import app_run, app_server, chromium, end_marker
from bench.core import Result, Row, cpu_seconds, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay


def run(result: Result, quick: bool) -> None:
    tokens, rounds = (300, 1) if quick else (2000, 3)
    times: dict[int, list[float]] = {1: [], 4: []}
    cpu: dict[int, list[float]] = {1: [], 4: []}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                app_run(browser, server.url, relay, 50, 0.0)  # warm: first script run, imports
            for i in range(rounds):
                for n in times:
                    progress(f"choices: n={n}, {tokens:,} tokens each, round {i + 1}")
                    before = cpu_seconds(server.pid)
                    seen = app_run(browser, server.url, relay, tokens, 0.0, n=n)
                    cpu[n].append(cpu_seconds(server.pid) - before)
                    times[n].append(seen[end_marker(seen)])
    one, four = median(times[1]), median(times[4])
    result.headers = ["request", "Submit → every choice's last token", "vs n=1", "app server CPU"]
    result.rows = [
        [f"n={n}", fmt_s(median(times[n])), fmt_x(median(times[n]) / one), fmt_s(median(cpu[n]))]
        for n in times
    ]
    result.measured = f"{fmt_s(four)} vs {fmt_s(one)}: {fmt_x(four / one)}"
    result.baseline = "n=1"
    result.notes.append(
        f"{tokens:,} tokens per choice, medians of {rounds} rounds. App server CPU covers the "
        "whole session (page opened, run, final redraw): the rest of the time is the browser's."
    )
    result.judge(four / one <= 1.5)


ROW = Row(4, "choices", "n=4 vs n=1", "≤ 1.5×", run)

if __name__ == "__main__":
    main_for(ROW)
