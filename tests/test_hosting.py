"""Hosted-mode settings and the container recipe."""

import re
from pathlib import Path

import pytest

from lib.hosting import flag, password_ok

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("value", "expected"),
    [(True, True), ("true", True), ("1", True), ("Yes", True), (False, False), ("no", False),
     (None, False), (1, False)],
)  # fmt: skip
def test_flag(value, expected):
    assert flag({"X": value}, "X") is expected


def test_password_ok():
    assert password_ok("pässword", "pässword")
    assert not password_ok("password", "pässword")
    assert not password_ok("", "x")


def test_dockerfile_runs_unprivileged_with_a_healthcheck():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    assert "--server.address=0.0.0.0" in text
    assert "secrets.toml" not in re.sub(r"#.*", "", text)  # never baked into the image


def test_dockerignore_keeps_secrets_out_of_the_build():
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert ".streamlit/secrets.toml" in ignored and ".git" in ignored
