"""SIGTERM for this Streamlit server: drain the runs (lib/run/shutdown.py), then Streamlit's stop.

A signal handler can only be set on the main thread, and a script runs on a thread of its own:
the first script run of the server asks the server's event loop, which runs on the main thread,
to chain the drain in front of the handler Streamlit set there (streamlit/web/bootstrap.py,
`_set_up_signal_handler`, done before any session exists). Streamlit's handler later runs on
that loop too, as it would have without us.
"""

from __future__ import annotations

import logging
import threading

from lib.config.settings import BY_NAME, SHUTDOWN_GRACE_SECONDS, ConfigError
from lib.i18n import Message
from lib.run.shutdown import SHUTDOWN
from lib.ui.shell.secrets import app_settings

_LOGGER = logging.getLogger(__name__)
_lock = threading.Lock()
_asked = False


def install_once() -> None:
    """Chain the graceful shutdown into this server's SIGTERM handling (first call only)."""
    global _asked
    with _lock:
        if _asked:
            return
        _asked = True
    loop = _server_loop()
    if loop is None:
        return
    loop.call_soon_threadsafe(_install, _grace(), loop.call_soon_threadsafe)


def _install(grace: float, call_soon) -> None:
    if threading.current_thread() is not threading.main_thread():
        return  # not a server's main loop (a test harness): signals are not ours to take
    SHUTDOWN.install(grace, call_soon)


def _grace() -> int:
    try:
        return app_settings().value(SHUTDOWN_GRACE_SECONDS)
    except ConfigError:  # the page says what is wrong; the process still stops gracefully
        return BY_NAME[SHUTDOWN_GRACE_SECONDS].default


def _server_loop():
    """The event loop of Streamlit's server (on the main thread), or None without a server."""
    from streamlit.runtime import Runtime

    try:
        # Private, but the only way to the main thread from a script: checked by the SIGTERM
        # test (tests/deploy/test_graceful.py), which fails if a Streamlit upgrade moves it.
        return Runtime.instance()._get_async_objs().eventloop
    except (RuntimeError, AttributeError) as exc:
        _LOGGER.warning("graceful shutdown not installed: %s", type(exc).__name__)
        return None


def restarting_note() -> Message | None:
    """Why a run cannot start now: this server is shutting down."""
    return Message("run.restarting") if SHUTDOWN.draining() else None
