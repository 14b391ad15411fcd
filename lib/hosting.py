"""Settings for a hosted instance, read from st.secrets (passed in as a plain mapping)."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

APP_PASSWORD = "APP_PASSWORD"
LOCK_BASE_URL = "LOCK_BASE_URL"


def flag(secrets: Mapping[str, Any], name: str) -> bool:
    """A true/false setting; TOML booleans and the strings "true"/"1"/"yes" count as true."""
    value = secrets.get(name)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes", "on")
    return value is True


def password_ok(given: str, expected: str) -> bool:
    """Compare in constant time, so response timing does not reveal the password."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
