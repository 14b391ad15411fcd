"""Row 9: tokens/s of the local model (requirements-local.txt) through the app, and directly.

The app's side is the path a page's run takes: `RequestWorker` on its thread, the client, the
chunks folded into a `Run`, speed from the run's own stats. Directly is the bare stream read
from the llama.cpp server (bytes split on blank lines, json.loads). Same request at
temperature 0, rounds alternating; tokens/s counts from the first token to the last.

    python -m bench.local_model [--quick]
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

import requests

from bench.core import SKIPPED, Result, Row, fmt_x, main_for, median, progress
from lib.local import MODEL_ALIAS, LocalServer, installed


def body(tokens: int) -> dict:
    return {"model": MODEL_ALIAS, "prompt": "Once upon a time, in a small village,",
            "max_tokens": tokens, "temperature": 0, "seed": 1, "stream": True}  # fmt: skip


def direct(base_url: str, payload: dict) -> tuple[int, float]:
    """Text chunks and tokens/s (first token to last chunk), read with the least work."""
    start = time.perf_counter()
    first = last = None
    count, rest = 0, b""
    with requests.post(f"{base_url}/completions", json=payload, stream=True) as response:
        while data := response.raw.read1(64 * 1024):
            *events, rest = (rest + data.replace(b"\r\n", b"\n")).split(b"\n\n")
            for event in events:
                data_line = event[6:]
                if not event.startswith(b"data:") or data_line == b"[DONE]":
                    continue
                choices = json.loads(data_line).get("choices") or [{}]
                last = time.perf_counter() - start
                if choices[0].get("text"):
                    first = last if first is None else first
                    count += 1
    span = (last or 0) - (first or 0)
    return count, (count / span if span > 0 else float("nan"))


def through_app(base_url: str, payload: dict) -> tuple[int, float]:
    from lib.client import Endpoint
    from lib.run.model import Run
    from lib.run.worker import RequestWorker

    run = Run(request=payload, base_url=base_url)
    worker = RequestWorker(Endpoint(base_url), payload, run).start()
    worker.done.wait(600)
    stats = run.stats()
    if run.status != "ok":
        raise RuntimeError(f"the run ended {run.status}: {run.error}")
    # From the first token to the last chunk, as `direct` counts (the run's own speed runs
    # to the connection's end).
    span = run.elapsed(run.last_chunk_at) - run.first_token_s
    count = stats["tokens"]
    return count, count / span if span > 0 else float("nan")


def run(result: Result, quick: bool) -> None:
    if not installed():
        result.verdict = SKIPPED
        result.measured = "skipped"
        result.notes.append("Not installed: pip install -r requirements-local.txt")
        return
    tokens, rounds = (32, 1) if quick else (128, 3)
    with tempfile.TemporaryDirectory() as tmp:
        server = LocalServer(log=Path(tmp) / "llama.log")
        server.ensure_started()
        try:
            progress("local model: loading")
            deadline = time.monotonic() + 300
            while not server.ready():
                if not server.alive() or time.monotonic() > deadline:
                    raise RuntimeError("the local model did not start")
                time.sleep(0.5)
            payload = body(tokens)
            direct(server.base_url, payload)  # warm: the first request fills caches
            rates: dict[str, list[float]] = {"direct": [], "through the app": []}
            counts = []
            for i in range(rounds):
                progress(f"local model: round {i + 1}/{rounds}")
                paths = [("direct", direct), ("through the app", through_app)]
                # Each path goes first in every other round: neither always follows the other.
                for name, read in paths[:: 1 if i % 2 == 0 else -1]:
                    count, rate = read(server.base_url, payload)
                    rates[name].append(rate)
                    counts.append(count)
        finally:
            server.stop()
    app, bare = median(rates["through the app"]), median(rates["direct"])
    result.headers = ["path", "tokens/s (median)", "each round"]
    for name, values in rates.items():
        result.rows.append([name, f"{median(values):.1f}", ", ".join(f"{v:.1f}" for v in values)])
    result.measured = f"{app:.1f} vs {bare:.1f} tokens/s: {fmt_x(app / bare)}"
    result.baseline = "llama.cpp server, read directly"
    result.notes.append(
        f"Gemma 3 270M, up to {tokens} tokens at temperature 0 ({min(counts)}–{max(counts)} "
        f"text chunks a run), {rounds} rounds alternating."
    )
    result.judge(app / bare >= 0.9)


ROW = Row(9, "local_model", "Local model through the app", "≥ 0.9× direct", run)

if __name__ == "__main__":
    main_for(ROW)
