"""Making untrusted text (model output, server messages) safe for Streamlit's markdown."""

import re
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~&:])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character markdown (or its math and HTML) could interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_without_images(text: str) -> str:
    """Model output for opt-in markdown rendering, with images disabled.

    An image would make the browser fetch any URL the model wrote (a tracking pixel, or a
    request that carries data out); links at least need a click.
    """
    return text.replace("![", "!\\[")


def without_surrogates(value: Any) -> Any:
    """`value` with lone UTF-16 surrogates (from JSON such as "\\ud800") replaced by U+FFFD.

    Python strings may hold them, but they cannot be encoded as UTF-8, so one would break the
    page the moment Streamlit sends it to the browser. Applied wherever outside text comes in.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value
