"""Every setting of the app in one table, and the one way each is read.

A setting comes from st.secrets (a secrets.toml file, or Streamlit Community Cloud's Secrets box)
first, then from the environment (Docker, most hosts), then its default. Every setting is read
the same way because a gate that looked at only one of the two sources would silently stay open
when the host used the other. A value that cannot be understood is a `ConfigError`, never a
guess: the app then shows the reason and nothing else (a hosted instance fails closed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lib.cost.prices import parse_prices, prices_record
from lib.i18n import Message

TEXT = "text"  # a string
SECRET = "secret"  # a string that is never shown, logged or put in a repr
FLAG = "flag"  # true/false, yes/no, 1/0 (any case), a TOML boolean, or the TOML integers 0/1
SECTION = "section"  # a TOML table; only a secrets file can hold one
COUNT = "count"  # a whole number of at least 1 (a TOML integer or digits in a string)
PRICE_TABLE = "prices"  # a JSON list of prices (text), or a TOML array of tables (lib/cost)

SECRETS = "secrets"
ENVIRONMENT = "environment"
DEFAULT = "default"

# Where requests go when neither the secrets nor the environment name a server.
DEFAULT_BASE_URL = "https://api.gptnb.me/v1"

OPENAI_BASE_URL = "OPENAI_BASE_URL"
OPENAI_API_KEY = "OPENAI_API_KEY"
LOCK_BASE_URL = "LOCK_BASE_URL"
ALLOW_LOCAL_MODEL = "ALLOW_LOCAL_MODEL"
APP_PASSWORD = "APP_PASSWORD"
AUTH = "auth"
MAX_TOKENS_LIMIT = "MAX_TOKENS_LIMIT"
MAX_OUTPUT_CHARS = "MAX_OUTPUT_CHARS"
MAX_OUTPUT_CHUNKS = "MAX_OUTPUT_CHUNKS"
MAX_RESPONSE_BYTES = "MAX_RESPONSE_BYTES"
RUN_IDLE_SECONDS = "RUN_IDLE_SECONDS"
SHUTDOWN_GRACE_SECONDS = "SHUTDOWN_GRACE_SECONDS"
PRICES = "PRICES"


@dataclass(frozen=True)
class Setting:
    name: str
    kind: str
    default: str | bool | None
    meaning: str
    sources: tuple[str, ...] = (SECRETS, ENVIRONMENT)


# README's Hosting section documents this table; a test checks that it lists every name.
SETTINGS: tuple[Setting, ...] = (
    Setting(OPENAI_BASE_URL, TEXT, DEFAULT_BASE_URL, "server URL including /v1"),
    Setting(
        OPENAI_API_KEY,
        SECRET,
        None,
        "team key, sent as `Authorization: Bearer …` to OPENAI_BASE_URL only",
    ),
    Setting(LOCK_BASE_URL, FLAG, False, "hide the base-URL field: always use OPENAI_BASE_URL"),
    Setting(
        ALLOW_LOCAL_MODEL,
        FLAG,
        False,
        "offer the local model even with LOCK_BASE_URL or a configured server",
    ),
    Setting(APP_PASSWORD, SECRET, None, "password asked before anything else renders"),
    Setting(
        AUTH,
        SECTION,
        None,
        "OpenID Connect log-in (st.login) before anything else renders",
        sources=(SECRETS,),
    ),
    Setting(MAX_TOKENS_LIMIT, COUNT, None, "largest max_tokens a request may ask for (no limit)"),
    Setting(MAX_OUTPUT_CHARS, COUNT, 400_000, "characters one run keeps before it is cut"),
    Setting(MAX_OUTPUT_CHUNKS, COUNT, 50_000, "stream chunks one run reads before it is cut"),
    Setting(MAX_RESPONSE_BYTES, COUNT, 16 * 1024 * 1024, "largest response body read"),
    Setting(RUN_IDLE_SECONDS, COUNT, 15, "seconds a run goes on with no page showing it"),
    Setting(
        SHUTDOWN_GRACE_SECONDS,
        COUNT,
        30,
        "seconds runs in flight get to finish when the process is asked to stop (SIGTERM)",
    ),
    Setting(PRICES, PRICE_TABLE, None, "prices per 1M tokens the sidebar's table starts with"),
)
BY_NAME = {setting.name: setting for setting in SETTINGS}

_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0"}


class ConfigError(Exception):
    """The configuration cannot be used; `problems` say why, in any language."""

    def __init__(self, problems: list[Message]) -> None:
        super().__init__(", ".join(p.key for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Value:
    value: Any
    source: str  # SECRETS | ENVIRONMENT | DEFAULT


class Settings:
    """The values of every setting, with where each came from. Its repr shows no value."""

    def __init__(self, values: Mapping[str, Value]) -> None:
        self._values = dict(values)

    def value(self, name: str) -> Any:
        return self._values[name].value

    def source(self, name: str) -> str:
        return self._values[name].source

    @property
    def base_url(self) -> str:
        return self.value(OPENAI_BASE_URL)

    @property
    def api_key(self) -> str | None:
        return self.value(OPENAI_API_KEY)

    @property
    def lock_base_url(self) -> bool:
        return self.value(LOCK_BASE_URL) is True

    @property
    def allow_local_model(self) -> bool:
        return self.value(ALLOW_LOCAL_MODEL) is True

    @property
    def app_password(self) -> str | None:
        return self.value(APP_PASSWORD)

    @property
    def max_tokens_limit(self) -> int | None:
        return self.value(MAX_TOKENS_LIMIT)

    @property
    def auth(self) -> Mapping[str, Any] | None:
        """The [auth] table when log-in is configured."""
        return self.value(AUTH)

    def __repr__(self) -> str:
        sources = ", ".join(f"{name}={v.source}" for name, v in self._values.items())
        return f"Settings({sources})"


def read(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> Settings:
    """Every setting from `secrets`, then `environ`, then its default; ConfigError if unusable.

    An empty string counts as not set, so a blank entry never hides a value from the next source.
    """
    values: dict[str, Value] = {}
    problems: list[Message] = _miscased(secrets, environ)
    for setting in SETTINGS:
        found = Value(setting.default, DEFAULT)
        for source, mapping in ((SECRETS, secrets), (ENVIRONMENT, environ)):
            if source not in setting.sources or not _is_set(mapping.get(setting.name)):
                continue
            try:
                found = Value(_parse(setting, mapping[setting.name]), source)
            except ValueError:
                problems.append(_problem(setting, source))
            break
        values[setting.name] = found
    if isinstance(values[AUTH].value, Mapping):
        problems.extend(auth_problems(values[AUTH].value))
    if problems:
        raise ConfigError(problems)
    return Settings(values)


_BY_FOLDED = {setting.name.casefold(): setting for setting in SETTINGS}


def _miscased(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> list[Message]:
    """A name that differs from a setting's only in letter case ([AUTH], app_password).

    Names are matched exactly, so such an entry would be silently ignored: an instance meant
    to ask for log-in or a password would stand open. It is a configuration error instead.
    """
    problems = []
    for source, mapping in ((SECRETS, secrets), (ENVIRONMENT, environ)):
        for found in mapping:
            setting = _BY_FOLDED.get(found.casefold()) if isinstance(found, str) else None
            if setting is None or found == setting.name or source not in setting.sources:
                continue
            params = {"found": found, "name": setting.name}
            params["source"] = Message(f"conn.source.{source}")
            problems.append(Message("config.wrong_case", params))
    return problems


def _is_set(raw: Any) -> bool:
    return raw is not None and not (isinstance(raw, str) and not raw.strip())


def _parse(setting: Setting, raw: Any) -> Any:
    if setting.kind == FLAG:
        return parse_flag(raw)
    if setting.kind == COUNT:
        return parse_count(raw)
    if setting.kind == PRICE_TABLE:
        return prices_record(parse_prices(raw))
    if setting.kind == SECTION:
        if not isinstance(raw, Mapping):
            raise ValueError(setting.name)
        return dict(raw)
    # A number where text belongs (APP_PASSWORD = 1234 in TOML) is refused, not converted: the
    # host sees the mistake at once instead of a password that differs from the one they meant.
    if not isinstance(raw, str):
        raise ValueError(setting.name)
    return raw.strip()


def parse_flag(raw: Any) -> bool:
    """A strict boolean: anything but the listed spellings is a ValueError, never False."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return raw == 1
    if isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
    raise ValueError("not a flag")


