"""Row 1: how fast the client turns a completions stream into chunks, beside the openai SDK.

One prebuilt stream of 20,000 chunks (the fake relay's own frames, usage on every chunk as
OpenAI sends it) is served as fast as loopback goes, and read by:

- the floor: requests' raw bytes, split on blank lines, ``json.loads`` of each ``data:``; what
  any client must do at least;
- the openai SDK's stream reader (``client.completions.create(stream=True)``);
- this client, ``lib.client.stream_completion`` (SSE rules, error payloads, normalized chunks);
- the run pipeline: the same, folded into a ``Run`` as the worker does for a page.

Each reader runs in turn, many rounds interleaved (the slow SDK in fewer of them). Times are
CPU seconds of the reading thread (the server's ``sendall`` runs on another thread and is not
counted), best of the rounds; the ratios are the median of each round's own ratio, so a
burst of load from elsewhere on the machine falls on both sides of a ratio.

    python -m bench.client_parsing [--quick]
"""

from __future__ import annotations

import json
from collections.abc import Callable

import requests

from bench.blob import MODEL, BlobServer, event_stream
from bench.core import Result, Row, fmt_s, fmt_x, main_for, median, progress, timed

PAYLOAD = {"model": MODEL, "prompt": "bench", "max_tokens": 20_000, "stream": True}


def floor(base_url: str) -> int:
    """Chunks read with the least work: raw bytes, split on blank lines, json.loads."""
    response = requests.post(f"{base_url}/completions", json=PAYLOAD, stream=True)
    count, rest = 0, b""
    with response:
        while data := response.raw.read1(64 * 1024):
            *events, rest = (rest + data).split(b"\n\n")
            for event in events:
                body = event[6:]
                if body != b"[DONE]":
                    json.loads(body)
                    count += 1
    return count


def sdk_reader() -> Callable[[str], int]:
    import openai

    clients: dict[str, openai.OpenAI] = {}

    def read(base_url: str) -> int:
        client = clients.setdefault(base_url, openai.OpenAI(base_url=base_url, api_key="sk-x"))
        stream = client.completions.create(
            model=MODEL, prompt="bench", max_tokens=20_000, stream=True
        )
        return sum(1 for _ in stream)

    return read


def ours(base_url: str) -> int:
    from lib.client import Endpoint, stream_completion

    return sum(1 for _ in stream_completion(Endpoint(base_url), PAYLOAD))


def pipeline(base_url: str) -> int:
    """The worker's loop without its thread: each chunk folded into a Run."""
    from lib.client import Endpoint, stream_completion
    from lib.run.model import Run, RunLimits

    run = Run(request=PAYLOAD, base_url=base_url, limits=RunLimits(10**9, 10**9))
    count = 0
    for chunk in stream_completion(Endpoint(base_url), PAYLOAD):
        run.add_chunk(chunk)
        count += 1
    return count


def run(result: Result, quick: bool) -> None:
    # The SDK is twenty times slower than the rest: it gets fewer rounds, the cheap readers
    # more, so their ratio rests on many pairs taken a fraction of a second apart.
    tokens, rounds, sdk_rounds = (5_000, 5, 2) if quick else (20_000, 15, 3)
    blob = event_stream(tokens)
    readers: dict[str, Callable[[str], int]] = {
        "floor": floor,
        "openai SDK": sdk_reader(),
        "this client": ours,
        "client + Run fold": pipeline,
    }
    cpu: dict[str, list[float]] = {name: [] for name in readers}
    wall: dict[str, list[float]] = {name: [] for name in readers}
    sdk_pairs: list[float] = []
    with BlobServer(blob) as server:
        for read in readers.values():
            read(server.base_url)  # warm up imports and connection code
        for i in range(rounds):
            progress(f"client parsing: round {i + 1}/{rounds}")
            for name, read in readers.items():
                if name == "openai SDK" and i >= sdk_rounds:
                    continue
                seconds, thread_cpu, count = timed(lambda read=read: read(server.base_url))
                if count < tokens:
                    raise RuntimeError(f"{name} read {count} chunks of {tokens}")
                wall[name].append(seconds)
                cpu[name].append(thread_cpu)
            if i < sdk_rounds:
                sdk_pairs.append(cpu["openai SDK"][-1] / cpu["this client"][-1])
    best = {name: min(values) for name, values in cpu.items()}
    chunks_per_s = {name: tokens / best[name] for name in readers}
    vs_sdk = median(sdk_pairs)
    of_floor = median([f / o for f, o in zip(cpu["floor"], cpu["this client"], strict=True)])
    result.measured = f"{chunks_per_s['this client']:,.0f} chunks/s"
    result.baseline = (
        f"SDK {chunks_per_s['openai SDK']:,.0f}/s, floor {chunks_per_s['floor']:,.0f}/s"
    )
    result.headers = ["reader", "CPU (best)", "wall (median)", "chunks/s", "time vs this client"]
    for name in readers:
        result.rows.append(
            [
                name,
                fmt_s(best[name]),
                fmt_s(median(wall[name])),
                f"{chunks_per_s[name]:,.0f}",
                fmt_x(best[name] / best["this client"]),
            ]
        )
    result.notes.append(
        f"{tokens:,} chunks ({len(blob) / 2**20:.1f} MiB), {rounds} rounds interleaved "
        f"({sdk_rounds} for the SDK); "
        f"this client is {vs_sdk:.1f}× the SDK and {of_floor:.0%} of the floor's speed."
    )
    result.series = {"chunks_per_s": chunks_per_s, "chunks": tokens}
    result.measured += f" ({vs_sdk:.1f}× SDK, {of_floor:.0%} of floor)"
    result.judge(vs_sdk >= 5, of_floor >= 0.8)


ROW = Row(
    1,
    "client_parsing",
    "Client stream parsing",
    "≥ 5× the SDK and ≥ 80% of the floor",
    run,
)

if __name__ == "__main__":
    main_for(ROW)
