"""Digest periods, plans and the quiet rule (pure)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from groundswell.core.answer import ResultRow
from groundswell.core.digest import (
    DigestScope,
    NewTheme,
    digest_plans,
    digest_windows,
    is_quiet,
    normalize_period,
    significant_movers,
    trend_plan,
)

AS_OF = datetime(2026, 11, 20, 9, tzinfo=UTC)


@pytest.mark.parametrize(("given", "period"), [("day", "daily"), ("Daily", "daily"), ("week", "weekly")])
def test_periods(given: str, period: str) -> None:
    assert normalize_period(given) == period


def test_unknown_period_is_refused() -> None:
    with pytest.raises(ValueError, match="day or week"):
        normalize_period("month")


def test_windows_are_adjacent_and_of_the_period_length() -> None:
    now, before = digest_windows("weekly", AS_OF)
    assert now.end == AS_OF and now.start == before.end and before.start == AS_OF - timedelta(days=14)
    day, _ = digest_windows("daily", AS_OF)
    assert day.end - day.start == timedelta(days=1)


def test_plans_carry_the_channel_scope() -> None:
    scope = DigestScope(themes=["auth"], segments=["enterprise"])
    plans = digest_plans("daily", AS_OF, scope)
    assert plans.top.kind == "ranking" and plans.movers.metric == "growth" and plans.total.kind == "comparison"
    for plan in (plans.top, plans.movers, plans.total):
        assert plan.filters.themes == ["auth"] and plan.filters.segments == ["enterprise"]
    assert plans.movers.previous_window == digest_windows("daily", AS_OF)[1]
    trend = trend_plan("weekly", AS_OF, scope, "auth.sso")
    assert trend.bucket == "week" and trend.filters.themes == ["auth.sso"]
    assert trend.filters.window is not None and trend.filters.window.start == AS_OF - timedelta(weeks=8)
    assert scope.label() == "themes auth · enterprise" and DigestScope().label() == "all feedback"


def test_only_movers_beyond_noise_count() -> None:
    rows = [
        ResultRow(key="a", label="A", value=2, count=3, previous=1),  # 3 vs 1: noise
        ResultRow(key="b", label="B", value=30, count=40, previous=10),  # 40 vs 10: a real rise
    ]
    kept = significant_movers(rows)
    assert [r.key for r in kept] == ["b"] and kept[0].p_value is not None and kept[0].p_value < 0.05


def test_quiet_only_when_nothing_moved() -> None:
    mover = ResultRow(key="b", label="B", value=30, count=40, previous=10)
    assert is_quiet(significant_total=False, movers=[], new_themes=[])
    assert not is_quiet(significant_total=True, movers=[], new_themes=[])
    assert not is_quiet(significant_total=False, movers=[mover], new_themes=[])
    assert not is_quiet(significant_total=False, movers=[], new_themes=[NewTheme(name="x", size=3)])
