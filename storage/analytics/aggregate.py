"""Counts, ARR numbers and rankings (count, growth, arr, arr_per_account, negative_share, lost_amount), in SQL."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import GroupBy, Window
from groundswell.storage.analytics.groups import (
    GroupStats,
    arr_by_group,
    evidence,
    group_key,
    group_stats,
    label_of,
    row_extra,
)
from groundswell.storage.analytics.pipeline import LostPipeline, lost_attribution, lost_by_group, lost_days, theme_names
from groundswell.storage.analytics.scope import Scope, scoped_units, window_json
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

THEME_GROUPS = ("theme", "parent_theme")  # group keys a loss reason may name

__all__ = [
    "ARR_PER_ACCOUNT_MIN_ACCOUNTS",
    "DEFAULT_CHANGE_DAYS",
    "NEGATIVE_SHARE_MIN_UNITS",
    "change_windows",
    "count_in_windows",
    "run_count",
    "run_number",
    "run_ranking",
    "top_rows",
]

ARR_PER_ACCOUNT_MIN_ACCOUNTS = 3
NEGATIVE_SHARE_MIN_UNITS = 5
DEFAULT_CHANGE_DAYS = 30


def run_count(*, session: Session, scope: Scope) -> ToolResult:
    units = scoped_units(scope)
    key = group_key(units, None)
    stats = group_stats(session=session, units=units, key=key).get("all", GroupStats())
    ids = evidence(session=session, units=units, key=key).get("all", [])
    return ToolResult(tool="count", total=stats.count, unit_ids=ids, meta=scope.meta(accounts=stats.accounts))


def run_number(*, session: Session, scope: Scope) -> ToolResult:
    """``arr_sum``: ARR of the distinct accounts behind the matching units; ``lost_amount``: their closed-lost
    deals' amount (``meta.lost_deals``, ``meta.lost_accounts``); any other metric: the count."""
    if scope.plan.metric == "lost_amount":
        return _lost_number(session=session, scope=scope)
    if scope.plan.metric != "arr_sum":
        result = run_count(session=session, scope=scope)
        return result.model_copy(update={"tool": "number"})
    units = scoped_units(scope)
    key = group_key(units, None)
    arr, accounts = arr_by_group(session=session, units=units, key=key).get("all", (0.0, 0))
    ids = evidence(session=session, units=units, key=key).get("all", [])
    meta = scope.meta(metric="arr_sum", accounts=accounts)
    return ToolResult(tool="number", total=round(arr, 2), unit_ids=ids, meta=meta)


def _lost_number(*, session: Session, scope: Scope) -> ToolResult:
    units = scoped_units(scope)
    key = group_key(units, None)
    days = lost_days(scope.plan) or 0
    lost = lost_by_group(session=session, units=units, key=key, plan=scope.plan, days=days).get("all", LostPipeline())
    ids = evidence(session=session, units=units, key=key).get("all", [])
    meta = scope.meta(metric="lost_amount", lost_deals=lost.deals, lost_accounts=lost.accounts, lost_days=days)
    return ToolResult(tool="number", total=lost.amount, unit_ids=ids, meta=meta)


def change_windows(scope: Scope) -> tuple[Window, Window, list[str]]:
    """(current, previous) windows of a change question; assumptions are returned as notes."""
    plan, notes = scope.plan, []
    current = plan.filters.window
    if current is None:
        end = plan.as_of
        current = Window(start=end - timedelta(days=DEFAULT_CHANGE_DAYS), end=end, label="last 30 days")
        notes.append("no window given: last 30 days")
    previous = plan.previous_window
    if previous is None:
        span = current.end - current.start
        previous = Window(start=current.start - span, end=current.start, label="the period before")
        notes.append("no previous window given: the period of the same length just before")
    return current, previous, notes


def count_in_windows(
    *,
    session: Session,
    scope: Scope,
    key: Callable[[sa.Subquery], ColumnElement[Any]],
    current: Window,
    previous: Window,
) -> dict[str, tuple[int, int]]:
    """Per key: (units in ``current``, units in ``previous``), one scan over both windows."""
    units = scoped_units(scope, windows=[current, previous])
    k, created = key(units), units.c.created_at

    def inside(w: Window) -> ColumnElement[int]:
        return sa.func.sum(sa.case((sa.and_(created >= w.start, created < w.end), 1), else_=0))

    statement = sa.select(k, inside(current), inside(previous)).where(k.is_not(None)).group_by(k)
    return {str(g): (int(now or 0), int(before or 0)) for g, now, before in session.exec(statement)}


def top_rows(rows: Iterable[ResultRow], k: int) -> list[ResultRow]:
    """Value descending, then the label a reader sees, then key; the first ``k``."""
    return sorted(rows, key=lambda r: (-r.value, r.label, r.key))[:k]


