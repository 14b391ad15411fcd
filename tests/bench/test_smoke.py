"""`python -m bench --quick` still runs every row and writes its report where it is told."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.support.paths import ROOT

pytestmark = [pytest.mark.bench, pytest.mark.timeout(900)]

ROW_TITLES = re.compile(r"^## (\d+)\. ", re.MULTILINE)


def test_quick_run_writes_every_row_to_the_given_path(tmp_path):
    out = tmp_path / "docs" / "benchmarks.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=840,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    doc = out.read_text()
    assert [int(n) for n in ROW_TITLES.findall(doc)] == list(range(1, 12))
    assert "## The machine" in doc and "Python" in doc
    # The rows that need no browser nor model have numbers, not a failure.
    for number in (1, 7):
        section = doc.split(f"## {number}. ", 1)[1].split("\n## ", 1)[0]
        assert "Verdict: **failed**" not in section, section
        assert re.search(r"\d", section.split("|", 1)[1]), section
    assert str(out) in done.stdout
