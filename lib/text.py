"""Making untrusted text (model output, server messages) safe for Streamlit's markdown."""

import re

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
