"""Time in the demo: the window, release history and a realistic arrival-time sampler."""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

__all__ = ["Timeline"]

_HOUR_WEIGHTS = (1, 1, 1, 1, 1, 2, 3, 5, 8, 10, 10, 9, 8, 9, 10, 10, 9, 7, 5, 4, 3, 2, 2, 1)


@dataclass
class Timeline:
    """``[start, end)`` window; release 4.12 lands ~3 weeks before ``end``."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        base = (self.end - timedelta(days=21)).replace(hour=16, minute=0, second=0, microsecond=0)
        self.release_412 = base
        span = self.end - self.start
        self.releases: list[tuple[datetime, str, int]] = [
            (self.start - timedelta(days=30), "4.9.3", 40903),
            (self.start + span * 0.2, "4.10.0", 41000),
            (self.start + span * 0.35, "4.10.3", 41003),
            (self.start + span * 0.55, "4.11.0", 41100),
            (self.start + span * 0.7, "4.11.2", 41102),
            (base, "4.12.0", 41200),
            (base + timedelta(days=8), "4.12.1", 41201),
        ]
        self.releases.sort()
        days = max(1, span.days)
        self._days = [self.start + timedelta(days=d) for d in range(days)]
        weights = [(0.35 if d.weekday() >= 5 else 1.0) * (1 + 0.25 * i / days) for i, d in enumerate(self._days)]
        self._cum = list(_accumulate(weights))

    def version_at(self, at: datetime) -> tuple[str, int]:
        """Marketing version and Play version code current at ``at``."""
        current = self.releases[0]
        for release in self.releases:
            if release[0] <= at:
                current = release
        return current[1], current[2]

    def sample(self, rng: random.Random, *, latest: datetime | None = None) -> datetime:
        """An arrival time: weekdays and business hours (UTC) are busier, volume grows slowly."""
        limit = latest or self.end
        for _ in range(50):
            day = self._days[bisect.bisect_left(self._cum, rng.random() * self._cum[-1])]
            hour = rng.choices(range(24), weights=_HOUR_WEIGHTS)[0]
            at = day + timedelta(hours=hour, seconds=rng.randrange(3600))
            if self.start <= at < limit:
                return at
        return (self.start + (limit - self.start) * rng.random()).replace(microsecond=0)

    def frac(self, at: datetime) -> float:
        return (at - self.start) / (self.end - self.start)


def _accumulate(values: list[float]) -> list[float]:
    total, out = 0.0, []
    for value in values:
        total += value
        out.append(total)
    return out
