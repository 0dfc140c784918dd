"""Digests, pure: the period's windows, the query plans a digest runs, what it holds, and when it is quiet.

A digest is a few :class:`~core.query.QueryPlan` s run through the agent's tools (so its numbers are the ones
``groundswell ask`` gives for the same plans), plus discovery's new themes and the open tickets on the top themes.
It is *quiet* when nothing moved beyond noise: no significant change of the total, no significant mover, no new
theme; a quiet digest is one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal, Protocol, runtime_checkable

from groundswell.core.answer import CitedQuote, ResultRow
from groundswell.core.query import Filters, QueryPlan, Window
from groundswell.core.stats import SIGNIFICANCE_LEVEL, rate_change_p_value
from pydantic import BaseModel

__all__ = [
    "Digest",
    "DigestPeriod",
    "DigestPlans",
    "DigestPublisher",
    "DigestScope",
    "DigestTicket",
    "NewTheme",
    "TrendSeries",
    "arr_plan",
    "digest_plans",
    "digest_windows",
    "is_quiet",
    "normalize_period",
    "quotes_plan",
    "significant_movers",
    "trend_plan",
]

DigestPeriod = Literal["daily", "weekly"]
SPANS: dict[str, timedelta] = {"daily": timedelta(days=1), "weekly": timedelta(weeks=1)}
SPAN_LABELS = {"daily": ("last 24 hours", "the 24 hours before"), "weekly": ("last 7 days", "the 7 days before")}
TREND_BUCKETS: dict[str, tuple[Literal["day", "week"], int]] = {"daily": ("day", 7), "weekly": ("week", 8)}
TOP_THEMES = 5
MOVERS = 3
CHARTED = 3  # top themes drawn in the trend chart
QUOTES = 3
_ALIASES = {"day": "daily", "daily": "daily", "week": "weekly", "weekly": "weekly"}


def normalize_period(value: str) -> DigestPeriod:
    """``day``/``daily`` -> ``daily``, ``week``/``weekly`` -> ``weekly``."""
    period = _ALIASES.get(value.strip().lower())
    if period is None:
        raise ValueError(f"a digest period is day or week, not {value!r}")
    return period  # type: ignore[return-value]


class DigestScope(BaseModel):
    """What a channel subscribed to: themes and/or segments (empty: everything the channel may see)."""

    themes: list[str] = []
    segments: list[str] = []

    def label(self) -> str:
        parts = [f"themes {', '.join(self.themes)}" if self.themes else "", ", ".join(self.segments)]
        return " · ".join(p for p in parts if p) or "all feedback"


def digest_windows(period: DigestPeriod, as_of: datetime) -> tuple[Window, Window]:
    """(this period, the period before), each ``[start, end)`` ending at ``as_of``."""
    span, (now_label, before_label) = SPANS[period], SPAN_LABELS[period]
    current = Window(start=as_of - span, end=as_of, label=now_label)
    return current, Window(start=as_of - 2 * span, end=as_of - span, label=before_label)


class DigestPlans(BaseModel):
    """The plans of one digest whose results do not depend on other results."""

    top: QueryPlan  # ranking of themes by count in the period
    movers: QueryPlan  # ranking of themes by growth vs the period before
    total: QueryPlan  # comparison of the total vs the period before (with its significance)


def _filters(scope: DigestScope, window: Window | None, themes: Sequence[str] | None = None) -> Filters:
    return Filters(window=window, themes=list(themes if themes is not None else scope.themes), segments=scope.segments)


def digest_plans(period: DigestPeriod, as_of: datetime, scope: DigestScope) -> DigestPlans:
    current, previous = digest_windows(period, as_of)
    filters = _filters(scope, current)
    common = {"as_of": as_of, "filters": filters, "quotes": 0}
    return DigestPlans(
        top=QueryPlan(kind="ranking", metric="count", group_by="theme", k=TOP_THEMES, **common),
        movers=QueryPlan(
            kind="ranking", metric="growth", group_by="theme", k=MOVERS, previous_window=previous, **common
        ),
        total=QueryPlan(kind="comparison", previous_window=previous, **common),
    )


def arr_plan(period: DigestPeriod, as_of: datetime, scope: DigestScope, themes: Sequence[str]) -> QueryPlan:
    """ARR at stake: the distinct accounts' ARR behind the top themes' feedback in the period."""
    current, _ = digest_windows(period, as_of)
    return QueryPlan(kind="number", metric="arr_sum", as_of=as_of, filters=_filters(scope, current, themes), quotes=0)


def quotes_plan(period: DigestPeriod, as_of: datetime, scope: DigestScope, themes: Sequence[str]) -> QueryPlan:
    current, _ = digest_windows(period, as_of)
    return QueryPlan(kind="quotes", as_of=as_of, filters=_filters(scope, current, themes), quotes=QUOTES)


def trend_plan(period: DigestPeriod, as_of: datetime, scope: DigestScope, theme: str) -> QueryPlan:
    """One theme's units per bucket: the last 7 days (daily digest) or 8 weeks (weekly)."""
    bucket, n = TREND_BUCKETS[period]
    start = as_of - n * (timedelta(days=1) if bucket == "day" else timedelta(weeks=1))
    window = Window(start=start, end=as_of, label=f"last {n} {bucket}s")
    return QueryPlan(kind="trend", bucket=bucket, as_of=as_of, filters=_filters(scope, window, [theme]), quotes=0)


class NewTheme(BaseModel):
    name: str
    size: int
    status: str = "pending"


class DigestTicket(BaseModel):
    theme: str  # the theme's label
    reference: str
    title: str
    url: str | None = None
    owner: str | None = None


class TrendSeries(BaseModel):
    label: str
    buckets: list[str]  # bucket start dates
    counts: list[int]


class Digest(BaseModel):
    """One channel's digest; every figure comes from a tool result."""

    channel: str
    period: DigestPeriod
    scope: DigestScope
    window: Window
    previous_window: Window
    total: int = 0
    previous_total: int = 0
    p_value: float = 1.0
    significant: bool = False
    top: list[ResultRow] = []
    movers: list[ResultRow] = []  # significant risers only
    arr_at_stake: float | None = None
    arr_accounts: int = 0
    new_themes: list[NewTheme] = []
    quotes: list[CitedQuote] = []
    tickets: list[DigestTicket] = []
    trends: list[TrendSeries] = []
    taxonomy_version: int | None = None
    quiet: bool = False


def significant_movers(rows: Sequence[ResultRow], *, alpha: float = SIGNIFICANCE_LEVEL) -> list[ResultRow]:
    """Growth rows whose rise is beyond noise (two equal-length windows, the rate test ``ask`` uses)."""
    kept = []
    for row in rows:
        p = rate_change_p_value(row.count, int(row.previous or 0))
        if p < alpha:
            kept.append(row.model_copy(update={"p_value": round(p, 6)}))
    return kept


def is_quiet(*, significant_total: bool, movers: Sequence[ResultRow], new_themes: Sequence[NewTheme]) -> bool:
    return not significant_total and not movers and not new_themes


@runtime_checkable
class DigestPublisher(Protocol):
    """Posts a digest (Block Kit) to a channel and uploads its chart; returns the message ts."""

    def publish(
        self, *, channel: str, text: str, blocks: list[dict[str, object]], chart: bytes | None, alt_text: str
    ) -> str | None: ...
