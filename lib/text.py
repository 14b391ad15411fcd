"""Making untrusted text (model output, server messages) safe for Streamlit's markdown."""

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|$~&:])")


def escape_markdown(text: str) -> str:
    """Backslash-escape every character markdown (or its math and HTML) could interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
