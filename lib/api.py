"""The client's front door: post to a completions endpoint, get the streamed text.

    from lib.api import ApiError, stream_text

    try:
        for text in stream_text("Say this is a test", base_url="http://127.0.0.1:8080/v1",
                                api_key="sk-...", model="gpt-3.5-turbo-instruct"):
            print(text, end="", flush=True)
    except ApiError as err:
        print(err)  # one readable line; never the key

The rest of the public client is here too, for a program that wants more than text: the
normalized chunks (`stream_completion`), one whole response (`create_completion`), the model
list, and `accumulate`, which folds chunks into one response. lib.client holds the details.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lib.client import (
    ApiError,
    Endpoint,
    accumulate,
    create_completion,
    list_models,
    stream_completion,
)
from lib.client.cancel import Canceller
from lib.config.settings import DEFAULT_BASE_URL

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiError",
    "Canceller",
    "Endpoint",
    "accumulate",
    "create_completion",
    "list_models",
    "stream_completion",
    "stream_text",
]


def stream_text(
    prompt: str | list | None = None,
    *,
    base_url: str = DEFAULT_BASE_URL,
    api_key: str | None = None,
    body: dict | None = None,
    choice: int = 0,
    timeout: float = 120.0,
    **fields: Any,
) -> Iterator[str]:
    """The text of one choice of ``POST {base_url}/completions``, piece by piece as it streams.

    The request is `body` (a whole request, as exported from the app), then `fields` (model,
    max_tokens, temperature …), then `prompt`, each overriding the one before; ``stream`` is
    always on. `choice` picks the choice when n > 1. `timeout` is how long the server may stay
    silent, before the first piece or between two (connecting gets at most 10 s). Every failure
    is an ApiError with a readable message, the key removed; closing the generator (or breaking
    out of the loop) closes the connection.
    """
    payload = {**(body or {}), **fields, "stream": True}
    if prompt is not None:
        payload["prompt"] = prompt
    endpoint = Endpoint(
        base_url, api_key=api_key, connect_timeout=min(timeout, 10.0), read_timeout=timeout
    )
    for chunk in stream_completion(endpoint, payload):
        for part in chunk["choices"]:
            if part["index"] == choice and part["text"]:
                yield part["text"]
