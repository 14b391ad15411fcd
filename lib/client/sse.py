"""Server-sent events of a completions stream, in three layers.

bytes (as they arrive) → events (sseclient-py, which follows the WHATWG event-stream rules:
LF/CR/CRLF line ends, optional space after ``data:``, comments, multi-line data) → chunk dicts
(stop at ``[DONE]``, raise on an error payload).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import sseclient

from lib.client.chunks import normalize_chunk
from lib.client.errors import (
    INVALID_RESPONSE,
    STREAM_ERROR,
    ApiError,
    error_from_body,
    one_line,
)
from lib.config.text import BadJson, read_json

_READ_SIZE = 64 * 1024
# How much of the raw body to keep for explaining a stream that held no events.
_SNIFF_LIMIT = 64 * 1024


class Readable(Protocol):
    def read1(self, amt: int = ...) -> bytes: ...


def iter_available(raw: Readable) -> Iterator[bytes]:
    """Yield bytes as soon as the socket has any.

    `requests`' iter_content(None) waits for the whole body when the server does not use
    chunked encoding; read1 returns whatever has arrived, so tokens show as they come.
    """
    while True:
        data = raw.read1(_READ_SIZE)
        if not data:
            return
        yield data


class _Sniffer:
    """Pass bytes through while keeping the first few KiB, to explain a body with no events."""

    def __init__(self, source: Iterable[bytes]) -> None:
        self._source = source
        self.head = bytearray()

    def __iter__(self) -> Iterator[bytes]:
        for data in self._source:
            if len(self.head) < _SNIFF_LIMIT:
                self.head += data[: _SNIFF_LIMIT - len(self.head)]
            yield data


def _document(text: str, *, not_json: str, not_wanted: str, wanted: Callable[[Any], bool]) -> dict:
    """The JSON document in `text`, or an ApiError: not JSON, an error document, not `wanted`."""
    try:
        obj = read_json(text)
    except BadJson:
        raise ApiError.client(not_json, type=INVALID_RESPONSE, data=one_line(text, 120)) from None
    err = error_from_body(obj)
    if err is not None:
        raise err
    if not wanted(obj):
        raise ApiError.client(not_wanted, type=INVALID_RESPONSE, data=one_line(text, 120))
    return obj


def _decode_event(data: str) -> dict:
    try:
        return _document(
            data,
            not_json="client.event_not_json",
            not_wanted="client.event_not_object",
            wanted=lambda obj: isinstance(obj, dict),
        )
    except ApiError as err:
        err.type = err.type or STREAM_ERROR  # an error payload that names no type
        raise


def _error_event(data: str) -> ApiError:
    try:
        obj = read_json(data)
    except BadJson:
        obj = None
    if data:
        err = error_from_body(obj) or ApiError(data, type=STREAM_ERROR)
    else:
        err = ApiError.client("client.stream_error", type=STREAM_ERROR)
    err.type = err.type or STREAM_ERROR
    return err


def parse_completion_body(head: bytes) -> dict:
    """The completion in a JSON body, or an ApiError explaining what the body is instead."""
    text = head.decode("utf-8", errors="replace")
    # Keep-alive comments alone are still an empty answer.
    text = "\n".join(line for line in text.splitlines() if not line.startswith(":")).strip()
    if not text:
        raise ApiError.client("client.empty", type=INVALID_RESPONSE)
    return _document(
        text,
        not_json="client.not_sse_or_json",
        not_wanted="client.not_completion",
        wanted=lambda obj: isinstance(obj, dict) and "choices" in obj,
    )


def body_without_events(head: bytes) -> dict:
    """A body in which no event was found, as one normalized chunk (or an ApiError)."""
    return normalize_chunk(parse_completion_body(head))


def iter_chunks(source: Iterable[bytes]) -> Iterator[dict]:
    """Parse an event stream into normalized chunks; stop at the first ``[DONE]``."""
    sniffer = _Sniffer(source)
    seen_event = False
    try:
        for event in sseclient.SSEClient(sniffer).events():
            seen_event = True
            if event.event == "error":
                raise _error_event(event.data)
            data = event.data.strip()
            if not data:
                continue
            if data == "[DONE]":
                return
            yield normalize_chunk(_decode_event(data))
    except UnicodeDecodeError:
        raise ApiError.client("client.bad_utf8", type=INVALID_RESPONSE) from None
    if not seen_event:
        # A server that ignored stream=true, or put a bare JSON error in an event-stream body.
        yield body_without_events(bytes(sniffer.head))