def parse_count(raw: Any) -> int:
    """A whole number ≥ 1; anything else (0, -1, 2.5, "lots", true) is a ValueError."""
    if isinstance(raw, str) and raw.strip().isascii() and raw.strip().isdigit():
        raw = int(raw.strip()) if len(raw.strip()) <= 18 else 0
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        raise ValueError("not a count")
    return raw


def _problem(setting: Setting, source: str) -> Message:
    where = Message(f"conn.source.{source}")
    kinds = {
        FLAG: "config.not_flag", SECTION: "config.not_section", COUNT: "config.not_count",
        PRICE_TABLE: "config.not_prices",
    }  # fmt: skip
    key = kinds.get(setting.kind)
    return Message(key or "config.not_text", {"name": setting.name, "source": where})


# What st.login needs besides a provider (Streamlit checks again when someone logs in).
_AUTH_SHARED = ("redirect_uri", "cookie_secret")
_AUTH_PROVIDER = ("client_id", "client_secret", "server_metadata_url")


def auth_providers(auth: Mapping[str, Any]) -> list[str | None]:
    """The providers [auth] names: None for one set directly in [auth], else each sub-table."""
    providers: list[str | None] = []
    if all(name in auth for name in _AUTH_PROVIDER):
        providers.append(None)
    providers.extend(name for name, value in auth.items() if isinstance(value, Mapping))
    return providers


def auth_problems(auth: Mapping[str, Any]) -> list[Message]:
    """What keeps [auth] from working, by name only (its values are secret)."""
    missing = [name for name in _AUTH_SHARED if not _is_set(auth.get(name))]
    if missing:
        return [Message("config.auth_missing", {"names": ", ".join(missing)})]
    if not auth_providers(auth):
        return [Message("config.auth_no_provider", {"names": ", ".join(_AUTH_PROVIDER)})]
    return []
