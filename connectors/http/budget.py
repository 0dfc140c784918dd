"""Request budgets: token buckets ("3 calls/s and 10,000/day") with an injectable clock.

A source declares its vendor's documented limits as :class:`Rate` values; :class:`Budget` makes every
request wait for a token of each rate. A wait longer than ``max_wait_s`` (a daily budget spent) raises
:class:`~core.errors.RateLimited` instead of sleeping for hours: the job keeps the checkpoint and the next
run resumes from there.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.errors import RateLimited

__all__ = ["Budget", "Clock", "Rate", "SystemClock", "parse_retry_after"]


class Clock:
    """Time and sleep, injectable so tests never wait."""

    def now(self) -> float:
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        raise NotImplementedError


class SystemClock(Clock):
    def now(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True)
class Rate:
    """At most ``calls`` requests per ``per_s`` seconds (a bucket of ``calls`` tokens refilled evenly)."""

    calls: int
    per_s: float

    def __str__(self) -> str:
        return f"{self.calls}/{self.per_s:g}s"


@dataclass
class _Bucket:
    rate: Rate
    tokens: float
    stamp: float

    def refill(self, now: float) -> None:
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(float(self.rate.calls), self.tokens + elapsed * self.rate.calls / self.rate.per_s)
        self.stamp = now

    def wait_for_token(self) -> float:
        if self.tokens >= 1 - 1e-9:  # float refills land a hair under 1: that is a token
            return 0.0
        return (1 - self.tokens) * self.rate.per_s / self.rate.calls


@dataclass
class Budget:
    """Token buckets shared by every request of one source (per method when ``key`` differs)."""

    source: str
    rates: Sequence[Rate] = ()
    clock: Clock = field(default_factory=SystemClock)
    max_wait_s: float = 300.0
    _buckets: dict[tuple[str, Rate], _Bucket] = field(default_factory=dict, init=False)
    waited_s: float = field(default=0.0, init=False)

    def acquire(self, key: str = "", extra: Sequence[Rate] = ()) -> None:
        """Take one token of each source-wide rate and of each ``extra`` rate of method ``key``, sleeping as
        needed (e.g. Zendesk: 200/min overall, and 10/min on the incremental export)."""
        buckets = [self._bucket("", rate) for rate in self.rates] + [self._bucket(key, rate) for rate in extra]
        while True:
            now = self.clock.now()
            for bucket in buckets:
                bucket.refill(now)
            wait = max((b.wait_for_token() for b in buckets), default=0.0)
            if wait <= 0:
                for bucket in buckets:
                    bucket.tokens = max(0.0, bucket.tokens - 1)
                return
            if wait > self.max_wait_s:
                raise RateLimited(self.source, wait)
            self.waited_s += wait
            self.clock.sleep(wait)

    def _bucket(self, key: str, rate: Rate) -> _Bucket:
        slot = (key, rate)
        if slot not in self._buckets:
            self._buckets[slot] = _Bucket(rate, float(rate.calls), self.clock.now())
        return self._buckets[slot]


def parse_retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds from a ``Retry-After`` header (delta-seconds; an HTTP date falls back to ``default``)."""
    if not value:
        return default
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return default
