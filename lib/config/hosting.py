"""The password gate's checks: a constant-time comparison, a fair line for guesses, a pass.

A lockout that counts failures refuses everyone it covers: one client that keeps guessing
locks out the people who know the password, and behind a proxy every visitor shares one
address. So nothing is locked here. Every attempt waits for its turn instead: the server checks
about `Pace.per_minute` attempts a minute whoever sends them (a token bucket, so a lone visitor
is checked at once), and turns go round the waiting sessions fairly: first the address served
longest ago, then within it the session served longest ago. One session's stream of guesses
therefore cannot starve another session's single try, and an attacker gains nothing by waiting
in line with many sessions that each guessed before.

A browser that got in once holds a pass (`issue_pass`): signed, expiring, and void as soon as
the password changes. Its attempts skip the line (they have a bucket of their own).

Nothing here holds a password or a guess: only session ids, addresses, times and counts.
"""

from __future__ import annotations

import functools
import hashlib
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
class Pace:
    """How fast attempts are checked, for the whole server process."""

    per_minute: float = 8.0  # attempts checked a minute while someone keeps guessing
    burst: int = 4  # attempts checked at once after a quiet spell (typos cost no wait)
    stale_after: float = 10.0  # a waiting session that stops asking (tab closed) leaves
    remember: float = 3600.0  # how long who was served is kept, to order the line

    @property
    def per_second(self) -> float:
        return self.per_minute / 60.0


PACE = Pace()


class Verdict(NamedTuple):
    checked: bool  # the attempt had its turn and was compared
    accepted: bool  # ... and the password was right
    wait: float  # not checked yet: about this many seconds until its turn
    ahead: int  # not checked yet: sessions before this one in the line


class _Bucket:
    """Tokens that refill at a steady rate up to a cap; one token, one checked attempt."""

    def __init__(self, pace: Pace, now: float) -> None:
        self._pace = pace
        self.tokens = float(pace.burst)
        self._at = now

    def refill(self, now: float) -> None:
        gained = max(0.0, now - self._at) * self._pace.per_second
        self.tokens = min(float(self._pace.burst), self.tokens + gained)
        self._at = now

    def seconds_until(self, tokens: float) -> float:
        """Time until the bucket holds `tokens` (0 when it already does)."""
        return max(0.0, tokens - self.tokens) / self._pace.per_second


@dataclass
class _Waiting:
    address: str
    since: float
    seen: float


