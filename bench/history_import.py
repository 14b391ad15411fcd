"""How long does importing a very large history file take?  Prints times and ratios, never asserts.

Builds a valid export of 100,000 small entries (just under the 20 MiB import limit) and times,
in CPU seconds, best of three, in one run on one machine:

- parse: `parse_import` (JSON and the all-or-nothing check of every entry), and its ratio to a
  bare `json.loads` of the same bytes (the floor any import pays);
- merge: `import_entries`, which keeps the newest HISTORY_LIMIT entries;
- mirror: the size of what goes to the browser's localStorage mirror (the kept entries), as a
  share of the file.

With --browser it also uploads the file on the History page in Chromium and reports the
seconds until the page confirms the import.

    python -m bench.history_import [--entries 100000] [--browser]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from lib.history.entries import (
    FORMAT_NAME,
    HISTORY_LIMIT,
    MAX_IMPORT_BYTES,
    import_entries,
    parse_import,
)


def entries(count: int) -> list[dict]:
    """`count` small, valid, distinct entries, oldest first."""
    return [
        {
            "id": f"e{i:06d}",
            "created_at": f"2026-01-{1 + i // 86_400 % 28:02d}T{i // 3600 % 24:02d}:"
            f"{i // 60 % 60:02d}:{i % 60:02d}Z",
            "base_url": "http://h/v1",
            "request": {"model": "m", "prompt": f"p{i}"},
            "response": {"choices": [{"text": "t"}]},
            "status": "ok",
            "timings": {"total_s": 0.5},
        }
        for i in range(count)
    ]


def export(count: int) -> bytes:
    doc = {"format": FORMAT_NAME, "version": 1, "entries": entries(count)}
    return json.dumps(doc, separators=(",", ":")).encode()


def best_of(runs: int, work) -> float:
    """CPU seconds of the fastest of `runs` calls (steadier than wall time on a busy machine)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return min(times)


def in_process(data: bytes) -> None:
    loads = best_of(3, lambda: json.loads(data))
    parse = best_of(3, lambda: parse_import(data))
    parsed, problems = parse_import(data)
    assert not problems, problems
    merge = best_of(3, lambda: import_entries([], parsed))
    result = import_entries([], parsed)
    mirrored = len(json.dumps(result.added).encode())
    print(f"file: {len(parsed):,} entries, {len(data) / 2**20:.1f} MiB")
    print(f"json.loads      {loads:6.3f} s")
    print(f"parse_import    {parse:6.3f} s  ({parse / loads:.2f}x json.loads)")
    print(f"import_entries  {merge:6.3f} s  (kept {len(result.entries)} of {result.new:,})")
    print(f"total           {parse + merge:6.3f} s")
    print(f"to the browser  {mirrored / 2**10:.0f} KiB ({mirrored / len(data):.1%} of the file)")


def in_browser(data: bytes) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "history.json"
        path.write_bytes(data)
        env = {"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}
        with streamlit_server(env, Path(tmp) / "app.log") as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            page.goto(f"{url}/history")
            page.get_by_text("No runs yet").wait_for(timeout=60_000)
            page.get_by_role("button", name="Import").click()
            start = time.perf_counter()
            page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(path)
            done = page.get_by_text(f"Imported {HISTORY_LIMIT} entries")
            expect(done).to_be_visible(timeout=300_000)
            shown = time.perf_counter() - start
            stored = page.evaluate(
                "() => JSON.parse(localStorage.getItem('completions-playground.history.v1')"
                " || '[]').length"
            )
            browser.close()
    print(f"browser: upload to confirmation {shown:.2f} s; localStorage holds {stored} entries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--browser", action="store_true")
    args = parser.parse_args()
    data = export(args.entries)
    # Browsers other than on Windows count Streamlit's upload "MB" as 1,000,000 bytes.
    if len(data) > min(MAX_IMPORT_BYTES, 20_000_000):
        parser.error(f"{len(data):,} bytes: over the upload limit; use fewer entries")
    in_process(data)
    if args.browser:
        in_browser(data)


if __name__ == "__main__":
    main()
