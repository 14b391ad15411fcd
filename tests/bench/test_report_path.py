"""Where `python -m bench` writes: a quick run never replaces the committed full report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import bench.__main__ as cli
from bench.core import DOC, QUICK_DOC, REPORT, Row
from tests.support.paths import ROOT


def test_each_kind_of_run_writes_where_it_should(tmp_path):
    assert cli.report_path([], quick=False, out=None) == DOC
    assert cli.report_path([], quick=True, out=None) == QUICK_DOC != DOC
    assert cli.report_path(["client_parsing"], quick=True, out=None) is None  # prints only
    asked = tmp_path / "mine.md"
    assert cli.report_path([], quick=True, out=asked) == asked  # --out docs/… when wanted


def test_the_quick_report_is_ignored_by_git():
    rel = QUICK_DOC.relative_to(ROOT)
    done = subprocess.run(["git", "check-ignore", "-q", str(rel)], cwd=ROOT, check=False)
    assert done.returncode == 0, f"{rel} is not ignored"


def test_a_quick_run_leaves_docs_benchmarks_alone(tmp_path, monkeypatch, capsys):
    """The whole CLI with one instant row: the report lands in the quick place only."""

    def instant(result, quick):
        result.measured, result.verdict = "1 ms", REPORT

    monkeypatch.setattr(cli, "ROWS", [Row(1, "instant", "Instant", "none", instant)])
    quick_doc = tmp_path / "build" / "benchmarks.md"
    monkeypatch.setattr(cli, "QUICK_DOC", quick_doc)
    before = DOC.read_bytes()
    assert cli.main(["--quick"]) == 0
    assert DOC.read_bytes() == before
    assert "## 1. Instant" in quick_doc.read_text()
    assert f"wrote {quick_doc}" in capsys.readouterr().out
    assert isinstance(QUICK_DOC, Path)
