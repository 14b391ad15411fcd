"""When a speed is worth showing: over a few hundredths of a second, or a chunk or two, it is noise.

A buffered answer arrives in one burst: 107 chunks in 0.01 s read as "10716.4 chunks/s", which
says nothing about the server. Below these floors the page shows "—" instead.
"""

from __future__ import annotations

MIN_SECONDS = 0.2  # of generation (from the first token), or of the whole run for a burst
MIN_COUNT = 2  # tokens or chunks: one is an event, not a rate


def rate(count: int, seconds: float | None) -> float | None:
    """`count` per second over `seconds`, or None when either is too small to be a speed."""
    if seconds is None or count < MIN_COUNT or seconds < MIN_SECONDS:
        return None
    return count / seconds
