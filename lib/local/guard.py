"""Run a Python module for exactly as long as the process that started it lives.

    python guard.py <parent pid> -m <module> [arguments…]

LocalServer starts the local model's server through this file, so a SIGKILLed app (which runs
no cleanup) does not leave a 400 MB server listening. A thread watches the parent: once this
process is reparented, the parent is gone, and the process ends.

PR_SET_PDEATHSIG would be quicker but fires when the *thread* that forked the child ends, and
Streamlit runs every script run in a thread of its own: the server would die after one run.
Standard library only: it runs before, and beside, whatever module it starts.
"""

from __future__ import annotations

import os
import runpy
import sys
import threading
import time

POLL_SECONDS = 0.2


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    # Nothing to save: the server holds a read-only model file and no one's data.
    os._exit(0)


def main(argv: list[str]) -> None:
    """Check the parent is still there, watch it, then run the module as `python -m` would."""
    if len(argv) < 4 or not argv[1].isdigit() or argv[2] != "-m":
        raise SystemExit("usage: guard.py <parent pid> -m <module> [arguments…]")
    parent, module = int(argv[1]), argv[3]
    if os.getppid() != parent:
        return  # the parent died before this process got going
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    sys.argv = [module, *argv[4:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    # Run as a file, Python put this folder first on the path: its modules (server.py…) must
    # not shadow what the started module imports.
    sys.path.pop(0)
    main(sys.argv)
