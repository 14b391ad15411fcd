"""The progress table on stdout and docs/benchmarks.md (tables, machine, charts)."""

from __future__ import annotations

import datetime
import importlib.metadata
import os
import platform
import subprocess
from pathlib import Path

from bench.core import MEETS, ROOT, SKIPPED, Result

_WIDTHS = (3, 30, 44, 9)
LIBRARIES = (
    "streamlit",
    "requests",
    "urllib3",
    "openai",
    "httpx2",  # the openai SDK's HTTP client
    "playwright",
    "llama_cpp_python",
    "matplotlib",
)


def print_header() -> None:
    cells = ("#", "benchmark", "result", "verdict")
    print("  ".join(c.ljust(w) for c, w in zip(cells, _WIDTHS, strict=True)), flush=True)
    print("  ".join("-" * w for w in _WIDTHS), flush=True)


def print_line(result: Result) -> None:
    cells = (str(result.number), result.title, result.measured or "—", result.verdict)
    line = "  ".join(c.ljust(w) for c, w in zip(cells, _WIDTHS, strict=True))
    print(f"{line}  ({result.seconds:.0f} s)", flush=True)


def print_details(result: Result) -> None:
    if result.rows:
        print(_table(result.headers, result.rows))
    for note in result.notes:
        print(f"- {note}")
    print()


def _table(headers: list[str], rows: list[list[str]]) -> str:
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    return "\n".join([line(headers), line(["---"] * len(headers)), *map(line, rows)])


# The machine ------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _chromium() -> str:
    from tests.support.browser import CHROMIUM

    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "not installed"


def _commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"{head} (with uncommitted changes)" if dirty else head


def machine() -> list[list[str]]:
    rows = [
        ["CPU", f"{os.cpu_count()} cores, {_cpu_model()}"],
        ["memory", f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"],
        ["OS", platform.platform()],
        ["Python", platform.python_version()],
        # Other work on the machine moves the browser rows most; this says how busy it was.
        ["load average (1, 5, 15 min) at the end", ", ".join(f"{x:.1f}" for x in os.getloadavg())],
        ["Chromium", _chromium()],
    ]
    rows += [[name, _version(name)] for name in LIBRARIES]
    rows.append(["commit", _commit()])
    return rows


# The document -------------------------------------------------------------------------------

INTRO = """\
# Benchmarks

How much slower than the bare API is the playground, how many people can stream at once on a
small box, and what it costs as a prompt, an output and a history grow. Every figure is a
ratio to a baseline measured **in the same run, on the same machine**: absolute times on a
shared 2-core machine are noise, ratios much less so. Benchmarks are not tests: nothing here
runs in CI except a smoke test that `python -m bench --quick` still runs.

```bash
pip install -r requirements-dev.txt -r requirements-bench.txt   # matplotlib, for the charts
python -m bench                     # every row (about 10 minutes); rewrites this file
python -m bench --quick             # small sizes (about 2 minutes)
python -m bench client_parsing      # one row (or: python -m bench.client_parsing); prints only
python -m bench --out /tmp/b.md     # write the report elsewhere
```

Browser rows drive Debian's Chromium with Playwright against `streamlit run` and the fake
relay (`tests/support/fake_relay`). The relay's last token is a unique end marker; a row
waits until that marker is in the page (text of the document, open shadow roots and text
boxes), so the rows do not depend on how the playground draws a completion. A request is
filled in through its share link (`?prompt=…&max_tokens=…`) and sent with the Submit button
(`st-key-btn_submit`).
"""


def write(results: list[Result], out: Path, *, quick: bool) -> Path:
    """Write the report to `out` (charts beside it); returns the path written."""
    from bench import charts, notes

    out.parent.mkdir(parents=True, exist_ok=True)
    when = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    mode = "`python -m bench --quick` (small sizes)" if quick else "`python -m bench`"
    total = sum(r.seconds for r in results)
    parts = [INTRO, "## Results", f"Measured by {mode} on {when}, in {total / 60:.1f} minutes.\n"]
    summary = [
        [
            str(r.number),
            r.title,
            r.measured or "—",
            r.baseline or "—",
            r.target,
            _verdict(r),
        ]
        for r in results
    ]
    parts.append(_table(["#", "measure", "result", "baseline", "target", "verdict"], summary))
    drawn, chart_note = charts.draw(results, out.parent)
    if drawn:
        parts.append("\n" + "\n\n".join(f"![{alt}]({name})" for name, alt in drawn))
    if chart_note:
        parts.append(f"\n*{chart_note}*")
    parts.append("\n## The machine\n")
    parts.append(_table(["", ""], machine()))
    for r in results:
        parts.append(f"\n## {r.number}. {r.title}\n")
        parts.append(f"Target: {r.target}. Verdict: **{_verdict(r)}**.\n")
        if r.rows:
            parts.append(_table(r.headers, r.rows) + "\n")
        parts.extend(f"- {note}" for note in r.notes)
        if r.name in notes.ROW_NOTES:
            parts.append("\n" + notes.ROW_NOTES[r.name])
    parts.append("\n" + notes.CHANGES)
    out.write_text("\n".join(parts).rstrip() + "\n")
    return out


def _verdict(result: Result) -> str:
    if result.verdict == MEETS:
        return "meets"
    if result.verdict == SKIPPED:
        return "skipped"
    return result.verdict
