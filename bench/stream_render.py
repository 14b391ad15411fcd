"""Does the playground keep up with a long stream?  Prints ratios, never asserts.

Runs the fake relay and the app, streams a 4,000-token completion in Chromium, and records
each time the completion box changes. Reports, in one run on one machine:

- late/early: seconds per 1,000 characters shown in the last quarter of the stream divided by
  the same in the first quarter (≈ 1.0 means no slowdown as the text grows);
- app/client: wall time until the page shows the whole text, divided by the time the bare
  client (lib.api.stream_completion) takes to read the same stream.

    python -m bench.stream_render [--tokens 4000] [--token-delay 0.002]
"""

from __future__ import annotations

import argparse
import itertools
import re
import statistics
import tempfile
import time
from pathlib import Path

from lib.client import Endpoint, stream_completion
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, streamlit_server
from tests.support.fake_relay import FakeRelay

# While streaming the page shows each choice's tail and says how many characters come before
# it ("… N earlier characters"); the length shown is the tail plus that count.
OBSERVER = """() => {
  window.__samples = [];
  const seen = new WeakSet();
  const hidden = () => {
    const note = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
      .map(e => e.innerText.match(/([0-9]+) earlier character/)).find(Boolean);
    return note ? Number(note[1]) : 0;
  };
  const watch = () => {
    const code = document.querySelector('[data-testid=stCode] code');
    if (code && !seen.has(code)) {
      seen.add(code);
      new MutationObserver(() => window.__samples.push(
        [performance.now(), code.innerText.length + hidden()]))
        .observe(code, {childList: true, subtree: true, characterData: true});
    }
  };
  new MutationObserver(watch).observe(document.body, {childList: true, subtree: true});
  watch();
}"""


def client_seconds(relay: FakeRelay, payload: dict) -> tuple[float, int]:
    start = time.perf_counter()
    chars = sum(
        len(c["choices"][0]["text"])
        for c in stream_completion(Endpoint(relay.base_url), payload)
        if c["choices"]
    )
    return time.perf_counter() - start, chars


def quarter_rate(samples: list[tuple[float, int]], lo: float, hi: float, total: int) -> float:
    """Seconds per 1,000 characters while the shown length was between lo and hi of total."""
    window = [(t, n) for t, n in samples if lo * total <= n <= hi * total]
    if len(window) < 2:
        return float("nan")
    (t0, n0), (t1, n1) = window[0], window[-1]
    return (t1 - t0) / 1000 / max(n1 - n0, 1) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=4000)
    parser.add_argument("--token-delay", type=float, default=0.002)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp:
        relay.options["token_delay"] = args.token_delay
        payload = {"model": "m", "prompt": "bench", "max_tokens": args.tokens, "stream": True}
        base_s, chars = client_seconds(relay, payload)
        env = {"OPENAI_BASE_URL": relay.base_url}
        with streamlit_server(env, Path(tmp) / "app.log") as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1400})
            page.goto(url)
            page.get_by_role("textbox", name="Prompt", exact=True).fill("bench")
            page.get_by_role("spinbutton", name="max_tokens").fill(str(args.tokens))
            page.get_by_role("spinbutton", name="max_tokens").press("Enter")
            page.wait_for_timeout(500)
            page.evaluate(OBSERVER)
            start = page.evaluate("performance.now()")
            page.get_by_role("button", name=re.compile(r"^Submit")).click()
            page.get_by_text("Status: done").wait_for(timeout=300_000)
            samples = page.evaluate("window.__samples")
            browser.close()
    if len(samples) < 2:
        print("The stream ended before the page drew more than once; raise --token-delay.")
        return
    shown_total = samples[-1][1]
    done_s = (samples[-1][0] - start) / 1000
    early = quarter_rate(samples, 0.0, 0.25, shown_total)
    late = quarter_rate(samples, 0.75, 1.0, shown_total)
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(samples)]
    print(f"tokens={args.tokens} chars={chars} shown={shown_total} updates={len(samples)}")
    print(f"client alone: {base_s:.2f} s   app until all text shown: {done_s:.2f} s")
    print(f"app/client time ratio: {done_s / base_s:.2f}")
    print(f"median ms between updates: {statistics.median(gaps):.0f}")
    print(f"late/early seconds-per-1000-chars ratio: {late / early:.2f}")


if __name__ == "__main__":
    main()
