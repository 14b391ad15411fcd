"""Server-sent events of a completions stream, in three layers.

bytes (as they arrive) → events (the WHATWG event-stream rules: LF/CR/CRLF line ends, a CR at
the end of one read and its LF at the start of the next, optional space after ``data:``,
comments, multi-line data) → chunk dicts (stop at ``[DONE]``, raise on an error payload).

A stream is tens of thousands of small events, so the per-event work is kept to what the
rules need: events are cut from whole reads with ``bytes.split``, one ``data:`` line (what
every server sends) is taken as is, any other event goes to sseclient-py's parser, and a
chunk fresh from ``json.loads`` is normalized in place. docs/benchmarks.md (row 1) measures
it against a bare split + json.loads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

import sseclient

from lib.client.chunks import normalize_chunk, normalize_owned_chunk
from lib.client.errors import (
    INVALID_RESPONSE,
    STREAM_ERROR,
    ApiError,
    error_from_body,
    one_line,
)
from lib.config.text import BadJson, read_json, without_surrogates

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


MESSAGE, ERROR_EVENT = "message", "error"
# A JSON escape that can decode to a lone surrogate; JSON text without one cannot hold any
# (the UTF-8 decoder refuses encoded surrogates).
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_decode_json = json.JSONDecoder().decode


def _block_events(block: bytes) -> Iterator[tuple[str, str]]:
    """The events in `block`, parsed by sseclient-py: every rule of the event-stream format
    (multi-line data, event names, comments, fields without a value) for the events that are
    not a lone ``data:`` line."""
    for event in sseclient.SSEClient([block + b"\n\n"]).events():
        yield (event.event or MESSAGE), event.data


def iter_event_batches(source: Iterable[bytes]) -> Iterator[list[tuple[str, str]]]:
    """(event type, data) of the events complete in each read, as the bytes arrive.

    One list per read rather than one yield per event: a read holds hundreds of events at full
    speed, and each generator step costs about as much as splitting one. A last event that the
    stream ends without a blank line is kept, as sseclient-py did (some servers end so).
    """
    pending = b""
    after_cr = False  # the previous read ended in CR: an LF opening this one completes it
    for data in source:
        if after_cr and data.startswith(b"\n"):
            data = data[1:]
        after_cr = False
        if b"\r" in data:
            after_cr = data.endswith(b"\r")
            data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        buffer = pending + data if pending else data
        if b"\n\n" not in buffer:
            pending = buffer
            continue
        *blocks, pending = buffer.split(b"\n\n")
        events: list[tuple[str, str]] = []
        for block in blocks:
            if block.startswith(b"data:") and b"\n" not in block:
                value = block[6:] if block.startswith(b"data: ") else block[5:]
                events.append((MESSAGE, value.decode()))
            elif block:
                events.extend(_block_events(block))
        yield events
    if pending:
        yield list(_block_events(pending))


def _chunk(data: str) -> dict:
    """The normalized chunk in an event's data, or the ApiError it stands for."""
    try:
        obj = _decode_json(data)
    except (ValueError, RecursionError):
        obj = None
    if type(obj) is not dict:
        # The slow path says why in words (not JSON, too deep, not an object, an error).
        obj = _decode_event(data)
    if "\\u" in data and _SURROGATE_ESCAPE.search(data):
        obj = without_surrogates(obj)
    if "error" in obj or obj.get("object") == "error":
        err = error_from_body(obj)
        if err is not None:
            err.type = err.type or STREAM_ERROR
            raise err
    return normalize_owned_chunk(obj)


def iter_chunks(source: Iterable[bytes]) -> Iterator[dict]:
    """Parse an event stream into normalized chunks; stop at the first ``[DONE]``."""
    sniffer = _Sniffer(source)
    seen_event = False
    try:
        for events in iter_event_batches(sniffer):
            for kind, raw in events:
                seen_event = True
                if kind == ERROR_EVENT:
                    raise _error_event(raw)
                data = raw.strip()
                if not data:
                    continue
                if data == "[DONE]":
                    return
                yield _chunk(data)
    except UnicodeDecodeError:
        raise ApiError.client("client.bad_utf8", type=INVALID_RESPONSE) from None
    if not seen_event:
        # A server that ignored stream=true, or put a bare JSON error in an event-stream body.
        yield body_without_events(bytes(sniffer.head))
