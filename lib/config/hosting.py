"""The password gate's checks: a constant-time comparison, and a limiter on guessing.

A pause per session does not stop guessing: an attacker opens many sessions. The limiter
counts failures for the whole server process and for each client address, whichever session
they come from, and answers how long the next attempt must wait. It holds only counts, times
and addresses, never a password or a guess.
"""

from __future__ import annotations

import hmac
import importlib.util
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import NamedTuple

_LOG = logging.getLogger(__name__)


def password_ok(given: str, expected: str) -> bool:
    """Compare in constant time, so response timing does not reveal the password."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def authlib_installed() -> bool:
    """Whether st.login can work: Streamlit needs Authlib for it."""
    return importlib.util.find_spec("authlib") is not None


@dataclass(frozen=True)
class Backoff:
    """How one counter slows guessing down.

    The first `free` failures cost nothing (a typo); each further one doubles the wait, from
    `first_delay` up to `max_delay`. From `lockout_after` failures on, each failure locks for
    `lockout` seconds. A quiet `forget_after` seconds since the last failure clears the count.
    """

    free: int
    first_delay: float
    max_delay: float
    lockout_after: int
    lockout: float
    forget_after: float

    def delay(self, failures: int) -> float:
        if failures >= self.lockout_after:
            return self.lockout
        if failures <= self.free:
            return 0.0
        return min(self.first_delay * 2 ** (failures - self.free - 1), self.max_delay)


# One address that keeps guessing gets one try per 5 minutes after 5 failures. The count is
# forgotten only well after a lockout ends, so a lockout is not followed by fresh free tries.
PER_ADDRESS = Backoff(
    free=1, first_delay=1, max_delay=30, lockout_after=5, lockout=300, forget_after=1800
)
# All addresses together (or unknown ones) get one try per 15 minutes after 30 failures.
# People who already passed the gate keep their sessions meanwhile.
PER_SERVER = Backoff(
    free=3, first_delay=1, max_delay=60, lockout_after=30, lockout=900, forget_after=3600
)


class Verdict(NamedTuple):
    accepted: bool  # the password was right
    retry_after: float  # seconds until the next attempt is heard (0: at once)
    heard: bool  # False: refused unchecked, because it came too soon


@dataclass
class _Count:
    failures: int = 0
    last: float = 0.0


class AttemptLimiter:
    """Password attempts, counted per server process and per client address. Thread-safe."""

    def __init__(
        self,
        clock: Callable[[], float] = time.monotonic,
        per_server: Backoff = PER_SERVER,
        per_address: Backoff = PER_ADDRESS,
    ) -> None:
        self._clock = clock
        self._server_policy = per_server
        self._address_policy = per_address
        self._server = _Count()
        self._addresses: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def attempt(self, given: str, expected: str, address: str | None) -> Verdict:
        """Check `given` unless it comes too soon after earlier failures; count a failure.

        Waiting, checking and counting happen under one lock, so parallel sessions cannot all
        slip through in the moment before the first failure is counted.
        """
        with self._lock:
            now = self._clock()
            self._forget(now)
            wait = self._wait(address, now)
            if wait > 0:
                return Verdict(False, wait, heard=False)
            if password_ok(given, expected):
                if address is not None:
                    self._addresses.pop(address, None)
                return Verdict(True, 0.0, heard=True)
            for count in self._counts(address):
                count.failures += 1
                count.last = now
            wait = self._wait(address, now)
        # Time and address only: the guess itself is never logged.
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        _LOG.warning(
            "%s wrong app password from %s; next attempt heard in %d s",
            stamp,
            address or "an unknown address",
            math.ceil(wait),
        )
        return Verdict(False, wait, heard=True)

    def retry_after(self, address: str | None) -> float:
        """Seconds until an attempt from `address` would be heard."""
        with self._lock:
            now = self._clock()
            self._forget(now)
            return self._wait(address, now)

    def reset(self) -> None:
        with self._lock:
            self._server = _Count()
            self._addresses.clear()

    def _counts(self, address: str | None) -> list[_Count]:
        counts = [self._server]
        if address is not None:
            counts.append(self._addresses.setdefault(address, _Count()))
        return counts

    def _wait(self, address: str | None, now: float) -> float:
        waits = [self._server.last + self._server_policy.delay(self._server.failures) - now]
        count = self._addresses.get(address) if address is not None else None
        if count is not None:
            waits.append(count.last + self._address_policy.delay(count.failures) - now)
        return max(0.0, *waits)

    def _forget(self, now: float) -> None:
        if now - self._server.last >= self._server_policy.forget_after:
            self._server = _Count()
        # Dropping quiet addresses also keeps the table small on a long-running server.
        quiet = [
            address
            for address, count in self._addresses.items()
            if now - count.last >= self._address_policy.forget_after
        ]
        for address in quiet:
            del self._addresses[address]
