"""The report's PNG charts, drawn with matplotlib when it is installed (requirements-bench.txt)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bench.core import Result

PARSING_PNG = "bench-client-parsing.png"
SESSIONS_PNG = "bench-sessions.png"


def draw(results: list[Result], folder: Path) -> tuple[list[tuple[str, str]], str]:
    """Charts written into `folder` as (file name, alt text), and a note about any not drawn."""
    if importlib.util.find_spec("matplotlib") is None:
        return (
            [],
            "Charts skipped: matplotlib is not installed (pip install -r requirements-bench.txt).",
        )
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none needed for a PNG
    by_name = {r.name: r for r in results}
    drawn: list[tuple[str, str]] = []
    parsing = by_name.get("client_parsing")
    if parsing is not None and parsing.series.get("chunks_per_s"):
        _parsing(parsing.series["chunks_per_s"], parsing.series.get("chunks"), folder / PARSING_PNG)
        drawn.append((PARSING_PNG, "Stream parsing throughput, chunks per CPU second"))
    sessions = by_name.get("sessions")
    if sessions is not None and sessions.series.get("lag"):
        _sessions(sessions.series, folder / SESSIONS_PNG)
        drawn.append((SESSIONS_PNG, "Added lag and CPU per session as sessions grow"))
    return drawn, ""


def _parsing(rates: dict[str, float], chunks: int | None, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3))
    names = list(rates)
    bars = ax.barh(names, [rates[n] for n in names], color=["#999", "#c66", "#36c", "#69c"])
    ax.bar_label(bars, labels=[f"{rates[n]:,.0f}" for n in names], padding=3)
    ax.invert_yaxis()
    ax.set_xlabel("chunks per CPU second (higher is better)")
    ax.set_title(f"Row 1: reading a {chunks or 20_000:,}-chunk stream")
    ax.margins(x=0.2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _sessions(series: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    counts = series["counts"]
    left.plot(counts, [x * 1000 for x in series["lag"]], "o-", label="median")
    left.plot(counts, [x * 1000 for x in series["lag_max"]], "s--", label="worst")
    left.axhline(250, color="#c66", lw=1, label="target (added)")
    left.set_xlabel("browser sessions streaming at once")
    left.set_ylabel("lag after the last token (ms)")
    left.legend()
    left.set_title("Lag")
    right.plot(counts, [x * 1000 for x in series["cpu"]], "o-", label="playground")
    if series.get("cpu_minimal"):
        xs, ys = zip(*series["cpu_minimal"], strict=True)
        right.plot(xs, [y * 1000 for y in ys], "s--", label="st.write_stream app")
    right.set_xlabel("browser sessions streaming at once")
    right.set_ylabel("CPU ms per session-second")
    right.legend()
    right.set_title("App server CPU")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
