"""``overview`` (what customers say about a theme) and ``owners`` (which teams need to act), in SQL."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import sqlalchemy as sa
from groundswell.core.answer import ResultRow, ToolResult
from groundswell.storage.analytics.aggregate import top_rows
from groundswell.storage.analytics.groups import evidence, group_key, group_stats, label_of, row_extra
from groundswell.storage.analytics.scope import Scope, scoped_units, visible_unit_ids
from groundswell.storage.analytics.series import run_trend
from groundswell.storage.models import Ticket
from sqlmodel import Session, col

__all__ = ["THEMES_PER_TEAM", "run_overview", "run_owners"]

THEMES_PER_TEAM = 3


def run_overview(*, session: Session, scope: Scope) -> ToolResult:
    """The theme's sub-themes ranked by volume (rows), its intent breakdown and weekly trend (``meta``)."""
    plan = scope.plan
    units = scoped_units(scope)
    total = group_stats(session=session, units=units, key=group_key(units, None)).get("all")
    leaves = group_stats(session=session, units=units, key=group_key(units, "theme"))
    rows = [
        ResultRow(
            key=key,
            label=label_of(scope, "theme", key),
            value=float(s.count),
            count=s.count,
            accounts=s.accounts,
            extra={**row_extra(scope, "theme", key), "negative": s.negative},
        )
        for key, s in leaves.items()
    ]
    rows = top_rows(rows, plan.k)
    ids = evidence(session=session, units=units, key=group_key(units, "theme"), keys=[r.key for r in rows])
    rows = [r.model_copy(update={"unit_ids": ids.get(r.key, [])}) for r in rows]
    intents = group_stats(session=session, units=units, key=group_key(units, "intent"))
    intent_rows = [
        {"key": k, "count": s.count} for k, s in sorted(intents.items(), key=lambda kv: (-kv[1].count, kv[0]))
    ]
    weekly = run_trend(session=session, scope=replace(scope, plan=plan.model_copy(update={"bucket": "week"})))
    trend = [{"start": r.label, "count": r.count, "partial": bool(r.extra.get("partial"))} for r in weekly.rows]
    meta = scope.meta(
        total=total.count if total else 0,
        accounts=total.accounts if total else 0,
        subthemes=len(leaves),
        intents=intent_rows,
        trend=trend,
        trend_window=weekly.meta.get("window"),
        notes=weekly.meta.get("notes", []),
    )
    unit_ids = [i for r in rows for i in r.unit_ids[:1]]
    return ToolResult(tool="overview", rows=rows, total=float(meta["total"]), unit_ids=unit_ids, meta=meta)  # type: ignore[arg-type]


def run_owners(*, session: Session, scope: Scope) -> ToolResult:
    """Owner teams by volume in the window, each with its top themes and its open tickets count."""
    plan = scope.plan
    units = scoped_units(scope)
    team = group_key(units, "owner_team")
    teams = group_stats(session=session, units=units, key=team)
    leaf = units.c.leaf_key
    per_theme = sa.select(team, leaf, sa.func.count()).where(team.is_not(None)).group_by(team, leaf)
    themes: dict[str, list[tuple[int, str, str]]] = {}
    for owner, key, n in session.exec(per_theme):  # type: ignore[call-overload]
        themes.setdefault(str(owner), []).append((int(n), label_of(scope, "theme", key), key))
    tickets = open_tickets(session=session, scope=scope)
    rows = []
    for owner, s in teams.items():
        top = sorted(themes.get(owner, []), key=lambda t: (-t[0], t[1], t[2]))[:THEMES_PER_TEAM]
        extra: dict[str, Any] = {
            "top_themes": [{"key": key, "label": label, "count": n} for n, label, key in top],
            "open_tickets": tickets.get(owner, 0),
        }
        rows.append(
            ResultRow(key=owner, label=owner, value=float(s.count), count=s.count, accounts=s.accounts, extra=extra)
        )
    rows = top_rows(rows, plan.k)
    ids = evidence(session=session, units=units, key=team, keys=[r.key for r in rows])
    rows = [r.model_copy(update={"unit_ids": ids.get(r.key, [])}) for r in rows]
    all_units = group_stats(session=session, units=units, key=group_key(units, None)).get("all")
    owned = sum(s.count for s in teams.values())
    meta = scope.meta(teams=len(teams), unowned=(all_units.count if all_units else 0) - owned)
    return ToolResult(tool="owners", rows=rows, unit_ids=[i for r in rows for i in r.unit_ids[:1]], meta=meta)


def open_tickets(*, session: Session, scope: Scope) -> dict[str, int]:
    """Open tickets per owner team, by the ticket's team, else the owner teams of its themes (in this taxonomy
    version). A restricted viewer counts only tickets with evidence it may see: a ticket whose every evidence unit
    is outside the viewer's sources, segments or accounts is not theirs to know about."""
    statement = sa.select(col(Ticket.team), col(Ticket.theme_keys), col(Ticket.unit_ids)).where(
        col(Ticket.status) == "open"
    )
    tickets = list(session.exec(statement))  # type: ignore[call-overload]
    visible = visible_unit_ids(session=session, scope=scope, unit_ids=[i for _, _, ids in tickets for i in ids or []])
    out: dict[str, int] = {}
    for team, keys, ids in tickets:
        if visible is not None and not visible.intersection(ids or []):
            continue
        owners = {team} if team else {scope.themes[k].owner_team for k in keys or [] if k in scope.themes}
        for owner in owners - {None}:
            out[str(owner)] = out.get(str(owner), 0) + 1
    return out
