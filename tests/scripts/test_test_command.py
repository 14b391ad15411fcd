"""scripts/test, the README's one test command (and CI's): set-up when missing, then pytest.

The script is run for real by bash; apt-get, dpkg-query, the tool checks and Python are
stand-ins on a PATH of their own that write down how they were called, so a test can see what a
fresh machine and a ready one would get without installing anything.
"""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

SCRIPT = ROOT / "scripts" / "test"
TOOLS = ("go", "gofmt", "php", "node", "javac", "java", "curl", "nginx", "openssl")
EVERY_PACKAGE = [
    "chromium", "fonts-noto-cjk", "golang-go", "php-cli", "nodejs", "default-jdk-headless", "curl",
    "nginx", "openssl",
]  # fmt: skip
CALLS = "calls.log"
MET = "python scripts/requirements_met.py requirements-dev.txt requirements-local.txt"


def stand_in(folder: Path, name: str, body: str = "") -> None:
    path = folder / name
    path.write_text(f'#!/bin/bash\necho "{name} $*" >> "$CALLS_LOG"\n{body}\n')
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def run_script(tmp_path: Path, *args: str, present: bool, pytest_exit: int = 0):
    """Run scripts/test on a machine that has every tool (present) or none; (exit, calls)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("dirname", "grep", "id"):  # what the script itself uses
        (bin_dir / name).symlink_to(shutil.which(name))
    stand_in(bin_dir, "apt-get")
    fonts = "echo -n 'install ok installed'" if present else "exit 1"
    stand_in(bin_dir, "dpkg-query", fonts)
    if present:
        for tool in TOOLS:
            stand_in(bin_dir, tool)
    met = 0 if present else 1  # scripts/requirements_met.py: every requirement installed?
    stand_in(
        bin_dir, "python", f'[ "$2" = pytest ] && exit {pytest_exit}; [ "$2" = pip ] || exit {met}'
    )
    chromium = tmp_path / "chromium"
    if present:
        stand_in(tmp_path, "chromium")
    env = {
        "PATH": str(bin_dir), "CALLS_LOG": str(tmp_path / CALLS), "PYTHON": "python",
        "CHROMIUM_PATH": str(chromium), "HOME": str(tmp_path),
    }  # fmt: skip
    done = subprocess.run(
        ["/bin/bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=60
    )
    log = tmp_path / CALLS
    calls = log.read_text().splitlines() if log.exists() else []
    return done.returncode, [c for c in calls if not c.startswith("dpkg-query")]


def test_a_fresh_machine_gets_every_package_then_pip_then_pytest(tmp_path):
    code, calls = run_script(tmp_path, "-x", "tests/client", present=False)
    assert code == 0
    assert calls == [
        "apt-get update",
        "apt-get install -y " + " ".join(EVERY_PACKAGE),
        MET,
        "python -m pip install -q -r requirements-dev.txt -r requirements-local.txt",
        "python -m pytest -x tests/client",
    ]


def test_a_ready_machine_only_checks_versions_and_runs_pytest(tmp_path):
    code, calls = run_script(tmp_path, present=True)
    assert code == 0
    assert calls == [MET, "python -m pytest"]


@pytest.mark.parametrize("pytest_exit", [1, 5], ids=["failed", "no tests collected"])
def test_a_failed_or_empty_run_fails(tmp_path, pytest_exit):
    code, calls = run_script(tmp_path, present=True, pytest_exit=pytest_exit)
    assert code == pytest_exit
    assert calls[-1] == "python -m pytest"


def test_pytest_really_exits_5_when_it_collects_nothing(tmp_path):
    """The exit code the script passes on, from the real pytest."""
    (tmp_path / "test_nothing.py").write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True, cwd=tmp_path, timeout=60,
    )  # fmt: skip
    assert done.returncode == 5


def test_ci_and_the_readme_run_exactly_this_command():
    ci = (ROOT / ".ci" / "run").read_text()
    commands = [line for line in ci.splitlines() if line and not line.startswith("#")]
    assert commands[-1] == "exec scripts/test"
    readme = (ROOT / "README.md").read_text()
    top = readme.split("```bash", 1)[1].split("```", 1)[0]
    assert re.search(r"^scripts/test$", top, re.M), top
    mode = subprocess.run(
        ["git", "ls-files", "-s", "scripts/test"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    assert mode.startswith("100755")  # executable in a fresh clone
