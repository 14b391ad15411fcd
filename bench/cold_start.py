"""Row 6: `streamlit run` → first paint, the playground beside a one-line app.

The clock starts when the server process is started and stops when the browser shows a
Submit button that can be clicked (the playground's first screen is fully drawn by then). The
browser is already running; the apps alternate, so load from elsewhere falls on both.

    python -m bench.cold_start [--quick]
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.browser import APP, SUBMIT, chromium
from bench.core import ROOT, Result, Row, fmt_s, fmt_x, main_for, median, progress
from tests.support.browser import app_process, wait_healthy
from tests.support.fake_relay import FakeRelay

ONE_LINE_APP = ROOT / "bench" / "apps" / "one_line_app.py"


def first_paint(browser, app: Path, env: dict[str, str], log: Path) -> float:
    start = time.perf_counter()
    with app_process(env, log, app) as (url, proc):
        wait_healthy(url, proc, log, timeout=90)
        context = browser.new_context()
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector(f"{SUBMIT}:not([disabled])", timeout=120_000)
        seconds = time.perf_counter() - start
        context.close()
        return seconds


def run(result: Result, quick: bool) -> None:
    rounds = 1 if quick else 3
    apps = {"playground": APP, "one-line app": ONE_LINE_APP}
    times: dict[str, list[float]] = {name: [] for name in apps}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        for i in range(rounds):
            for name, app in apps.items():
                progress(f"cold start: {name}, round {i + 1}/{rounds}")
                times[name].append(first_paint(browser, app, env, Path(tmp) / "app.log"))
    ours, base = median(times["playground"]), median(times["one-line app"])
    result.headers = ["app", "start → first paint (median)", "each round"]
    for name, values in times.items():
        result.rows.append([name, fmt_s(median(values)), ", ".join(fmt_s(v) for v in values)])
    result.measured = f"{fmt_s(ours)} vs {fmt_s(base)}: {fmt_x(ours / base)}"
    result.baseline = "one-line Streamlit app"
    result.judge(ours / base <= 1.3)


ROW = Row(6, "cold_start", "Cold start → first paint", "≤ 1.3× a one-line app", run)

if __name__ == "__main__":
    main_for(ROW)
