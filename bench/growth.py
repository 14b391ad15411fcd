"""Row 3: does the playground's cost grow linearly with the output?

Full-speed streams of 2k, 8k and 16k tokens, Submit → last token visible: the 8k/2k time
ratio is 4 when the cost is linear. Then one 16k-token stream paced at 1,000 tokens/s, with
markers at 5%, 25% and 75% of the text: seconds per 1,000 characters between 75% and the end
(late) over the same between 5% and 25% (early) is 1.0 when a frame costs the same at any
length.

    python -m bench.growth [--quick]
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from bench.browser import TOKEN_CHARS, app_run, app_server, chromium, end_marker
from bench.core import Result, Row, fmt_s, fmt_x, main_for, median, progress
from tests.support.fake_relay import FakeRelay

PACED_DELAY = 0.001  # 1,000 tokens/s: faster than a person reads, slow enough to draw


def run(result: Result, quick: bool) -> None:
    sizes = (300, 1200, 2400) if quick else (2000, 8000, 16000)
    rounds = 1 if quick else 2
    times: dict[int, float] = {}
    with FakeRelay() as relay, tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        env = {"OPENAI_BASE_URL": relay.base_url, "OPENAI_API_KEY": "sk-bench"}
        with app_server(env, Path(tmp) / "app.log") as server:
            if not quick:
                app_run(browser, server.url, relay, 50, 0.0)  # warm: first script run, imports
            for tokens in sizes:
                seconds = []
                for i in range(rounds):
                    progress(f"growth: {tokens:,} tokens at full speed, round {i + 1}")
                    seen = app_run(browser, server.url, relay, tokens, 0.0)
                    seconds.append(seen[end_marker(seen)])
                times[tokens] = median(seconds)
            longest = sizes[-1]
            progress(f"growth: {longest:,} tokens at {1 / PACED_DELAY:.0f} tokens/s")
            seen = app_run(
                browser, server.url, relay, longest, PACED_DELAY, quarters=True, timeout=600
            )
    small, middle = sizes[0], sizes[1]
    ratio = times[middle] / times[small]
    linear = middle / small
    result.headers = ["tokens", "Submit → last token", "time vs the smallest", "linear"]
    for tokens in sizes:
        result.rows.append(
            [f"{tokens:,}", fmt_s(times[tokens]), fmt_x(times[tokens] / times[small]),
             fmt_x(tokens / small)]
        )  # fmt: skip
    marks = sorted(seen, key=seen.__getitem__)
    by_name = {name[-3:]: seen[name] for name in marks}  # Q05, Q25, Q75, END
    chars = longest * TOKEN_CHARS
    early = (by_name["Q25"] - by_name["Q05"]) / (0.20 * chars / 1000)
    late = (by_name["END"] - by_name["Q75"]) / (0.25 * chars / 1000)
    result.rows.append(
        [f"{longest:,} at {1 / PACED_DELAY:.0f}/s", fmt_s(by_name["END"]),
         f"late/early {late / early:.2f}",
         f"{early * 1000:.0f} → {late * 1000:.0f} ms per 1k chars"]
    )  # fmt: skip
    result.measured = (
        f"{middle:,}/{small:,}: {ratio:.2f}× (linear {linear:.0f}×); late/early {late / early:.2f}"
    )
    result.baseline = "linear"
    result.notes.append(
        "Late/early compares seconds per 1,000 characters shown between 75% and 100% of the "
        "text with the same between 5% and 25%; 'no slowdown' is read as ≤ 1.10 (a frame is 75 ms)."
    )
    result.judge(ratio <= linear * 4.5 / 4, late / early <= 1.10)


ROW = Row(
    3, "growth", "Growth: 2k → 8k → 16k tokens", "8k/2k ≤ 4.5; no slowdown late vs early", run
)

if __name__ == "__main__":
    main_for(ROW)
