"""The embedded local model's server process, one per app server, kept in st.cache_resource.

Sharing it is safe: it holds a model file and a port, no key, prompt or answer of anyone.
"""

from __future__ import annotations

import atexit
import time

import streamlit as st

from lib.local import LocalServer
from lib.run.shutdown import SHUTDOWN
from lib.ui.shell.lang import tr

_EXPECTED_SECONDS = 15.0  # a typical start, for the progress bar only
_GIVE_UP_SECONDS = 180.0


@st.cache_resource(show_spinner=False)
def local_server() -> LocalServer:
    server = LocalServer()
    atexit.register(server.stop)  # the process ends with the app server
    SHUTDOWN.on_exit(server.stop)  # and a graceful shutdown ends it once the runs are over
    server.reap()  # once per app server: one left behind by a previous run goes now
    return server


def ensure_ready() -> bool:
    """Start the server if it is not running (again, if it died); show progress until it answers."""
    server = local_server()
    if server.ready():
        return True
    try:
        server.ensure_started()
    except OSError as exc:
        st.error(tr("local.failed", reason=type(exc).__name__))
        return False
    started = time.monotonic()
    with st.status(tr("local.starting"), expanded=True) as status:
        bar = st.progress(0.0)
        while not server.ready():
            elapsed = time.monotonic() - started
            if not server.alive() or elapsed > _GIVE_UP_SECONDS:
                status.update(label=tr("local.failed", reason="exit"), state="error")
                server.stop()
                return False
            bar.progress(min(elapsed / _EXPECTED_SECONDS, 0.95), text=f"{elapsed:.0f} s")
            time.sleep(0.25)
        status.update(label=tr("local.ready"), state="complete", expanded=False)
    return True
