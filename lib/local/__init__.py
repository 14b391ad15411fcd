"""The embedded local model: when it is offered, how its server is started, when it is ready.

Pure logic, no Streamlit: lib/ui/local_model.py keeps the one server process of an app server.
"""

from lib.local.choice import configured, default_is_local, local_problems, offers_local
from lib.local.server import (
    MODEL_ALIAS,
    LocalServer,
    free_loopback_port,
    installed,
    is_ready,
    server_command,
)

__all__ = [
    "MODEL_ALIAS",
    "LocalServer",
    "configured",
    "default_is_local",
    "free_loopback_port",
    "installed",
    "is_ready",
    "local_problems",
    "offers_local",
    "server_command",
]
