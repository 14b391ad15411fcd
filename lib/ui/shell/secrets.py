"""The app's settings: st.secrets and the environment, read through lib.settings.

No secrets file is normal (settings then come from the environment). A secrets file that exists
but cannot be read is a ConfigError: treating it as "no secrets" would silently switch off the
password gate and the base-URL lock it was meant to hold.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import streamlit as st

from lib.config.settings import ConfigError, Settings, read
from lib.i18n import Message

_LOG = logging.getLogger(__name__)


def app_settings() -> Settings:
    """Every setting for this run; raises ConfigError when the configuration is unusable."""
    return read(app_secrets(), os.environ)


def app_secrets() -> dict[str, Any]:
    """st.secrets as a plain dict: empty without a secrets file, ConfigError with a bad one."""
    try:
        return st.secrets.to_dict()
    except FileNotFoundError as exc:
        # Streamlit raises StreamlitSecretNotFoundError (a FileNotFoundError) both when there is
        # no file and when a file does not parse; only the files on disk tell the two apart.
        if not _secrets_file_exists():
            return {}
        _log_unreadable(exc)
    except (OSError, ValueError) as exc:  # unreadable (permissions) or not UTF-8
        _log_unreadable(exc)
    raise ConfigError([Message("config.bad_secrets_file")])


def _secrets_file_exists() -> bool:
    return any(os.path.exists(path) for path in st.get_option("secrets.files"))


def _log_unreadable(exc: BaseException) -> None:
    _LOG.error("The secrets file cannot be read: %s", _reason(exc))


def _reason(exc: BaseException) -> str:
    """Where and why, for the host: never a byte or value from the file, which holds keys."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 (byte {exc.start})"
    if isinstance(exc, FileNotFoundError):
        return str(exc)  # Streamlit's message: the path, and TOML's line, column and reason
    if isinstance(exc, OSError):
        return f"{exc.strerror}: {exc.filename}"
    return type(exc).__name__
