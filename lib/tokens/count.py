"""Counting a prompt's tokens with the best tokenizer a connection has."""

from __future__ import annotations

import math
from dataclasses import dataclass

from lib.client import Endpoint
from lib.tokens import openai_ids
from lib.tokens.servers import ServerInfo, tokenize

ESTIMATE = "estimate"
TIKTOKEN = "tiktoken"
# The local model's server is llama-cpp-python, and the app knows its context (it sets n_ctx).
SERVER = "server"


@dataclass(frozen=True)
class Count:
    """A number of tokens and where it came from (SERVER, TIKTOKEN or ESTIMATE)."""

    tokens: int
    source: str
    detail: str = ""  # the server kind or the encoding
    # An estimate only because the model's tokenizer is still loading (ask again soon).
    pending: bool = False

    @property
    def exact(self) -> bool:
        return self.source != ESTIMATE


def estimate(text: str) -> int:
    """A guess: about four characters a token for ASCII, a token for every other character."""
    ascii_chars = sum(1 for ch in text if ch.isascii())
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


@dataclass(frozen=True)
class Counter:
    """Counts for one connection and model, with what the server answered to the probes."""

    endpoint: Endpoint
    model: str
    info: ServerInfo

    def count(self, text: str, wait: bool = True) -> Count:
        """The prompt's tokens as the model will see them (with any BOS the server adds).

        Without `wait`, a tokenizer still loading gives an estimate marked `pending`.
        """
        if self.info.kind is not None:
            ids = tokenize(self.endpoint, self.info.kind, self.model, text)
            if ids is not None:
                return Count(len(ids), SERVER, self.info.kind)
        if not wait and openai_ids.loading(self.model):
            return Count(estimate(text), ESTIMATE, pending=True)
        tokens = openai_ids.count(self.model, text)
        if tokens is not None:
            return Count(tokens, TIKTOKEN, openai_ids.encoding_name(self.model) or "")
        return Count(estimate(text), ESTIMATE)

    def count_generated(self, text: str) -> Count:
        """A completion's tokens: the text's count without what the tokenizer adds to any text."""
        counted = self.count(text)
        if counted.source == SERVER:
            return Count(max(0, counted.tokens - self.info.overhead), SERVER, counted.detail)
        return counted

    def exact(self, text: str) -> int | None:
        """The prompt's count when a tokenizer gave it (never an estimate)."""
        counted = self.count(text)
        return counted.tokens if counted.exact else None

    def exact_generated(self, text: str) -> int | None:
        """A completion's count when a tokenizer gave it (never an estimate)."""
        counted = self.count_generated(text)
        return counted.tokens if counted.exact else None

    def context(self, configured: int | None = None) -> int | None:
        """The context length: the connection's setting, else the server's, else the table's."""
        return configured or self.info.context or openai_ids.context_length(self.model)
