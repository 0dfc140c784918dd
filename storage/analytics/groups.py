"""Set-based building blocks over the scoped units: per-group counts, ARR once per account, evidence ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from groundswell.core.query import GroupBy
from groundswell.storage.analytics.scope import Scope
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

__all__ = [
    "EVIDENCE_PER_ROW",
    "SEVERITY_WEIGHTS",
    "GroupStats",
    "arr_by_group",
    "evidence",
    "group_key",
    "group_stats",
    "label_of",
    "row_extra",
]

EVIDENCE_PER_ROW = 3
SEVERITY_WEIGHTS = {"low": 0.25, "medium": 0.5, "high": 0.75, "critical": 1.0}
_COLUMN = {
    "theme": "leaf_key",
    "parent_theme": "parent_key",
    "segment": "segment",
    "plan": "plan",
    "source": "source",
    "account": "account_key",
    "intent": "intent",
    "sentiment": "sentiment",
    "severity": "severity",
    "owner_team": "owner_team",
}
ALL = "all"


def group_key(units: sa.Subquery, group_by: GroupBy | None) -> ColumnElement[Any]:
    """The column a ``group_by`` groups on; ``None``: one group, ``"all"``."""
    return sa.literal(ALL) if group_by is None else units.c[_COLUMN[group_by]]


@dataclass
class GroupStats:
    count: int = 0
    accounts: int = 0
    negative: int = 0
    severity: float = 0.0  # mean severity weight of the units that have one
    name: str | None = None  # account name when grouping by account


def group_stats(*, session: Session, units: sa.Subquery, key: ColumnElement[Any]) -> dict[str, GroupStats]:
    """Per non-null key: units, distinct accounts, negative units, mean severity weight."""
    c = units.c
    weight = sa.case(*((c.severity == name, w) for name, w in SEVERITY_WEIGHTS.items()), else_=None)
    statement = (
        sa.select(
            key.label("k"),
            sa.func.count(),
            sa.func.count(sa.distinct(c.account_id)),
            sa.func.sum(sa.case((c.sentiment == "negative", 1), else_=0)),
            sa.func.avg(weight),
            sa.func.max(c.account_name),
        )
        .where(key.is_not(None))
        .group_by(key)
    )
    return {
        str(k): GroupStats(int(n), int(accounts), int(neg or 0), float(sev or 0.0), name)
        for k, n, accounts, neg, sev, name in session.exec(statement)
    }


def arr_by_group(*, session: Session, units: sa.Subquery, key: ColumnElement[Any]) -> dict[str, tuple[float, int]]:
    """Per key: (ARR summed once per distinct account at its latest matching unit, accounts with ARR)."""
    c = units.c
    latest = (
        sa.select(
            key.label("k"),
            c.arr,
            sa.func.row_number()
            .over(partition_by=(key, c.account_id), order_by=(c.created_at.desc(), c.unit_id.desc()))
            .label("rn"),
        )
        .where(key.is_not(None), c.account_id.is_not(None), c.arr.is_not(None))
        .subquery("latest")
    )
    statement = (
        sa.select(latest.c.k, sa.func.sum(latest.c.arr), sa.func.count()).where(latest.c.rn == 1).group_by(latest.c.k)
    )
    return {str(k): (float(total), int(n)) for k, total, n in session.exec(statement)}


def evidence(
    *,
    session: Session,
    units: sa.Subquery,
    key: ColumnElement[Any],
    keys: Sequence[str] | None = None,
    per_key: int = EVIDENCE_PER_ROW,
    distinct_customers: bool = True,
) -> dict[str, list[str]]:
    """Per key: the most recent unit of each distinct customer, newest first, at most ``per_key``.

    ``distinct_customers=False`` keeps several units of one customer (one account's own feedback).
    """
    if per_key <= 0 or (keys is not None and not keys):
        return {}
    c = units.c
    newest = (c.created_at.desc(), c.unit_id.desc())
    inner = sa.select(
        key.label("k"),
        c.unit_id,
        c.created_at,
        sa.func.row_number()
        .over(partition_by=(key, c.customer if distinct_customers else c.unit_id), order_by=newest)
        .label("per_customer"),
    ).where(key.is_not(None) if keys is None else key.in_(list(keys)))
    first = inner.subquery("first_of_customer")
    ranked = (
        sa.select(
            first.c.k,
            first.c.unit_id,
            sa.func.row_number()
            .over(partition_by=first.c.k, order_by=(first.c.created_at.desc(), first.c.unit_id.desc()))
            .label("r"),
        )
        .where(first.c.per_customer == 1)
        .subquery("ranked")
    )
    statement = sa.select(ranked.c.k, ranked.c.unit_id).where(ranked.c.r <= per_key).order_by(ranked.c.k, ranked.c.r)
    out: dict[str, list[str]] = {}
    for k, unit_id in session.exec(statement):
        out.setdefault(str(k), []).append(unit_id)
    return out


def label_of(scope: Scope, group_by: GroupBy | None, key: str, stats: GroupStats | None = None) -> str:
    """What a reader sees: "Parent > Leaf" for themes, the name for accounts, the value otherwise."""
    if group_by in ("theme", "parent_theme") and key in scope.themes:
        theme = scope.themes[key]
        return theme.label if group_by == "theme" else theme.name
    if group_by == "account" and stats is not None and stats.name:
        return stats.name
    return key


def row_extra(scope: Scope, group_by: GroupBy | None, key: str) -> dict[str, Any]:
    """Owner team (and parent) of a theme row; empty for other groupings."""
    if group_by in ("theme", "parent_theme") and key in scope.themes:
        theme = scope.themes[key]
        return {"owner_team": theme.owner_team, "parent_key": theme.parent_key}
    return {}
