"""scripts/requirements_met.py: is every requirement installed as asked (so pip can be skipped)?"""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest

from tests.support.paths import ROOT

SCRIPT = ROOT / "scripts" / "requirements_met.py"
PYTEST = metadata.version("pytest")


def met(tmp_path: Path, text: str, **others: str) -> bool:
    """Run the script as scripts/test does, on a requirements file with `text`."""
    for name, content in others.items():
        (tmp_path / f"{name}.txt").write_text(content)
    (tmp_path / "requirements.txt").write_text(text)
    done = subprocess.run([sys.executable, str(SCRIPT), "requirements.txt"], cwd=tmp_path)
    return done.returncode == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"pytest=={PYTEST}\n", True),
        (f"# a comment\n\npytest=={PYTEST}  # why\n", True),
        (f"pytest=={PYTEST} --config-settings=cmake.args=-DX=OFF\n", True),  # options dropped
        ("pytest>=1,<999\n", True),
        ("pytest==0.0.1\n", False),  # another version
        ("no-such-package-anywhere==1.0\n", False),
        ("requests[no-such-extra]\n", True),  # an extra that asks for nothing more
        ("pytest===not a requirement\n", False),  # unreadable: pip decides
        ('pytest==0.0.1; python_version < "3"\n', True),  # not for this Python
    ],
)
def test_requirements(tmp_path, text, expected):
    assert met(tmp_path, text) is expected


def test_included_files_are_read(tmp_path):
    assert met(tmp_path, "-r base.txt\n", base=f"pytest=={PYTEST}\n")
    assert not met(tmp_path, "-r base.txt\n", base="no-such-package-anywhere\n")


def test_an_extra_is_met_only_when_its_own_requirements_are(tmp_path):
    """An installed package whose extra needs a package that is not installed."""
    wanting = next(
        (
            (dist.metadata["Name"], extra)
            for dist in metadata.distributions()
            for extra in dist.metadata.get_all("Provides-Extra") or []
            if any(
                f'extra == "{extra}"' in need and not _installed(need.split(";")[0])
                for need in dist.requires or []
            )
        ),
        None,
    )
    if wanting is None:
        pytest.skip("every extra of every installed package is installed")
    name, extra = wanting
    assert not met(tmp_path, f"{name}[{extra}]\n")
    assert met(tmp_path, f"{name}\n")


def _installed(requirement: str) -> bool:
    from packaging.requirements import Requirement

    try:
        metadata.version(Requirement(requirement).name)
    except metadata.PackageNotFoundError:
        return False
    return True


def test_the_projects_dev_requirements_are_met_here():
    """The suite runs with requirements-dev.txt installed, so the script must say so."""
    done = subprocess.run([sys.executable, str(SCRIPT), "requirements-dev.txt"], cwd=ROOT)
    assert done.returncode == 0
