"""The ``priority`` ranking: weighted, normalised volume, ARR, severity, trend and lost pipeline, components shown
per row. Lost pipeline is the closed-lost amount of the accounts behind each group (credited by loss reason or split
evenly, as ``lost_amount`` rankings do), over the plan's lost-pipeline range or the window plus
:data:`PRIORITY_LOST_DAYS` days."""

from __future__ import annotations

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import RankingWeights
from groundswell.storage.analytics.aggregate import THEME_GROUPS, change_windows, count_in_windows, top_rows
from groundswell.storage.analytics.groups import arr_by_group, evidence, group_key, group_stats, label_of, row_extra
from groundswell.storage.analytics.pipeline import LostPipeline, lost_attribution, lost_days, theme_names
from groundswell.storage.analytics.scope import Scope, scoped_units
from sqlmodel import Session

__all__ = ["COMPONENTS", "PRIORITY_LOST_DAYS", "run_priority"]

COMPONENTS = ("volume", "arr", "severity", "trend", "lost")
PRIORITY_LOST_DAYS = 90  # deals lost during the window or within a quarter after it


def _normalised(raw: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """Each component divided by its largest value over the groups (0..1; 0 when all are 0)."""
    top = {c: max((r[c] for r in raw.values()), default=0.0) for c in COMPONENTS}
    return {g: {c: (r[c] / top[c] if top[c] > 0 else 0.0) for c in COMPONENTS} for g, r in raw.items()}


def run_priority(*, session: Session, scope: Scope) -> ToolResult:
    """Volume = units; ARR = distinct accounts' ARR; severity = mean severity weight; trend = growth vs before;
    lost = closed-lost amount attributed to the group."""
    plan = scope.plan
    weights = plan.weights or RankingWeights()
    units = scoped_units(scope)
    key = group_key(units, plan.group_by)
    stats = group_stats(session=session, units=units, key=key)
    arr = arr_by_group(session=session, units=units, key=key)
    current, previous, notes = change_windows(scope)
    changes = count_in_windows(
        session=session, scope=scope, key=lambda u: group_key(u, plan.group_by), current=current, previous=previous
    )
    days = lost_days(plan)
    days = PRIORITY_LOST_DAYS if days is None else days
    names = theme_names(session=session, version=scope.version) if plan.group_by in THEME_GROUPS else None
    lost, how = lost_attribution(session=session, units=units, key=key, plan=plan, days=days, names=names)
    raw: dict[str, dict[str, float]] = {}
    for g, s in stats.items():
        now, before = changes.get(g, (0, 0))
        raw[g] = {
            "volume": float(s.count),
            "arr": arr.get(g, (0.0, 0))[0],
            "severity": s.severity,
            "trend": max(now - before, 0) / max(before, 1),
            "lost": lost.get(g, LostPipeline()).amount,
        }
    norm = _normalised(raw)
    w = weights.model_dump()
    rows = []
    for g, s in stats.items():
        value = round(sum(w[c] * norm[g][c] for c in COMPONENTS), 4)
        now, before = changes.get(g, (0, 0))
        extra = {
            **row_extra(scope, plan.group_by, g),
            **lost.get(g, LostPipeline()).extra(),
            "components": {c: round(norm[g][c], 4) for c in COMPONENTS},
            "raw": {**{c: round(raw[g][c], 4) for c in COMPONENTS}, "current": now, "previous": before},
        }
        rows.append(
            ResultRow(
                key=g,
                label=label_of(scope, plan.group_by, g, s),
                value=value,
                count=s.count,
                arr=round(raw[g]["arr"], 2),
                accounts=s.accounts,
                previous=float(before),
                delta=float(now - before),
                extra=extra,
            )
        )
    rows = top_rows(rows, plan.k)
    ids = evidence(session=session, units=units, key=key, keys=[r.key for r in rows])
    rows = [r.model_copy(update={"unit_ids": ids.get(r.key, [])}) for r in rows]
    meta = scope.meta(
        metric="priority",
        group_by=plan.group_by,
        weights=w,
        trend_windows={"current": current.label or current.start.isoformat(), "previous": previous.start.isoformat()},
        notes=notes,
        lost_days=days,
        lost_attribution=how,
        method="each component divided by its largest value over the groups; priority = weighted sum",
    )
    return ToolResult(tool="ranking", rows=rows, unit_ids=[i for r in rows for i in r.unit_ids[:1]], meta=meta)
