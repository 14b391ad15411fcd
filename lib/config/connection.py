"""Which server and key to use: the sidebar first, then the configured settings."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from lib.config.settings import OPENAI_API_KEY, OPENAI_BASE_URL, Settings
from lib.config.urls import parse_url
from lib.i18n import Message

LOCAL = "local"
SAVED_LIMIT = 20  # named connections kept in the browser
MODEL_LENGTH = 200  # longer is no model id anyone types; the browser keeps no more


@dataclass(frozen=True)
class Connection:
    """The resolved base URL and key, and where each came from (for the sidebar's note)."""

    base_url: str
    api_key: str | None
    base_url_source: str  # "sidebar" | "secrets" | "environment" | "default" | "local"
    api_key_source: str | None  # "sidebar" | "secrets" | "environment" | None
    # A configured key exists but is not sent, because the base URL was typed in the sidebar.
    key_withheld: bool = False

    def __repr__(self) -> str:
        key = "***" if self.api_key else None
        return (
            f"Connection(base_url={self.base_url!r}, api_key={key!r}, "
            f"base_url_source={self.base_url_source!r}, api_key_source={self.api_key_source!r})"
        )


def resolve(sidebar_url: str | None, sidebar_key: str | None, settings: Settings) -> Connection:
    """Pick the base URL and key: the sidebar's when typed, else the configured settings'.

    A key from the settings belongs to the configured server: it is only sent to that base URL,
    never to one typed in the sidebar (which could point anywhere).
    """
    url, url_source = _typed(sidebar_url) or (
        settings.base_url,
        settings.source(OPENAI_BASE_URL),
    )
    key, key_source = _typed(sidebar_key) or (
        settings.api_key,
        settings.source(OPENAI_API_KEY) if settings.api_key else None,
    )
    withheld = False
    configured_key = key_source not in (None, "sidebar")
    if configured_key and url_source == "sidebar" and not _same_server(url, settings.base_url):
        key, key_source, withheld = None, None, True
    return Connection(url, key, url_source, key_source, withheld)


def local_connection(base_url: str) -> Connection:
    """The embedded local model's server: loopback, no key."""
    return Connection(base_url, None, LOCAL, None)


def browser_record(
    local: bool,
    sidebar_url: str | None,
    sidebar_key: str | None,
    remember_key: bool,
    saved: list[dict],
    model: str | None = None,
) -> dict:
    """What the browser may keep of the connection: never a key from secrets or the environment.

    Only values typed in the sidebar are taken, and the key only when the person asked for it.
    A saved connection keeps its key only if it was saved with "remember the key" ticked.
    `model` is the model used with the server (the local model's own is asked of it each time).
    """
    record: dict = {"local": bool(local), "base_url": (sidebar_url or "").strip()}
    if remember_key and isinstance(sidebar_key, str) and sidebar_key.strip():
        record["api_key"] = sidebar_key.strip()
    if _model(model):
        record["model"] = model
    record["saved"] = [_saved_entry(entry) for entry in saved[:SAVED_LIMIT]]
    return record


def _model(value: object) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= MODEL_LENGTH


def _saved_entry(entry: dict) -> dict:
    kept = {"name": str(entry.get("name", ""))[:80], "base_url": str(entry.get("base_url", ""))}
    if isinstance(entry.get("api_key"), str) and entry["api_key"]:
        kept["api_key"] = entry["api_key"]
    if _model(entry.get("model")):
        kept["model"] = entry["model"]
    return kept


def read_record(raw: object) -> dict:
    """A stored record back from the browser, with anything malformed dropped."""
    if not isinstance(raw, dict):
        return {"local": None, "base_url": "", "api_key": None, "model": None, "saved": []}
    items = raw.get("saved") if isinstance(raw.get("saved"), list) else []
    saved = [
        _saved_entry(e)
        for e in items
        if isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"].strip()
        and isinstance(e.get("base_url"), str)
    ][:SAVED_LIMIT]  # fmt: skip
    key = raw.get("api_key")
    return {
        "local": raw["local"] if isinstance(raw.get("local"), bool) else None,
        "base_url": raw["base_url"] if isinstance(raw.get("base_url"), str) else "",
        "api_key": key if isinstance(key, str) and key else None,
        "model": raw["model"] if _model(raw.get("model")) else None,
        "saved": saved,
    }


def _typed(value: str | None) -> tuple[str, str] | None:
    if isinstance(value, str) and value.strip():
        return value.strip(), "sidebar"
    return None


def _same_server(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def is_loopback(base_url: str) -> bool:
    """True for localhost / 127.x / ::1, where a local server may need no key."""
    parts = parse_url(base_url)
    host = parts.host if parts else ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(base_url: str) -> Message | None:
    """Why a base URL cannot be used, or None."""
    parts = parse_url(base_url)
    if parts is None or parts.scheme not in ("http", "https") or not parts.host:
        return Message("conn.bad_url")
    if parts.has_credentials:
        return Message("conn.url_credentials")
    return None


def key_problem(api_key: str | None) -> Message | None:
    """Why a key cannot be sent in an HTTP header, or None."""
    if api_key and not (api_key.isascii() and api_key.isprintable() and " " not in api_key):
        return Message("conn.bad_key")
    return None
