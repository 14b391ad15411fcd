"""Base URLs typed by people: parse them without ever raising."""

from __future__ import annotations

import re
from typing import NamedTuple
from urllib.parse import urlsplit, urlunsplit

# "scheme://" then a userinfo part: everything up to the last "@" before the path.
_USERINFO = re.compile(r"^(\s*[A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


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
    """`url` with any user:password@ removed (unparseable URLs are returned as they are).

    The host and port are kept exactly as written, so an IPv6 host keeps its brackets
    ("http://[::1]:8080/v1"); the credentials end at the last "@" of the network location.
    """
    try:
        split = urlsplit(url.strip())
    except ValueError:  # e.g. an unclosed "[": cut the userinfo out of the text itself
        return _USERINFO.sub(r"\1", url)
    if "@" not in split.netloc:
        return url
    netloc = split.netloc.rpartition("@")[2]
    return urlunsplit((split.scheme, netloc, split.path, split.query, split.fragment))
