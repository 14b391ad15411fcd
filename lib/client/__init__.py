"""The public face of the completions client: everything pages and tests need, in one import."""

from lib.client.chunks import accumulate
from lib.client.errors import ApiError
from lib.client.http import (
    DEFAULT_BASE_URL,
    Endpoint,
    create_completion,
    list_models,
    stream_completion,
)
from lib.request.validate import validate

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
