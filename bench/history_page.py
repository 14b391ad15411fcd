"""Row 7: the History page holding 500 entries (the most it keeps) against an empty one.

Render and filter are script runs of the page in Streamlit's AppTest (the server's side of a
redraw; the browser's drawing is not included), median of several runs. Export and import
are the functions behind the page's buttons, on the same 500 entries.

    python -m bench.history_page [--quick]
"""

from __future__ import annotations

import os
import time

from bench.core import ROOT, Result, Row, fmt_s, main_for, median, progress, script_runs
from lib.history.entries import HISTORY_LIMIT, export_bytes, import_entries, parse_import

COMPLETION = "The quick brown fox jumps over the lazy dog. " * 20  # about 900 characters


def entries(count: int = HISTORY_LIMIT) -> list[dict]:
    """`count` distinct, valid history entries shaped like real runs, oldest first."""
    out = []
    for i in range(count):
        text = f"{COMPLETION}#{i}"
        hour, minute, second = i // 3600 % 24, i // 60 % 60, i % 60
        out.append(
            {
                "id": f"bench{i:05d}",
                "created_at": f"2026-01-01T{hour:02d}:{minute:02d}:{second:02d}+00:00",
                "base_url": "http://127.0.0.1:9/v1",
                "request": {
                    "model": f"model-{i % 3}",
                    "prompt": f"Prompt number {i}: write a paragraph about foxes.",
                    "max_tokens": 200,
                    "temperature": 0.7,
                    "stream": True,
                },
                "response": {
                    "id": f"cmpl-{i}",
                    "object": "text_completion",
                    "model": f"model-{i % 3}",
                    "choices": [
                        {"text": text, "index": 0, "logprobs": None, "finish_reason": "length"}
                    ],
                    "usage": {"prompt_tokens": 9, "completion_tokens": 200, "total_tokens": 209},
                },
                "status": "ok" if i % 10 else "stopped",
                "error": None,
                "timings": {"first_token_s": 0.2, "total_s": 4.1},
                "stats": {"tokens": 200, "tokens_per_s": 50.0},
            }
        )
    return out


def page_runs(history: list[dict], search: str, runs: int) -> tuple[float, float]:
    """Median seconds of a History page script run, then of one with `search` typed."""
    from streamlit.testing.v1 import AppTest

    from lib.ui import keys
    from lib.ui.history.view import SEARCH_KEY

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.session_state[keys.HISTORY] = list(history)
    at.run()
    at.switch_page("pages/history.py")
    at.run()
    render, filtered = script_runs(at, runs, "the History page"), []
    for i in range(runs):
        at.text_input(key=SEARCH_KEY).input(f"{search}{i % 2}")
        start = time.perf_counter()
        at.run()
        filtered.append(time.perf_counter() - start)
    return median(render), median(filtered)


def run(result: Result, quick: bool) -> None:
    runs = 3 if quick else 7
    full = entries()
    # The app reads settings from the environment; nothing here sends a request.
    os.environ.setdefault("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    progress("history: empty page")
    empty = page_runs([], "number 4", runs)
    progress(f"history: {len(full)} entries")
    loaded = page_runs(full, "number 4", runs)
    export, imported = [], []
    for _ in range(runs):
        start = time.perf_counter()
        data = export_bytes(full)
        export.append(time.perf_counter() - start)
        start = time.perf_counter()
        parsed, problems = parse_import(data)
        import_entries([], parsed)
        imported.append(time.perf_counter() - start)
        if problems or len(parsed) != len(full):
            raise RuntimeError(f"import of the export failed: {problems}")
    result.headers = ["action", "empty history", f"{len(full)} entries", "target"]
    result.rows = [
        ["render the page", fmt_s(empty[0]), fmt_s(loaded[0]), "< 1 s"],
        ["filter (type a search)", fmt_s(empty[1]), fmt_s(loaded[1]), "< 1 s"],
        ["export", "—", fmt_s(median(export)), "< 0.5 s"],
        ["import (check + merge)", "—", fmt_s(median(imported)), "< 0.5 s"],
    ]
    result.measured = (
        f"render {fmt_s(loaded[0])}, filter {fmt_s(loaded[1])}, export {fmt_s(median(export))}, "
        f"import {fmt_s(median(imported))}"
    )
    result.baseline = f"empty: render {fmt_s(empty[0])}"
    result.notes.append(
        f"{len(data) / 2**20:.1f} MiB export; medians of {runs} runs; render and filter are "
        "the server's script run (AppTest), without the browser's drawing."
    )
    result.judge(loaded[0] < 1, loaded[1] < 1, median(export) < 0.5, median(imported) < 0.5)


ROW = Row(7, "history_page", "History with 500 entries", "each < 1 s; export/import < 0.5 s", run)

if __name__ == "__main__":
    main_for(ROW)