def _with_evidence(session: Session, units: sa.Subquery, group_by: GroupBy, rows: list[ResultRow]) -> list[ResultRow]:
    ids = evidence(session=session, units=units, key=group_key(units, group_by), keys=[r.key for r in rows])
    return [r.model_copy(update={"unit_ids": ids.get(r.key, [])}) for r in rows]


def run_ranking(*, session: Session, scope: Scope) -> ToolResult:
    plan = scope.plan
    if plan.metric == "growth":
        return _growth(session=session, scope=scope)
    units = scoped_units(scope)
    key = group_key(units, plan.group_by)
    stats = group_stats(session=session, units=units, key=key)
    arr = arr_by_group(session=session, units=units, key=key) if plan.metric in ("arr", "arr_per_account") else {}
    days = lost_days(plan)
    lost, how = {}, {}
    if days is not None:
        names = theme_names(session=session, version=scope.version) if plan.group_by in THEME_GROUPS else None
        lost, how = lost_attribution(session=session, units=units, key=key, plan=plan, days=days, names=names)
    meta = scope.meta(metric=plan.metric, group_by=plan.group_by, groups=len(stats))
    rows = []
    for g, s in stats.items():
        row = _row(scope, g, s, arr.get(g))
        if days is not None:
            row = row.model_copy(update={"extra": {**row.extra, **lost.get(g, LostPipeline()).extra()}})
        value = _metric_value(plan.metric, s, arr.get(g), lost.get(g))
        if value is not None:
            rows.append(row.model_copy(update={"value": value}))
    if days is not None:
        meta["lost_days"] = days
        meta["lost_attribution"] = how  # deals credited by their loss reason / split evenly over the groups
    if plan.metric == "arr_per_account":
        meta["min_accounts"] = ARR_PER_ACCOUNT_MIN_ACCOUNTS
    if plan.metric == "negative_share":
        meta["min_units"] = NEGATIVE_SHARE_MIN_UNITS
    rows = _with_evidence(session, units, plan.group_by, top_rows(rows, plan.k))
    return ToolResult(tool="ranking", rows=rows, unit_ids=_first_ids(rows), meta=meta)


def _row(scope: Scope, key: str, s: GroupStats, arr: tuple[float, int] | None) -> ResultRow:
    group_by = scope.plan.group_by
    return ResultRow(
        key=key,
        label=label_of(scope, group_by, key, s),
        value=float(s.count),
        count=s.count,
        arr=round(arr[0], 2) if arr else None,
        accounts=s.accounts,
        extra={**row_extra(scope, group_by, key), "negative": s.negative},
    )


def _metric_value(
    metric: str, s: GroupStats, arr: tuple[float, int] | None, lost: LostPipeline | None = None
) -> float | None:
    """The ranked value of one group, or None when the group does not qualify (no lost deal for lost_amount)."""
    if metric == "lost_amount":
        return lost.amount if lost is not None and lost.deals else None
    if metric == "arr":
        return round(arr[0], 2) if arr else None
    if metric == "arr_per_account":
        if not arr or arr[1] < ARR_PER_ACCOUNT_MIN_ACCOUNTS:
            return None
        return round(arr[0] / arr[1], 2)
    if metric == "negative_share":
        return round(s.negative / s.count, 4) if s.count >= NEGATIVE_SHARE_MIN_UNITS else None
    return float(s.count)


def _growth(*, session: Session, scope: Scope) -> ToolResult:
    plan = scope.plan
    current, previous, notes = change_windows(scope)
    counts = count_in_windows(
        session=session, scope=scope, key=lambda u: group_key(u, plan.group_by), current=current, previous=previous
    )
    rows = [
        ResultRow(
            key=g,
            label=label_of(scope, plan.group_by, g),
            value=float(now - before),
            count=now,
            previous=float(before),
            delta=float(now - before),
            extra=row_extra(scope, plan.group_by, g),
        )
        for g, (now, before) in counts.items()
        if now > before
    ]
    units = scoped_units(scope, windows=[current])
    rows = _with_evidence(session, units, plan.group_by, top_rows(rows, plan.k))
    meta = scope.meta(
        current,
        metric="growth",
        group_by=plan.group_by,
        previous_window=window_json(previous),
        notes=notes,
    )
    return ToolResult(tool="ranking", rows=rows, unit_ids=_first_ids(rows), meta=meta)


def _first_ids(rows: list[ResultRow]) -> list[str]:
    """One evidence unit per row first, so a short citation list still covers every row."""
    out: list[str] = []
    for depth in range(max((len(r.unit_ids) for r in rows), default=0)):
        out.extend(r.unit_ids[depth] for r in rows if len(r.unit_ids) > depth and r.unit_ids[depth] not in out)
    return out
