"""Interface language: looking up messages in the catalog, and choosing the language.

Why a Python catalog rather than gettext .po files: every message sits next to its translation
in one reviewable file (lib/i18n/catalog.py), there is no compile step (.mo files) for a fresh
machine or Streamlit Community Cloud, and a unit test can walk every key and compare the
placeholders of both languages. The language is always passed in, never global: one server
process serves people reading different languages at the same time.

A message that counts something has plural forms: its English text is a dict of CLDR plural
categories (``{"one": "{count} entry", "other": "{count} entries"}``) chosen by the `count`
parameter; Chinese has no plural forms and keeps one text.

The catalog is loaded on the first `t()`, not on import: the client reads JSON through
lib.config.text, which needs `Message` and `json_error`, and neither importing the client nor
its failing must load the interface's texts (a `Message` is resolved by the page). Describing
a failed request for people is the interface's job (lib.ui.describe): this package knows no
client.
"""

from __future__ import annotations

import string
from typing import Any, NamedTuple

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"


# CLDR plural categories each language's texts must provide (one text when absent).
PLURAL_FORMS: dict[str, tuple[str, ...]] = {"en": ("one", "other")}
COUNT = "count"  # the parameter that chooses a plural form


def plural_form(lang: str, count: Any) -> str:
    """The CLDR plural category of `count` in `lang` (English: "one" for exactly 1)."""
    if count == 1 and not isinstance(count, bool) and "one" in PLURAL_FORMS.get(lang, ()):
        return "one"
    return "other"


def forms(text: str | dict[str, str]) -> list[str]:
    """Every form of one language's text: itself, or each of its plural forms."""
    return list(text.values()) if isinstance(text, dict) else [text]


class Message(NamedTuple):
    """A message to show later, in whichever language the reader uses."""

    key: str
    params: dict | None = None

    def text(self, lang: str) -> str:
        return t(lang, self.key, **(self.params or {}))


def t(lang: str, key: str, /, **params: Any) -> str:
    """The message `key` in `lang` (English when missing there), with `params` filled in.

    A message with plural forms picks the one for `params["count"]`.
    """
    from lib.i18n.catalog import CATALOG  # on first use; see the module docstring

    entry = CATALOG[key]
    template = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if isinstance(template, dict):
        form = plural_form(lang if entry.get(lang) else DEFAULT_LANGUAGE, params.get(COUNT))
        template = template.get(form) or template["other"]
    # A parameter may itself be a message (a reason inside a sentence): same language.
    filled = {k: v.text(lang) if isinstance(v, Message) else v for k, v in params.items()}
    return template.format(**filled)


# Python's json module explains syntax errors in English; the usual ones, translated.
_JSON_REASONS = {
    "Expecting value": "json.expecting_value",
    "Expecting property name enclosed in double quotes": "json.property_name",
    "Expecting ',' delimiter": "json.comma",
    "Expecting ':' delimiter": "json.colon",
    "Unterminated string starting at": "json.unterminated",
    "Extra data": "json.extra_data",
    "Invalid control character at": "json.control_char",
    "Invalid \\escape": "json.bad_escape",
}


def json_error(exc: ValueError) -> Message:
    """Where and why a JSON text failed to parse, as a message."""
    line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
    msg = getattr(exc, "msg", str(exc))
    key = _JSON_REASONS.get(msg)
    reason = Message(key) if key else msg
    return Message("json.where", {"line": line, "column": column, "reason": reason})


def placeholders(template: str) -> set[str]:
    """The {names} a template expects."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def texts(lang: str, messages: list[Message]) -> str:
    """Several messages as one paragraph."""
    return " ".join(m.text(lang) for m in messages)


def language_for_locale(locale: str | None) -> str:
    """The interface language for a browser locale such as "zh-CN" or "en-US"."""
    if locale and locale.lower().startswith("zh"):
        return "zh"
    return DEFAULT_LANGUAGE
