"""Row 5: many people streaming at once on one app server.

1, 10 and 25 browser sessions each stream 300 tokens at 20 tokens/s, all started together.
For each session: did the page end with the exact text, and how long after the stream's own
duration did its last token show (lag)? For the app server: CPU seconds per streaming
session-second (from /proc; a session-second is one session for one second of the stream as
the relay paces it), beside a minimal app that streams the same generator with
`st.write_stream` (bench/apps/write_stream_app.py) under the same load.

The top level is where the target is judged, and where one trial of 25 sessions varies the
most (by a second from one trial to the next, in both apps): both app servers run side by
side, and three trials of each alternate (the playground, the minimal app, and again); the
row compares the medians of the trials' median lags, and the CPU of all trials together.

    python -m bench.sessions [--quick]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.browser import (
    app_server,
    chromium,
    end_marker,
    marked_text,
    open_many,
    page_text,
    share_link,
    submit,
    wait_seen,
)
from bench.core import ROOT, Result, Row, cpu_seconds, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay

MINIMAL_APP = ROOT / "bench" / "apps" / "write_stream_app.py"
TOKEN_DELAY = 0.05  # 20 tokens/s
TOP_ROUNDS = 3  # trials of the top level, each app, alternating


def streams(browser, server, relay, sessions: int, tokens: int, tag: str) -> dict:
    """Start `sessions` streams together; lag per session, exact-text count, CPU per session-s."""
    text, marks = marked_text(tokens, tag)
    relay.options.update(text=text, token_delay=TOKEN_DELAY)
    link = share_link(server.url, prompt="bench", max_tokens=tokens)
    progress(f"sessions: opening {sessions} ({tag})")
    pages = open_many(browser, link, sessions)
    cpu = cpu_seconds(server.pid)
    for page in pages:
        submit(page, marks)
    seen = [wait_seen(page, marks, timeout=300)[end_marker(marks)] for page in pages]
    cpu = cpu_seconds(server.pid) - cpu
    exact = sum(text in page_text(page) for page in pages)
    for page in pages:
        page.context.close()
    ideal = (tokens - 1) * TOKEN_DELAY
    lags = [s - ideal for s in seen]
    # Per second of streaming as the relay paces it: a server that falls behind spreads its
    # work over a longer time, and must not look cheaper for it.
    per_session_second = cpu / (sessions * ideal)
    return {"lag": median(lags), "lag_max": max(lags), "exact": exact, "cpu": per_session_second}


def combined(trials: list[dict]) -> dict:
    """Trials of one level as one: the median of their median lags, the worst lag of all, every
    session's exact text, and the CPU of all of them (each trial weighs the same)."""
    return {
        "lag": median([t["lag"] for t in trials]),
        "lag_max": max(t["lag_max"] for t in trials),
        "exact": min(t["exact"] for t in trials),
        "cpu": sum(t["cpu"] for t in trials) / len(trials),
        "lags": [t["lag"] for t in trials],
    }


def run(result: Result, quick: bool) -> None:
    counts = (1, 2) if quick else (1, 10, 25)
    tokens = 60 if quick else 300
    rounds = 1 if quick else TOP_ROUNDS
    levels: dict[int, dict] = {}
    top = counts[-1]
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with (
            app_server(env, Path(tmp) / "app.log") as server,
            app_server(env, Path(tmp) / "minimal.log", MINIMAL_APP) as minimal_server,
        ):
            if not quick:
                streams(browser, server, relay, 1, 20, "warm")
                streams(browser, minimal_server, relay, 1, 20, "mwarm")
            for count in counts[:-1]:
                levels[count] = streams(browser, server, relay, count, tokens, f"s{count}")
            ours, theirs = [], []
            for i in range(rounds):
                ours.append(streams(browser, server, relay, top, tokens, f"s{top}r{i}"))
                theirs.append(streams(browser, minimal_server, relay, top, tokens, f"m{top}r{i}"))
    levels[top], minimal = combined(ours), combined(theirs)
    base = levels[1]["lag"]
    result.headers = ["sessions", "exact text", "lag (median)", "lag (worst)", "added lag",
                      "CPU ms per session-second"]  # fmt: skip
    for count, level in levels.items():
        result.rows.append(
            [str(count), f"{level['exact']}/{count}", f"{level['lag'] * 1000:.0f} ms",
             f"{level['lag_max'] * 1000:.0f} ms", f"{(level['lag'] - base) * 1000:+.0f} ms",
             f"{level['cpu'] * 1000:.1f}"]
        )  # fmt: skip
    result.rows.append(
        [f"{top} (st.write_stream app)", f"{minimal['exact']}/{top}",
         f"{minimal['lag'] * 1000:.0f} ms", f"{minimal['lag_max'] * 1000:.0f} ms", "",
         f"{minimal['cpu'] * 1000:.1f}"]
    )  # fmt: skip
    lag, lag_minimal = levels[top]["lag"], minimal["lag"]
    lag_ratio = lag / lag_minimal if lag_minimal > 0 else float("inf")
    cpu_ratio = levels[top]["cpu"] / minimal["cpu"]
    all_exact = all(level["exact"] == count for count, level in levels.items()) and (
        minimal["exact"] == top
    )
    result.measured = (
        f"{top} sessions: lag {lag:.2f} s vs {lag_minimal:.2f} s ({fmt_x(lag_ratio)}), "
        f"CPU {fmt_x(cpu_ratio)} the minimal app"
    )
    result.baseline = "1 session; st.write_stream app"
    if rounds > 1:
        result.notes.append(
            f"At {top} sessions, {rounds} trials of each app, alternating; median lag of each "
            f"trial: playground {', '.join(fmt_s(lag) for lag in levels[top]['lags'])}; "
            f"minimal app {', '.join(fmt_s(lag) for lag in minimal['lags'])}. The table shows "
            "the median of the trials, the worst session of all, and their CPU together."
        )
    result.notes.append(
        f"{tokens} tokens at {1 / TOKEN_DELAY:.0f} tokens/s per session; lag is the time from "
        "Submit to the last token minus the stream's own duration. The browser sessions run on "
        "the same 2 cores as the app server, so part of the lag is Chromium's: the target "
        "compares it with the minimal app's lag under the same load. Both apps run with the "
        "project's .streamlit/config.toml."
    )
    result.series = {
        "counts": list(levels),
        "lag": [level["lag"] for level in levels.values()],
        "lag_max": [level["lag_max"] for level in levels.values()],
        "cpu": [level["cpu"] for level in levels.values()],
        "cpu_minimal": [(top, minimal["cpu"])],
    }
    # Within 250 ms of the minimal app counts too: a ratio of two small lags is noise.
    result.judge(all_exact, lag <= 1.25 * lag_minimal or lag - lag_minimal <= 0.25,
                 cpu_ratio <= 1.5)  # fmt: skip


ROW = Row(
    5,
    "sessions",
    "Concurrent sessions",
    "exact text; at 25: lag ≤ 1.25× and CPU ≤ 1.5× the st.write_stream app's",
    run,
)

if __name__ == "__main__":
    main_for(ROW)
