"""Request bodies several tests compare with what the form builds or the relay received."""

from __future__ import annotations


def default_body(prompt: str = "") -> dict:
    """What the form sends with every widget at its default: written out, not derived from
    the field table, so a changed default shows up as a failing test."""
    return {
        "model": "gpt-3.5-turbo-instruct",
        "prompt": prompt,
        "max_tokens": 256,
        "temperature": 0.7,
        "top_p": 1.0,
        "n": 1,
        "stream": True,
        "stream_options": {"include_usage": True},
    }
