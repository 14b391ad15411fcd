"""Browser rows: an app under `streamlit run`, Chromium, and knowing when the last token shows.

The playground's way of drawing a completion is free to change (a code box today, a document
editor in a shadow root tomorrow), so nothing here looks for its elements. The fake relay's
completion ends with a unique marker, and a watcher in the page notes the moment each marker
is in the page's text: the document, every shadow root (open or closed: `attachShadow` is
wrapped before the app loads), text boxes and same-origin frames. The request comes from a
share link and is sent with the Submit button (`st-key-btn_submit`).
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.core import ROOT
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, app_process, wait_healthy

APP = ROOT / "streamlit_app.py"
SUBMIT = ".st-key-btn_submit button"
FILLER = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
TOKEN_CHARS = 3  # the relay's `text` option streams three characters a token

WATCHER = """
(() => {
  const roots = [];
  const state = window.__bench = {need: {}, seen: {}, t0: null};
  const texts = () => {
    const parts = [document.body ? document.body.textContent : ""];
    for (const root of roots) parts.push(root.textContent);
    for (const root of [document, ...roots]) {
      for (const box of root.querySelectorAll("textarea")) parts.push(box.value);
    }
    for (const frame of document.querySelectorAll("iframe")) {
      try { parts.push(frame.contentDocument.body.textContent); } catch (e) { /* other origin */ }
    }
    return parts.join("\\n");
  };
  state.texts = texts;
  const check = () => {
    const pending = Object.keys(state.need).filter((m) => !(m in state.seen));
    if (!pending.length) return;
    const now = performance.now();
    const all = texts();
    for (const mark of pending) {
      if (all.split(mark).length - 1 >= state.need[mark]) state.seen[mark] = now;
    }
  };
  const observer = new MutationObserver(check);
  const options = {childList: true, subtree: true, characterData: true};
  const watch = (node) => observer.observe(node, options);
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    roots.push(root);
    watch(root);
    return root;
  };
  watch(document);
  setInterval(check, 50);  // text typed into a box changes no DOM node
  state.submit = (marks) => {
    state.need = marks;
    state.seen = {};
    state.t0 = performance.now();
    document.querySelector(SUBMIT_SELECTOR).click();
  };
})();
""".replace("SUBMIT_SELECTOR", repr(SUBMIT))


def marked_text(tokens: int, run_id: str, quarters: bool = False) -> tuple[str, dict[str, int]]:
    """A completion of `tokens` tokens whose last characters are a marker unique to `run_id`.

    With `quarters`, markers also sit at 5%, 25% and 75% of the text. Returns the text and the
    marker offsets (character position of each marker's last character).
    """
    length = tokens * TOKEN_CHARS
    end = f"Z{run_id}END"
    text = list((FILLER * (length // len(FILLER) + 1))[:length])
    marks = {end: length}
    if quarters:
        for pct in (5, 25, 75):
            mark = f"Z{run_id}Q{pct:02d}"
            at = length * pct // 100
            text[at - len(mark) : at] = mark
            marks[mark] = at
    text[length - len(end) :] = end
    return "".join(text), marks


def end_marker(marks: dict[str, int]) -> str:
    return max(marks, key=marks.__getitem__)


@dataclass
class AppServer:
    url: str
    pid: int


@contextmanager
def app_server(env: dict[str, str], log: Path, app: Path = APP) -> Iterator[AppServer]:
    """`streamlit run app` headless on a free port, until its health check answers."""
    with app_process(env, log, app) as (url, proc):
        wait_healthy(url, proc, log, timeout=90)
        yield AppServer(url, proc.pid)


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium (Debian's), or RuntimeError saying what is missing."""
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def share_link(url: str, **fields: Any) -> str:
    return f"{url}/?{urlencode(fields)}"


def open_ready(browser: Any, link: str, init_script: str = "", timeout: float = 90) -> Any:
    """A new context (its own Streamlit session) on `link`, once Submit can be clicked."""
    return open_many(browser, link, 1, init_script, timeout)[0]


def open_many(
    browser: Any, link: str, count: int, init_script: str = "", timeout: float = 180
) -> list[Any]:
    """`count` new sessions on `link`, loading side by side, once Submit can be clicked in each."""
    pages = []
    for _ in range(count):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(WATCHER)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        page.goto(link, wait_until="commit")
        pages.append(page)
    for page in pages:
        page.wait_for_selector(f"{SUBMIT}:not([disabled])", timeout=timeout * 1000)
    # Reruns that follow the first paint (share link applied, URL synced) settle first.
    pages[-1].wait_for_timeout(300)
    return pages


def submit(page: Any, marks: dict[str, int], need: int = 1) -> None:
    """Click Submit, watching for every marker (`need` copies of the end marker)."""
    end = end_marker(marks)
    page.evaluate("(m) => window.__bench.submit(m)", {m: need if m == end else 1 for m in marks})


def wait_seen(page: Any, marks: dict[str, int], timeout: float) -> dict[str, float]:
    """Seconds from the click until each marker was in the page."""
    end = end_marker(marks)
    page.wait_for_function(
        "(m) => m in window.__bench.seen", arg=end, timeout=timeout * 1000, polling=100
    )
    seen = page.evaluate("() => [window.__bench.t0, window.__bench.seen]")
    t0, times = seen
    return {mark: (at - t0) / 1000 for mark, at in times.items()}


def page_text(page: Any) -> str:
    return page.evaluate("() => window.__bench.texts()")


_runs = iter(range(1, 10**9))


def app_run(
    browser: Any,
    url: str,
    relay: Any,
    tokens: int,
    token_delay: float,
    *,
    n: int = 1,
    quarters: bool = False,
    timeout: float = 300,
) -> dict[str, float]:
    """One request through the playground in a fresh session: seconds until each marker shows."""
    text, marks = marked_text(tokens, f"{os.getpid()}r{next(_runs)}", quarters)
    relay.options.update(text=text, token_delay=token_delay)
    link = share_link(url, prompt="bench", max_tokens=tokens, **({"n": n} if n > 1 else {}))
    page = open_ready(browser, link)
    try:
        submit(page, marks, need=n)
        return wait_seen(page, marks, timeout)
    finally:
        page.context.close()


def curl_seconds(base_url: str, body: dict, after: float = 0.0) -> float:
    """Wall seconds for `curl -N` to read the whole stream (started `after` seconds from now)."""
    import json

    time.sleep(after)  # lets a page being opened at the same time read the relay's options
    cmd = [
        "curl", "-sSN", "-X", "POST", f"{base_url}/completions",
        "-H", "Content-Type: application/json", "-d", json.dumps(body), "-o", os.devnull,
    ]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(cmd, check=True, timeout=600)
    return time.perf_counter() - start
