"""Is one run bounded?  Memory of the app server and Stop latency against a stream that never ends.

Runs the fake relay in its endless mode and the app in Chromium. Reports, in one run:

- memory: the app server's RSS growth while an endless stream runs into the run's output cap
  (MAX_OUTPUT_CHARS, default 400,000 characters) and then for a while after the cut: it must
  stop growing at the cut, and the connection must be closed;
- stop latency: seconds from clicking Stop to "Status: stopped" with 20,000 characters on
  screen and with 1,000,000, as a ratio (≈ 1.0 when a redraw costs the same at any length).

    python -m bench.run_limits
"""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.support.fake_relay import FakeRelay

# How much of the completion has reached the document while it streams (the editor lives in a
# component's shadow root; it keeps only the end of a huge completion, and counts the whole).
SHOWN = """() => {
  for (const host of document.querySelectorAll('*')) {
    const live = host.shadowRoot && host.shadowRoot.querySelector('.cp-live');
    if (live) return Number(live.dataset.chars || live.textContent.length);
  }
  return 0;
}"""
DOCUMENT = "[data-testid='document']"


def server_rss_mb(port: str) -> float:
    """Resident memory of the streamlit process serving `port` (read from /proc)."""
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in b" ".join(cmd) and port.encode() in cmd:
            status = (proc / "status").read_text()
            return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    raise RuntimeError("app server not found")


def start_endless(page) -> None:
    page.locator(DOCUMENT).fill("forever")
    page.get_by_role("button", name=re.compile(r"^Submit")).click()


def stop_seconds(page, chars: int) -> float:
    start_endless(page)
    page.wait_for_function(f"() => ({SHOWN})() >= {chars}", timeout=600_000, polling=50)
    started = time.perf_counter()
    page.get_by_role("button", name=re.compile(r"^Stop")).click()
    page.get_by_text("Status: stopped").wait_for(timeout=600_000)
    return time.perf_counter() - started


def main() -> None:
    from playwright.sync_api import sync_playwright

    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        relay.options["endless"] = True
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        env = {"OPENAI_BASE_URL": relay.base_url}
        with streamlit_server(env, Path(tmp) / "a.log") as url:
            port = url.rsplit(":", 1)[1]
            page = browser.new_page()
            page.goto(url)
            page.locator(DOCUMENT).wait_for()
            before = server_rss_mb(port)
            start_endless(page)
            page.get_by_text("Output cut at").wait_for(timeout=600_000)
            at_cut = server_rss_mb(port)
            closed = relay.wait_for(lambda: relay.disconnects >= 1, timeout=10)
            time.sleep(10)  # were the cap not enforced, an endless stream would keep growing
            later = server_rss_mb(port)
            page.close()
        print(flush=True)
        print(f"RSS before {before:.0f} MB, at the cut {at_cut:.0f} MB, 10 s later {later:.0f} MB")
        print(f"growth per run at the cap: {at_cut - before:.0f} MB; after the cut: "
              f"{later - at_cut:+.0f} MB; connection closed: {closed}")  # fmt: skip

        no_cap = "100000000"
        env = {
            "OPENAI_BASE_URL": relay.base_url,
            "MAX_OUTPUT_CHARS": no_cap,
            "MAX_OUTPUT_CHUNKS": no_cap,
        }
        with streamlit_server(env, Path(tmp) / "b.log") as url:
            page = browser.new_page()
            page.goto(url)
            page.locator(DOCUMENT).wait_for()
            relay.options["token_delay"] = 0.0005
            short = stop_seconds(page, 20_000)
            long = stop_seconds(page, 1_000_000)
        browser.close()
    print(f"Stop → stopped: {short:.2f} s at 20k characters, {long:.2f} s at 1M characters")
    print(f"stop latency ratio long/short: {long / short:.2f}")


if __name__ == "__main__":
    main()