class GuessQueue:
    """Password attempts, checked in turn across every session of the process. Thread-safe.

    A session asks with `attempt` when its visitor submits, and again (about once a second)
    while it waits; each ask keeps its place. The attempt is compared only on its turn.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, pace: Pace = PACE) -> None:
        self._clock = clock
        self._pace = pace
        now = clock()
        self._bucket = _Bucket(pace, now)
        self._vouched = _Bucket(pace, now)  # attempts from browsers that hold a pass
        self._waiting: dict[str, _Waiting] = {}
        self._served_sessions: dict[str, float] = {}
        self._served_addresses: dict[str, float] = {}
        self._lock = threading.Lock()

    def attempt(
        self,
        session: str,
        address: str | None,
        given: str,
        expected: str,
        *,
        vouched: bool = False,
    ) -> Verdict:
        """Compare `given` if it is `session`'s turn; else say how far away the turn is.

        `vouched`: the browser holds a valid pass (`pass_ok`), so it does not queue.
        Turn-taking and counting happen under one lock, so sessions asking at the same moment
        cannot all take the last token.
        """
        with self._lock:
            now = self._clock()
            turn = self._take_vouched(now) if vouched else self._take_turn(session, address, now)
        if not turn.checked:
            return turn
        if password_ok(given, expected):
            return Verdict(True, True, 0.0, 0)
        # Time and address only: the guess itself is never logged.
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        _LOG.warning("%s wrong app password from %s", stamp, address or "an unknown address")
        return Verdict(True, False, 0.0, 0)

    def waiting(self) -> int:
        """How many sessions wait for their turn now."""
        with self._lock:
            self._drop_stale(self._clock())
            return len(self._waiting)

    def reset(self) -> None:
        with self._lock:
            now = self._clock()
            self._bucket = _Bucket(self._pace, now)
            self._vouched = _Bucket(self._pace, now)
            self._waiting.clear()
            self._served_sessions.clear()
            self._served_addresses.clear()

    def _take_vouched(self, now: float) -> Verdict:
        self._vouched.refill(now)
        if self._vouched.tokens >= 1:
            self._vouched.tokens -= 1
            return Verdict(True, False, 0.0, 0)
        return Verdict(False, False, self._vouched.seconds_until(1), 0)

    def _take_turn(self, session: str, address: str | None, now: float) -> Verdict:
        self._bucket.refill(now)
        self._drop_stale(now)
        entry = self._waiting.pop(session, None) or _Waiting(address or "", now, now)
        entry.seen = now
        entry.address = address or ""
        self._waiting[session] = entry  # (re)inserted last: the dict stays in order of `seen`
        mine = self._rank(session, entry)
        ahead = sum(1 for other, e in self._waiting.items() if self._rank(other, e) < mine)
        if self._bucket.tokens >= ahead + 1:
            # Tokens enough for everyone ahead too: they are not made to wait on this one.
            self._bucket.tokens -= 1
            del self._waiting[session]
            for served, name in ((self._served_sessions, session),
                                 (self._served_addresses, entry.address)):  # fmt: skip
                served.pop(name, None)
                served[name] = now  # last: each dict stays in order of time
            return Verdict(True, False, 0.0, 0)
        return Verdict(False, False, self._bucket.seconds_until(ahead + 1), ahead)

    def _rank(self, session: str, entry: _Waiting) -> tuple[float, float, float, str]:
        # Never served ranks as served at -inf: a newcomer goes before those who had turns.
        address_turn = self._served_addresses.get(entry.address, -math.inf)
        session_turn = self._served_sessions.get(session, -math.inf)
        return (address_turn, session_turn, entry.since, session)

    def _drop_stale(self, now: float) -> None:
        # Each dict is kept in time order (an entry is re-inserted when its time changes), so
        # only its oldest entries are looked at: the cost stays flat however many sessions an
        # attacker opens.
        waiting = self._waiting
        while waiting:
            oldest = next(iter(waiting))
            if now - waiting[oldest].seen <= self._pace.stale_after:
                break
            del waiting[oldest]
        for served in (self._served_sessions, self._served_addresses):
            while served:
                oldest = next(iter(served))
                if now - served[oldest] <= self._pace.remember:
                    break
                del served[oldest]  # served long ago: no longer orders the line


# -- the pass: a browser that got in once skips the line -----------------------------------

PASS_COOKIE = "playground_pass"
PASS_DAYS = 30
_PASS_VERSION = "p1"
# The signing key is derived from the password, so changing APP_PASSWORD voids every pass.
# PBKDF2 makes a leaked pass expensive to turn into the password by guessing offline.
_PASS_SALT = b"completions-playground gate pass v1"
_PASS_ROUNDS = 200_000


@functools.lru_cache(maxsize=4)
def _pass_key(password: str) -> bytes:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), _PASS_SALT, _PASS_ROUNDS)


def _signature(password: str, body: str) -> str:
    return hmac.new(_pass_key(password), body.encode("ascii"), hashlib.sha256).hexdigest()


def issue_pass(password: str, now: float | None = None, days: float = PASS_DAYS) -> str:
    """A signed pass valid for `days`: what the browser keeps after the password was right."""
    expires = int((time.time() if now is None else now) + days * 86400)
    body = f"{_PASS_VERSION}.{expires}"
    return f"{body}.{_signature(password, body)}"


def pass_ok(token: str | None, password: str, now: float | None = None) -> bool:
    """Whether `token` is an unexpired pass signed for this password."""
    if not token or not isinstance(token, str) or len(token) > 200:
        return False
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != _PASS_VERSION or not parts[1].isdigit():
        return False
    if int(parts[1]) <= (time.time() if now is None else now):
        return False
    expected = _signature(password, f"{parts[0]}.{parts[1]}")
    return hmac.compare_digest(parts[2].encode("utf-8"), expected.encode("utf-8"))
