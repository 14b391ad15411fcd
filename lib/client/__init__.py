"""The public face of the completions client: everything pages and tests need, in one import.

Usable on its own: importing it loads neither streamlit nor the interface's catalog, nor
requests (lib.client.transport, loaded with the first request). lib.api is the front door that
yields plain text. Request validation is lib.request's; describing an error for people is
lib.ui.describe's.
"""

from lib.client.chunks import accumulate
from lib.client.errors import ApiError
from lib.client.http import (
    Endpoint,
    create_completion,
    list_models,
    stream_completion,
)

__all__ = [
    "ApiError",
    "Endpoint",
    "accumulate",
    "create_completion",
    "list_models",
    "stream_completion",
]
