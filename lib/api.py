"""The public face of the completions client: everything pages and tests need, in one import."""

from lib.chunks import accumulate
from lib.client import (
    DEFAULT_BASE_URL,
    Endpoint,
    create_completion,
    list_models,
    stream_completion,
)
from lib.errors import ApiError
from lib.request import validate

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "Endpoint",
    "accumulate",
    "create_completion",
    "list_models",
    "stream_completion",
    "validate",
]
