"""Row 6: `streamlit run` → first paint, the playground beside a one-line app.

The clock starts when the server process is started and stops when the browser has drawn a
Submit button that can be clicked (the playground's first screen is fully drawn by then): the
page notes the frame after the button appears enabled, on the same wall clock. (Playwright's
`wait_for_selector`, used before, asks again only every 500 ms after its first 270 ms: it
rounded each time up by as much as half a second, the longer wait the more.) The browser is
already running; the apps alternate, so load from elsewhere falls on all of them.

Beside them, the same frame with one widget of each type the playground's sidebar draws and
no logic behind them: what Streamlit's frontend takes to show those types at all (it loads
each type's code the first time a page uses it).

The app's modules are compiled to bytecode first, as the Docker image does when it is built
and as Python does on a first start where it may write it. A fifth start per round shows the
playground without it (PYTHONDONTWRITEBYTECODE, as on a machine that sets it): every module
of the app is compiled from its source as the first page imports it.

    python -m bench.cold_start [--quick]
"""

from __future__ import annotations

import compileall
import json
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.browser import APP, SUBMIT, chromium
from bench.core import ROOT, Result, Row, fmt_s, fmt_x, main_for, median, progress
from tests.support.browser import app_process, wait_healthy
from tests.support.fake_relay import FakeRelay

ONE_LINE_APP = ROOT / "bench" / "apps" / "one_line_app.py"
NAVIGATION_APP = ROOT / "bench" / "apps" / "navigation_app.py"
# The same frame with one widget of each type the playground's sidebar draws, and no logic.
WIDGET_TYPES_APP = ROOT / "bench" / "apps" / "widget_types_app.py"
# What the app imports as modules (Streamlit runs the page scripts from their source).
APP_MODULES = ROOT / "lib"
# Notes, one frame after it happens, when the Submit button is in the page, shown and enabled.
SHOWN_AT = """(() => {
  const shown = () => {
    const button = document.querySelector(__SUBMIT__);
    return button && !button.disabled && button.offsetParent !== null;
  };
  const watch = new MutationObserver(() => {
    if (window.__submitShownAt || !shown()) return;
    window.__submitShownAt = -1;
    watch.disconnect();
    requestAnimationFrame(() => {
      window.__submitShownAt = performance.timeOrigin + performance.now();
    });
  });
  watch.observe(document, { subtree: true, childList: true, attributes: true });
})()""".replace("__SUBMIT__", json.dumps(SUBMIT))


def first_paint(browser, app: Path, env: dict[str, str], log: Path) -> float:
    start = time.time()  # the page's clock (performance.timeOrigin) is the wall clock too
    with app_process(env, log, app) as (url, proc):
        wait_healthy(url, proc, log, timeout=90)
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(SHOWN_AT)
        page.goto(url)
        page.wait_for_function("window.__submitShownAt > 0", timeout=120_000)
        seconds = page.evaluate("window.__submitShownAt") / 1000 - start
        context.close()
        return seconds


def compile_bytecode() -> None:
    """The app's modules compiled, as `python -m compileall` in the Docker image does."""
    compileall.compile_dir(APP_MODULES, quiet=1)
    compileall.compile_file(APP, quiet=1)  # the module the server imports at its start


@contextmanager
def without_bytecode(aside: Path) -> Iterator[dict[str, str]]:
    """The app's compiled modules moved into `aside` until the block ends; the environment
    that keeps a start from writing them again. (Bytecode is a cache: one lost to a kill
    mid-row is compiled again.)"""
    caches = [*APP_MODULES.rglob("__pycache__"), ROOT / "__pycache__"]
    moved = []
    try:
        for number, cache in enumerate(cache for cache in caches if cache.is_dir()):
            shutil.move(cache, aside / str(number))
            moved.append((aside / str(number), cache))
        yield {"PYTHONDONTWRITEBYTECODE": "1"}
    finally:
        for kept, cache in moved:
            shutil.rmtree(cache, ignore_errors=True)  # written again meanwhile: ours is whole
            shutil.move(kept, cache)


def run(result: Result, quick: bool) -> None:
    rounds = 1 if quick else 3
    apps = {
        "playground": APP, "navigation app": NAVIGATION_APP,
        "widget types app": WIDGET_TYPES_APP, "one-line app": ONE_LINE_APP,
    }  # fmt: skip
    uncompiled = "playground, no compiled bytecode"
    times: dict[str, list[float]] = {name: [] for name in [*apps, uncompiled]}
    compile_bytecode()
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        log = Path(tmp) / "app.log"
        for i in range(rounds):
            for name, app in apps.items():
                progress(f"cold start: {name}, round {i + 1}/{rounds}")
                times[name].append(first_paint(browser, app, env, log))
            progress(f"cold start: {uncompiled}, round {i + 1}/{rounds}")
            aside = Path(tmp) / f"bytecode-{i}"
            aside.mkdir()
            with without_bytecode(aside) as no_writing:
                times[uncompiled].append(first_paint(browser, APP, {**env, **no_writing}, log))
    ours, base = median(times["playground"]), median(times["one-line app"])
    result.headers = ["app", "start → first paint (median)", "× the one-line app", "each round"]
    for name, values in times.items():
        result.rows.append([
            name, fmt_s(median(values)), fmt_x(median(values) / base),
            ", ".join(fmt_s(v) for v in values),
        ])  # fmt: skip
    widgets = median(times["widget types app"])
    result.measured = (
        f"{fmt_s(ours)} vs {fmt_s(base)}: {fmt_x(ours / base)} "
        f"(the widget types alone: {fmt_x(widgets / base)})"
    )
    result.baseline = "one-line Streamlit app"
    result.judge(ours / base <= 1.3)


ROW = Row(6, "cold_start", "Cold start → first paint", "≤ 1.3× a one-line app", run)

if __name__ == "__main__":
    main_for(ROW)
