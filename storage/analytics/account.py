"""What one account says: volume, themes, sentiment, and its facts now (ARR, plan, segment, renewal)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.errors import QueryError
from groundswell.core.segments import segment_in
from groundswell.storage.analytics.aggregate import top_rows
from groundswell.storage.analytics.groups import evidence, group_key, group_stats, label_of, row_extra
from groundswell.storage.analytics.scope import Scope, current_snapshots, scoped_units
from groundswell.storage.models import Account
from sqlmodel import Session, col

__all__ = ["account_facts", "run_account"]


def account_facts(*, session: Session, scope: Scope, external_id: str) -> dict[str, Any] | None:
    """The account's facts at ``as_of``, or None when it does not exist or the viewer may not see it."""
    viewer = scope.viewer
    if viewer.accounts is not None and external_id not in viewer.accounts:
        return None
    now = current_snapshots(scope.plan.as_of)
    statement = (
        sa.select(col(Account.name), now.c.arr, now.c.plan, now.c.segment, now.c.renewal_date)
        .select_from(Account)
        .outerjoin(now, now.c.account_id == col(Account.id))
        .where(col(Account.external_id) == external_id)
    )
    found = session.exec(statement).first()
    if found is None:
        return None
    name, arr, plan, segment, renewal = found
    if viewer.segments is not None and not segment_in(segment, viewer.segments):
        return None
    return {
        "external_id": external_id,
        "name": name,
        "arr": arr,
        "plan": plan,
        "segment": segment,
        "renewal_date": renewal.isoformat() if renewal else None,
    }


def run_account(*, session: Session, scope: Scope) -> ToolResult:
    plan = scope.plan
    if len(plan.filters.accounts) != 1:
        raise QueryError("an account question needs exactly one account (filters.accounts)")
    external_id = plan.filters.accounts[0]
    facts = account_facts(session=session, scope=scope, external_id=external_id)
    if facts is None:
        meta = scope.meta(account={"external_id": external_id, "visible": False})
        return ToolResult(tool="account", total=0, meta=meta)
    units = scoped_units(scope)
    total = group_stats(session=session, units=units, key=group_key(units, None)).get("all")
    sentiments = group_stats(session=session, units=units, key=group_key(units, "sentiment"))
    themes = group_stats(session=session, units=units, key=group_key(units, "theme"))
    rows = top_rows(
        (
            ResultRow(
                key=k,
                label=label_of(scope, "theme", k),
                value=float(s.count),
                count=s.count,
                extra={**row_extra(scope, "theme", k), "negative": s.negative},
            )
            for k, s in themes.items()
        ),
        plan.k,
    )
    key = group_key(units, "theme")
    ids = evidence(session=session, units=units, key=key, keys=[r.key for r in rows], distinct_customers=False)
    rows = [r.model_copy(update={"unit_ids": ids.get(r.key, [])}) for r in rows]
    recent = evidence(
        session=session, units=units, key=group_key(units, None), per_key=plan.quotes or 3, distinct_customers=False
    )
    meta = scope.meta(
        account={**facts, "visible": True},
        sentiment={k: s.count for k, s in sorted(sentiments.items())},
    )
    return ToolResult(
        tool="account", rows=rows, total=float(total.count if total else 0), unit_ids=recent.get("all", []), meta=meta
    )
