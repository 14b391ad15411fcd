"""What every benchmark row shares: its result, timing helpers, process readings, a CLI."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
# Where `--quick` writes (git ignores build/): quick numbers never replace the full report.
QUICK_DOC = ROOT / "build" / "bench-quick" / "benchmarks.md"

MEETS, MISSES, REPORT, SKIPPED, FAILED = "meets", "misses", "report", "skipped", "failed"


@dataclass
class Result:
    """One row of the suite: its headline, verdict, detail table and notes."""

    number: int
    name: str
    title: str
    target: str
    measured: str = ""
    baseline: str = ""
    verdict: str = REPORT
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Numbers for the charts, by name; only rows that draw one fill it.
    series: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def judge(self, *checks: bool) -> None:
        """The verdict from every target check of the row."""
        self.verdict = MEETS if all(checks) else MISSES


@dataclass(frozen=True)
class Row:
    """A benchmark: its number and name in the table, its target, and how to run it."""

    number: int
    name: str
    title: str
    target: str
    run: Callable[[Result, bool], None]

    def result(self) -> Result:
        return Result(self.number, self.name, self.title, self.target)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def fmt_s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.1 else f"{seconds * 1000:.0f} ms"


def fmt_x(ratio: float) -> str:
    return f"{ratio:.2f}×"


def progress(text: str) -> None:
    """A line of progress on stderr, so stdout keeps only the table."""
    print(f"  … {text}", file=sys.stderr, flush=True)


# Process readings from /proc (Linux), for the app server's CPU and memory ---------------------

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used, all its threads included."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14, 15)


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall seconds, this thread's CPU seconds, and the result of `work()`."""
    wall, cpu = time.perf_counter(), time.thread_time()
    value = work()
    return time.perf_counter() - wall, time.thread_time() - cpu, value


def script_runs(at: Any, runs: int, what: str) -> list[float]:
    """Seconds of each of `runs` script runs of an AppTest page; RuntimeError if it failed."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    if at.exception:
        raise RuntimeError(f"{what} failed: {at.exception}")
    return times


# Running ---------------------------------------------------------------------------------------


def run_row(row: Row, quick: bool) -> Result:
    """Run one row; a row that raises is reported as failed, not fatal to the suite."""
    result = row.result()
    start = time.perf_counter()
    try:
        row.run(result, quick)
    except Exception as exc:
        result.verdict = FAILED
        result.notes.append(f"The benchmark failed: {type(exc).__name__}: {exc}".strip()[:500])
    result.seconds = time.perf_counter() - start
    return result


def parser(description: str) -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(description=description)
    cli.add_argument("--quick", action="store_true", help="small sizes, for a short run")
    cli.add_argument(
        "--out", type=Path, default=None, help="write the report here (a single row prints only)"
    )
    return cli


def main_for(row: Row) -> None:
    """`python -m bench.<row>`: run one row, print its table, write a report only with --out."""
    from bench import report

    args = parser(row.title).parse_args()
    report.print_header()
    result = run_row(row, args.quick)
    report.print_line(result)
    report.print_details(result)
    if args.out is not None:
        report.write([result], args.out, quick=args.quick)
