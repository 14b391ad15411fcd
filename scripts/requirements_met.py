"""Exit 0 when every requirement in the given pip requirement files is installed as asked.

scripts/test asks this first and runs pip only when something is missing or at another
version: pip resolving an installed set takes seconds, this check a fraction of one. It reads
what the project's requirement files use (pins, ranges, extras, `-r`, an option after a
requirement such as `--config-settings`); anything it cannot read counts as not met, so pip
decides.

    python scripts/requirements_met.py requirements-dev.txt requirements-local.txt
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path


def requirement_lines(path: Path) -> Iterator[str]:
    """The requirements of a file and of the files it includes with `-r`."""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(("-r ", "--requirement ")):
            yield from requirement_lines(path.parent / line.split(maxsplit=1)[1])
            continue
        yield line.split(" -", 1)[0].strip()  # drop options such as --config-settings=…


def _installed(requirement, extra: str | None = None) -> bool:
    """Whether `requirement` is installed at a version it allows (markers evaluated)."""
    environment = {"extra": extra or ""}
    if requirement.marker is not None and not requirement.marker.evaluate(environment):
        return True  # not for this platform, or not for this extra
    try:
        version = metadata.version(requirement.name)
    except metadata.PackageNotFoundError:
        return False
    return requirement.specifier.contains(version, prereleases=True)


def met(files: list[Path]) -> bool:
    """Whether every requirement of `files`, and those of the extras they ask for, is installed."""
    try:
        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:  # a fresh interpreter: pip decides
        return False
    try:
        for path in files:
            for line in requirement_lines(path):
                requirement = Requirement(line)
                if not _installed(requirement):
                    return False
                for extra in requirement.extras:
                    for needed in metadata.requires(requirement.name) or []:
                        if not _installed(Requirement(needed), extra):
                            return False
    except (OSError, InvalidRequirement):
        return False
    return True


if __name__ == "__main__":
    sys.exit(0 if met([Path(name) for name in sys.argv[1:]]) else 1)
