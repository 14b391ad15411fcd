"""Row 4: four choices at once against one, the same tokens per choice: at 100 tokens/s per
choice from a server that generates the n choices together (as vLLM and llama.cpp do), where
the target is judged, and at full speed, reported: there n=4 is four times the tokens for the
relay, the app and the browser on the same two cores (curl's time for the same stream is
shown beside it).

The clock stops when the end marker is in the page as many times as there are choices.

    python -m bench.choices [--quick]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.browser import app_run, app_server, chromium, curl_seconds, end_marker
from bench.core import Result, Row, cpu_seconds, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay

CHOICES = (1, 4)
PACED_DELAY = 0.01  # s between steps: 100 tokens/s per choice


def run(result: Result, quick: bool) -> None:
    tokens, paced_tokens, rounds = (300, 100, 1) if quick else (2000, 500, 3)
    full: dict[int, list[float]] = {n: [] for n in CHOICES}
    curl: dict[int, list[float]] = {n: [] for n in CHOICES}
    paced: dict[int, list[float]] = {n: [] for n in CHOICES}
    cpu: dict[int, list[float]] = {n: [] for n in CHOICES}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        relay.options["batched"] = True  # one token of every choice per step
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                app_run(browser, server.url, relay, 50, 0.0)  # warm: first script run, imports
            for i in range(rounds):
                for n in CHOICES:
                    progress(f"choices: n={n}, {tokens:,} tokens each, round {i + 1}")
                    before = cpu_seconds(server.pid)
                    seen = app_run(browser, server.url, relay, tokens, 0.0, n=n)
                    cpu[n].append(cpu_seconds(server.pid) - before)
                    full[n].append(seen[end_marker(seen)])
                    body = {"prompt": "bench", "max_tokens": tokens, "stream": True, "n": n}
                    curl[n].append(curl_seconds(relay.base_url, body))  # the same stream
                    seen = app_run(browser, server.url, relay, paced_tokens, PACED_DELAY, n=n)
                    paced[n].append(seen[end_marker(seen)])
    ratio = {name: median(m[4]) / median(m[1]) for name, m in
             (("paced", paced), ("full", full), ("curl", curl))}  # fmt: skip
    result.headers = [
        "request", f"{paced_tokens:,} tokens at 100/s", "vs n=1", f"{tokens:,} at full speed",
        "vs n=1", "curl, same stream", "app server CPU (full speed)",
    ]  # fmt: skip
    result.rows = [
        [f"n={n}", fmt_s(median(paced[n])), fmt_x(median(paced[n]) / median(paced[1])),
         fmt_s(median(full[n])), fmt_x(median(full[n]) / median(full[1])),
         fmt_s(median(curl[n])), fmt_s(median(cpu[n]))]
        for n in CHOICES
    ]  # fmt: skip
    result.measured = (
        f"{fmt_x(ratio['paced'])} at 100 tokens/s; full speed {fmt_x(ratio['full'])} "
        f"(curl alone {fmt_x(ratio['curl'])})"
    )
    result.baseline = "n=1"
    result.notes.append(
        f"Medians of {rounds} rounds. At full speed n=4 is four times the tokens to send, read "
        "and draw on two cores shared with the relay and the browser; the target is judged at "
        "100 tokens/s per choice, where a server generating the choices together takes as long "
        "for n=4 as for n=1. App server CPU covers the whole session."
    )
    result.judge(ratio["paced"] <= 1.5)


ROW = Row(4, "choices", "n=4 vs n=1", "≤ 1.5× at 100 tokens/s per choice", run)

if __name__ == "__main__":
    main_for(ROW)
