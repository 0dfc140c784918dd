"""Request budgets: token buckets ("3 calls/s and 10,000/day") with an injectable clock.

A source declares its vendor's documented limits as :class:`Rate` values; :class:`Budget` makes every
request wait for a token of each rate, taken atomically from a :class:`~core.budgets.BudgetStore` (shared by
runs and workers when Redis or the database backs it). A wait longer than ``max_wait_s`` (a daily budget
spent) raises :class:`~core.errors.RateLimited` instead of sleeping for hours: the job keeps the checkpoint
and the next run resumes from there.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from groundswell.core.budgets import BucketSlot, BudgetStore, MemoryBudgetStore
from groundswell.core.errors import RateLimited

__all__ = ["Budget", "Clock", "Rate", "SystemClock", "parse_retry_after"]


class Clock:
    """Time and sleep, injectable so tests never wait."""

    def now(self) -> float:
        raise NotImplementedError

    def sleep(self, seconds: float) -> None:
        raise NotImplementedError


class SystemClock(Clock):
    """Wall-clock seconds: buckets shared between processes need one time base (not ``time.monotonic``)."""

    def now(self) -> float:
        return time.time()

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
class Budget:
    """Token buckets shared by every request of one source (per method when ``key`` differs).

    The buckets live in ``store``: in-process by default, Redis or the database when the runtime passes a
    shared one, so a daily allowance holds across runs and across every worker. Bucket keys name the source,
    the method key and the rate, so two accounts of one vendor (two source names) never share a bucket."""

    source: str
    rates: Sequence[Rate] = ()
    clock: Clock = field(default_factory=SystemClock)
    max_wait_s: float = 300.0
    store: BudgetStore = field(default_factory=MemoryBudgetStore)
    waited_s: float = field(default=0.0, init=False)

    def acquire(self, key: str = "", extra: Sequence[Rate] = ()) -> None:
        """Take one token of each source-wide rate and of each ``extra`` rate of method ``key``, sleeping as
        needed (e.g. Zendesk: 200/min overall, and 10/min on the incremental export)."""
        slots = [self._slot("", rate) for rate in self.rates] + [self._slot(key, rate) for rate in extra]
        if not slots:
            return
        while True:
            wait = self.store.take(slots, self.clock.now())
            if wait <= 0:
                return
            if wait > self.max_wait_s:
                raise RateLimited(self.source, wait)
            self.waited_s += wait
            self.clock.sleep(wait)

    def _slot(self, key: str, rate: Rate) -> BucketSlot:
        return BucketSlot(f"rate:{self.source}:{key}:{rate}", rate.calls, rate.per_s)


def parse_retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds from a ``Retry-After`` header (delta-seconds; an HTTP date falls back to ``default``)."""
    if not value:
        return default
    try:
        return max(0.0, float(value.strip()))
    except ValueError:
        return default
