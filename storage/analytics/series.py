"""Period comparison with a significance test, zero-filled trend series, exact sets."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.errors import QueryError
from groundswell.core.query import Window
from groundswell.core.stats import SIGNIFICANCE_LEVEL, rate_change_p_value
from groundswell.storage.analytics.aggregate import change_windows, count_in_windows
from groundswell.storage.analytics.groups import arr_by_group, evidence, group_key, group_stats, label_of, row_extra
from groundswell.storage.analytics.pipeline import LostPipeline, lost_by_group, lost_days
from groundswell.storage.analytics.scope import Scope, current_snapshots, scoped_units, window_json
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account
from sqlmodel import Session, col

__all__ = ["MAX_BUCKETS", "bucket_edges", "run_comparison", "run_set", "run_trend"]

MAX_BUCKETS = 400
MOVERS = 3  # a comparison without a theme filter also names its biggest rising and falling themes
DEFAULT_TREND_BUCKETS = {"day": 30, "week": 12, "month": 12}


def _p_value(now: int, before: int, current: Window, previous: Window) -> float:
    spans = {"current_span": (current.end - current.start).total_seconds()}
    spans["previous_span"] = (previous.end - previous.start).total_seconds()
    return rate_change_p_value(now, before, **spans)


def _movers(*, session: Session, scope: Scope, current: Window, previous: Window) -> list[ResultRow]:
    """The themes that rose and fell most between the windows (rows after the total), each with its own test
    and evidence from the current window; none when the plan already names its themes."""
    if scope.plan.filters.themes:
        return []
    counts = count_in_windows(
        session=session, scope=scope, key=lambda u: group_key(u, "theme"), current=current, previous=previous
    )
    changes = [(now - before, g) for g, (now, before) in counts.items()]
    rising = [g for d, g in sorted(changes, key=lambda c: (-c[0], c[1])) if d > 0][:MOVERS]
    picked = rising + [g for d, g in sorted(changes) if d < 0][:MOVERS]
    units = scoped_units(scope, windows=[current])
    ids = evidence(session=session, units=units, key=group_key(units, "theme"), keys=picked)
    rows = []
    for g in picked:
        now, before = counts[g]
        rows.append(
            ResultRow(
                key=g,
                label=label_of(scope, "theme", g),
                value=float(now),
                count=now,
                previous=float(before),
                delta=float(now - before),
                p_value=round(_p_value(now, before, current, previous), 6),
                extra={**row_extra(scope, "theme", g), "mover": "rising" if now > before else "falling"},
                unit_ids=ids.get(g, []),
            )
        )
    return rows


def run_comparison(*, session: Session, scope: Scope) -> ToolResult:
    """Units in ``window`` vs ``previous_window``: counts, delta, and a two-sided rate test; then, without a
    theme filter, the biggest movers by theme (``extra["mover"]``)."""
    current, previous, notes = change_windows(scope)
    counts = count_in_windows(
        session=session, scope=scope, key=lambda u: group_key(u, None), current=current, previous=previous
    )
    now, before = counts.get("all", (0, 0))
    p_value = _p_value(now, before, current, previous)
    significant = p_value < SIGNIFICANCE_LEVEL
    units = scoped_units(scope, windows=[current])
    ids = evidence(session=session, units=units, key=group_key(units, None)).get("all", [])
    row = ResultRow(
        key="all",
        label=current.label or "current window",
        value=float(now),
        count=now,
        previous=float(before),
        delta=float(now - before),
        p_value=round(p_value, 6),
        extra={"significant": significant},
        unit_ids=ids,
    )
    meta = scope.meta(
        current,
        previous_window=window_json(previous),
        significant=significant,
        significance="significant" if significant else "not significant",
        test="conditional binomial test of two Poisson rates (two-sided), windows weighted by length",
        alpha=SIGNIFICANCE_LEVEL,
        notes=notes,
    )
    movers = _movers(session=session, scope=scope, current=current, previous=previous)
    return ToolResult(tool="comparison", rows=[row, *movers], total=float(now), unit_ids=ids, meta=meta)


def _add_months(moment: datetime, months: int) -> datetime:
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    for day in (moment.day, 30, 29, 28):  # clamp the 31st to the month's last day
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _step(start: datetime, i: int, bucket: str) -> datetime:
    """The start of bucket ``i`` (may be negative) counted from ``start``."""
    return _add_months(start, i) if bucket == "month" else start + timedelta(days=i * (7 if bucket == "week" else 1))


def bucket_edges(window: Window, bucket: str) -> list[datetime]:
    """Bucket starts from the window's start, one day/week/calendar month apart, plus the window's end."""
    start, end = as_utc(window.start), as_utc(window.end)
    assert start is not None and end is not None
    edges = [start]
    while edges[-1] < end:
        edges.append(min(_step(start, len(edges), bucket), end))
        if len(edges) > MAX_BUCKETS + 1:
            raise QueryError(f"a {bucket} trend over this window needs more than {MAX_BUCKETS} buckets")
    return edges


def _trend_window(scope: Scope) -> tuple[Window, list[str]]:
    plan = scope.plan
    if plan.filters.window is not None:
        return plan.filters.window, []
    n = DEFAULT_TREND_BUCKETS[plan.bucket]
    start = _step(plan.as_of, -n, plan.bucket)
    return Window(start=start, end=plan.as_of, label=f"last {n} {plan.bucket}s"), [
        f"no window given: last {n} {plan.bucket}s"
    ]


def run_trend(*, session: Session, scope: Scope) -> ToolResult:
    """Units per bucket over the window, every bucket present (zero when empty); the last may be partial."""
    window, notes = _trend_window(scope)
    edges = bucket_edges(window, scope.plan.bucket)
    units = scoped_units(scope, windows=[window])
    created = units.c.created_at
    labels = [e.isoformat() for e in edges[:-1]]
    bucket = sa.case(*((created < edge, labels[i]) for i, edge in enumerate(edges[1:])), else_=None)
    stats = group_stats(session=session, units=units, key=bucket)
    ids = evidence(session=session, units=units, key=bucket)
    rows = []
    for i, key in enumerate(labels):
        s = stats.get(key)
        n = s.count if s else 0
        partial = _step(edges[0], i + 1, scope.plan.bucket) > edges[i + 1]
        rows.append(
            ResultRow(
                key=key,
                label=edges[i].date().isoformat(),
                value=float(n),
                count=n,
                accounts=s.accounts if s else 0,
                extra={"start": key, "end": edges[i + 1].isoformat(), "partial": partial},
                unit_ids=ids.get(key, []),
            )
        )
    total = sum(r.count for r in rows)
    meta = scope.meta(window, bucket=scope.plan.bucket, buckets=len(rows), notes=notes)
    return ToolResult(
        tool="trend", rows=rows, total=float(total), unit_ids=[i for r in rows for i in r.unit_ids[:1]], meta=meta
    )


def run_set(*, session: Session, scope: Scope) -> ToolResult:
    """``group_by="account"``: the distinct accounts (CRM ids); otherwise the distinct unit ids. Key ascending."""
    units = scoped_units(scope)
    if scope.plan.group_by == "account":
        key = group_key(units, "account")
        stats = group_stats(session=session, units=units, key=key)
        arr = arr_by_group(session=session, units=units, key=key)
        ids = evidence(session=session, units=units, key=key, per_key=1)
        days = lost_days(scope.plan)
        plan = scope.plan
        lost = lost_by_group(session=session, units=units, key=key, plan=plan, days=days) if days is not None else {}
        renewals = _renewal_dates(session, scope, list(stats))
        rows = [
            ResultRow(
                key=k,
                label=s.name or k,
                value=float(s.count),
                count=s.count,
                arr=round(arr[k][0], 2) if k in arr else None,
                accounts=1,
                unit_ids=ids.get(k, []),
                extra={
                    **(lost.get(k, LostPipeline()).extra() if days is not None else {}),
                    "renewal_date": renewals.get(k),
                },
            )
            for k, s in sorted(stats.items())
        ]
        meta = scope.meta(of="accounts")
        return ToolResult(
            tool="set", rows=rows, total=float(len(rows)), unit_ids=[i for r in rows for i in r.unit_ids], meta=meta
        )
    c = units.c
    statement = sa.select(c.unit_id, c.source, c.created_at).order_by(c.unit_id)
    rows = [
        ResultRow(key=uid, label=f"{source} {as_utc(at).date().isoformat()}", value=1.0, count=1, unit_ids=[uid])  # type: ignore[union-attr]
        for uid, source, at in session.exec(statement)
    ]
    return ToolResult(
        tool="set", rows=rows, total=float(len(rows)), unit_ids=[r.key for r in rows], meta=scope.meta(of="units")
    )


def _renewal_dates(session: Session, scope: Scope, keys: list[str]) -> dict[str, str | None]:
    """CRM id -> renewal date (ISO) of the snapshot valid at ``as_of``."""
    if not keys:
        return {}
    now = current_snapshots(scope.plan.as_of)
    statement = (
        sa.select(col(Account.external_id), now.c.renewal_date)
        .join(now, now.c.account_id == col(Account.id))
        .where(col(Account.external_id).in_(sorted(keys)))
    )
    return {str(k): d.isoformat() if d else None for k, d in session.exec(statement)}  # type: ignore[call-overload]
