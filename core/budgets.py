"""Budgets that hold across runs and workers: token buckets for API rates and spend counters for LLM cost.

A :class:`BudgetStore` keeps the state somewhere every process sees (Redis when configured, else the
database; :class:`MemoryBudgetStore` for one process and tests). Both operations are atomic in the store:

- ``take(slots, now)``: refill each bucket to ``now``; if every one holds a token, take one from each and
  return 0, else take nothing and return the seconds until all would hold one;
- ``spend(key, amount, ttl_s)``: add ``amount`` to a counter (created with expiry ``ttl_s``), return the total.

:class:`SpendLimit` is a daily USD cap on top of ``spend`` (day-keyed counters, so no reset job is needed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from groundswell.core.errors import GroundswellError

__all__ = [
    "BucketSlot",
    "BudgetExceeded",
    "BudgetStore",
    "MemoryBudgetStore",
    "SpendLimit",
    "refill",
    "wait_for_token",
]

DAY_S = 86_400.0


class BudgetExceeded(GroundswellError):
    """A spend limit is used up for its period (e.g. the LLM's daily USD cap)."""


@dataclass(frozen=True)
class BucketSlot:
    """One token bucket: at most ``calls`` tokens, refilled evenly over ``per_s`` seconds."""

    key: str
    calls: int
    per_s: float


def refill(tokens: float, stamp: float, slot: BucketSlot, now: float) -> float:
    """Tokens in a bucket last seen at ``stamp`` with ``tokens``, at ``now`` (never above capacity)."""
    elapsed = max(0.0, now - stamp)
    return min(float(slot.calls), tokens + elapsed * slot.calls / slot.per_s)


def wait_for_token(tokens: float, slot: BucketSlot) -> float:
    """Seconds until the bucket holds a whole token (float refills landing a hair under 1 count as one)."""
    if tokens >= 1 - 1e-9:
        return 0.0
    return (1 - tokens) * slot.per_s / slot.calls


def take_all(state: dict[str, tuple[float, float]], slots: Sequence[BucketSlot], now: float) -> float:
    """The ``take`` rule on ``state`` (key -> (tokens, stamp)), mutated in place; shared by the in-process and
    SQL stores (the Redis store runs the same rule as a Lua script)."""
    levels = {s.key: refill(*state.get(s.key, (float(s.calls), now)), s, now) for s in slots}
    wait = max((wait_for_token(levels[s.key], s) for s in slots), default=0.0)
    for slot in slots:
        state[slot.key] = (max(0.0, levels[slot.key] - 1) if wait <= 0 else levels[slot.key], now)
    return wait


@runtime_checkable
class BudgetStore(Protocol):
    """Shared budget state; see the module docstring for the two atomic operations."""

    def take(self, slots: Sequence[BucketSlot], now: float) -> float: ...

    def spend(self, key: str, amount: float, ttl_s: float) -> float: ...


class MemoryBudgetStore:
    """Budgets of one process (tests, single runs without a database)."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}
        self._counters: dict[str, float] = {}
        self._lock = threading.Lock()

    def take(self, slots: Sequence[BucketSlot], now: float) -> float:
        with self._lock:
            return take_all(self._buckets, slots, now)

    def spend(self, key: str, amount: float, ttl_s: float) -> float:
        with self._lock:
            self._counters[key] = self._counters.get(key, 0.0) + amount
            return self._counters[key]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class SpendLimit:
    """At most ``limit`` (USD) per UTC day under ``name``, shared through ``store`` by every process."""

    def __init__(self, store: BudgetStore, *, name: str, limit: float, now: Callable[[], datetime] = _utc_now) -> None:
        self.store = store
        self.name = name
        self.limit = limit
        self.now = now

    def _key(self) -> str:
        return f"spend:{self.name}:{self.now().astimezone(UTC).date().isoformat()}"

    def spent(self) -> float:
        """Spent today so far (adds nothing)."""
        return self.store.spend(self._key(), 0.0, 2 * DAY_S)

    def remaining(self) -> float:
        return max(0.0, self.limit - self.spent())

    def check(self) -> None:
        """Raise :class:`BudgetExceeded` when today's limit is spent."""
        spent = self.spent()
        if spent >= self.limit:
            raise BudgetExceeded(f"{self.name}: daily limit {self.limit:g} spent ({spent:.4f} today)")

    def record(self, amount: float) -> float:
        """Add ``amount`` to today's spend; the new total."""
        return self.store.spend(self._key(), amount, 2 * DAY_S)
