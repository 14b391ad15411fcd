"""Base URLs typed by people: parse them without ever raising."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit


class UrlParts(NamedTuple):
    scheme: str
    host: str
    port: int | None
    has_credentials: bool
    path: str


def parse_url(url: str) -> UrlParts | None:
    """The parts of `url`, or None when it cannot be parsed (e.g. "http://[::1:80/v1")."""
    try:
        parts = urlsplit(url.strip())
        return UrlParts(
            parts.scheme.lower(),
            parts.hostname or "",
            parts.port,
            parts.username is not None or parts.password is not None,
            parts.path,
        )
    except ValueError:
        return None


def host_of(url: str) -> str:
    """The host name to show in a message; never the user:password part."""
    parts = parse_url(url)
    return parts.host if parts and parts.host else "the server"


def without_credentials(url: str) -> str:
    """`url` with any user:password@ removed (unparseable URLs are returned as they are)."""
    parts = parse_url(url)
    if parts is None or not parts.has_credentials:
        return url
    split = urlsplit(url.strip())
    netloc = f"{parts.host}:{parts.port}" if parts.port else parts.host
    return urlunsplit((split.scheme, netloc, split.path, split.query, split.fragment))
