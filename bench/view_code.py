"""Row 10: the View code menu's snippets against the script run that draws them.

The Share menu (share link, export, import, View code) is drawn only while it is open, so
the snippets are built in a rerun only then. Timed with the same 60,000-byte prompt: the
snippets alone, and a whole playground script run in Streamlit's AppTest with the menu closed
and open (the server's side of a redraw; the browser's drawing is not included), medians of
several runs. The ratio is the share of a rerun with the menu open that the snippets take.

    python -m bench.view_code [--quick]
"""

from __future__ import annotations

import os
import time

from bench.core import ROOT, Result, Row, fmt_s, main_for, median, progress, script_runs

PROMPT = "你好世界。" * 4000  # 20,000 characters, 60,000 bytes of UTF-8
BODY = {"model": "fake-instruct", "prompt": PROMPT, "max_tokens": 5, "stream": True}
BASE_URL = "http://127.0.0.1:9/v1"


def snippet_runs(runs: int) -> list[float]:
    """Seconds to build every language's snippet for BODY, once per run."""
    from lib.request.snippets import LANGUAGES, snippet

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for language in LANGUAGES:
            snippet(language, BASE_URL, BODY)
        times.append(time.perf_counter() - start)
    return times


def page_runs(runs: int, menu_open: bool) -> list[float]:
    """Seconds of a playground script run holding PROMPT, once per run."""
    from streamlit.testing.v1 import AppTest

    from lib.ui.keys import SHARE_MENU

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.query_params["prompt"] = PROMPT  # as a share link sets it
    at.session_state[SHARE_MENU] = menu_open  # as a click on the menu sets it
    at.run()
    return script_runs(at, runs, "the playground")


def run(result: Result, quick: bool) -> None:
    runs = 5 if quick else 15
    # The app reads settings from the environment; nothing here sends a request.
    os.environ.setdefault("OPENAI_BASE_URL", BASE_URL)
    progress("view code: snippets")
    snippet_runs(1)  # templates load once per process
    snippets = snippet_runs(runs)
    progress("view code: playground script runs, the menu closed")
    closed = page_runs(runs, menu_open=False)
    progress("view code: playground script runs, the menu open")
    page = page_runs(runs, menu_open=True)
    share = median(snippets) / median(page)
    result.measured = f"{share:.1%} of a script run with the menu open; none with it closed"
    result.baseline = f"script run {fmt_s(median(page))} open, {fmt_s(median(closed))} closed"
    result.headers = ["what", "median", "fastest", "share of a script run, menu open"]
    result.rows = [
        ["every snippet (60 KB prompt)", fmt_s(median(snippets)), fmt_s(min(snippets)),
         f"{share:.1%}"],
        ["playground script run, menu open", fmt_s(median(page)), fmt_s(min(page)), "100%"],
        ["playground script run, menu closed", fmt_s(median(closed)), fmt_s(min(closed)),
         f"{median(closed) / median(page):.0%}"],
    ]  # fmt: skip
    result.notes.append(
        f"{runs} runs of each. The snippets were a timed test before (< 1 s); a ratio here "
        "says what they cost a rerun without failing a test on a busy machine. With the menu "
        "closed (as a page opens) the menu's tabs are not drawn and no snippet is built."
    )


ROW = Row(
    10,
    "view_code",
    "View code snippets per rerun",
    "reported: the snippets' share of a playground script run",
    run,
)

if __name__ == "__main__":
    main_for(ROW)
