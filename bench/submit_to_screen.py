"""Row 2: Submit → last token visible in Chromium, beside `curl -N` reading the same stream.

2,000 tokens, at full speed and at 50 tokens/s. Each playground run is a fresh browser
session opened from a share link; the clock starts at the click on Submit and stops when the
relay's end marker is in the page. curl's clock covers its whole process; at 50 tokens/s it
reads its own copy of the stream while the page reads one.

    python -m bench.submit_to_screen [--quick]
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.browser import app_run, app_server, chromium, curl_seconds, end_marker
from bench.core import Result, Row, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay


def run(result: Result, quick: bool) -> None:
    tokens = 300 if quick else 2000
    speeds = [(0.0, 3 if not quick else 2, tokens), (0.02, 1, 100 if quick else tokens)]
    result.headers = ["stream", "playground", "curl -N", "ratio", "target: ≤ 1.25× curl + 0.5 s"]
    checks, headline = [], []
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                app_run(browser, server.url, relay, 50, 0.0)  # warm: first script run, imports
            for delay, rounds, count in speeds:
                app, curl = [], []
                for i in range(rounds):
                    label = "full speed" if not delay else f"{1 / delay:.0f} tok/s"
                    progress(f"submit → screen: {count} tokens at {label}, round {i + 1}")
                    body = {"model": "m", "prompt": "bench", "max_tokens": count, "stream": True}
                    if delay:
                        # A paced stream costs curl next to nothing: read it at the same time,
                        # under the same load, instead of waiting as long again.
                        with ThreadPoolExecutor(1) as pool:
                            future = pool.submit(curl_seconds, relay.base_url, body, 0.5)
                            seen = app_run(browser, server.url, relay, count, delay)
                            curl.append(future.result())
                    else:
                        seen = app_run(browser, server.url, relay, count, delay)
                        curl.append(curl_seconds(relay.base_url, body))
                    app.append(seen[end_marker(seen)])
                a, c = median(app), median(curl)
                limit = 1.25 * c + 0.5
                checks.append(a <= limit)
                result.rows.append(
                    [f"{count:,} tokens, {label}", fmt_s(a), fmt_s(c), fmt_x(a / c),
                     f"{fmt_s(limit)}: {'meets' if a <= limit else 'misses'}"]
                )  # fmt: skip
                headline.append(f"{fmt_s(a)} vs {fmt_s(c)} ({label})")
    result.measured = "; ".join(headline)
    result.baseline = "curl -N, same stream"
    result.notes.append("Medians of the rounds; each playground run in a new browser session.")
    result.judge(*checks)


ROW = Row(
    2,
    "submit_to_screen",
    "Submit → last token visible",
    "≤ 1.25× curl + 0.5 s",
    run,
)

if __name__ == "__main__":
    main_for(ROW)
