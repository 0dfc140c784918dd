"""Lost pipeline: closed-lost opportunities of the accounts behind feedback (filter and ``lost_amount`` metric).

A closed-lost deal (``is_closed`` and not ``is_won``) counts for a plan when its close date falls on a day in
``[window start, window end + N days)``, N being ``Filters.lost_pipeline_days`` (0 when only the metric asks):
losses during the window or in the N days after it. Without a window: any close date before ``as_of + N days``.
A deal whose account arrived after it is linked through its CRM account id (``account_ref``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

from core.query import QueryPlan
from storage.db import as_utc
from storage.models import Account, Opportunity

__all__ = ["LostPipeline", "lost_accounts", "lost_by_group", "lost_days", "lost_deals", "lost_range"]


@dataclass(frozen=True)
class LostPipeline:
    """Per group: closed-lost amount (deals without an amount count as 0), deals and accounts that lost them."""

    amount: float = 0.0
    deals: int = 0
    accounts: int = 0

    def extra(self) -> dict[str, float | int]:
        """What a result row's ``extra`` carries."""
        return {"lost_amount": self.amount, "lost_deals": self.deals, "lost_accounts": self.accounts}


def lost_days(plan: QueryPlan) -> int | None:
    """N of the lost-pipeline range: the filter's, 0 when only the metric asks, None when neither does."""
    if plan.filters.lost_pipeline_days is not None:
        return plan.filters.lost_pipeline_days
    return 0 if plan.metric == "lost_amount" else None


def lost_range(plan: QueryPlan, days: int) -> tuple[date | None, date]:
    """(first close day or None, last close day), both inclusive."""
    window = plan.filters.window
    end = as_utc(window.end if window is not None else plan.as_of) + timedelta(days=days)
    last = (end - timedelta(microseconds=1)).date()
    return (as_utc(window.start).date() if window is not None else None), last


def lost_deals(plan: QueryPlan, days: int) -> sa.Subquery:
    """The closed-lost deals counting for ``plan``: ``opp_id``, ``account_id``, ``amount``."""
    o = Opportunity
    by_ref = sa.select(col(Account.id)).where(col(Account.external_id) == col(o.account_ref)).scalar_subquery()
    first, last = lost_range(plan, days)
    statement = sa.select(
        col(o.id).label("opp_id"),
        sa.func.coalesce(col(o.account_id), by_ref).label("account_id"),
        col(o.amount).label("amount"),
    ).where(col(o.is_closed).is_(True), col(o.is_won).is_(False), col(o.close_date) <= last)
    if first is not None:
        statement = statement.where(col(o.close_date) >= first)
    return statement.subquery("lost")


def lost_accounts(plan: QueryPlan, days: int) -> sa.Select:
    lost = lost_deals(plan, days)
    return sa.select(lost.c.account_id).where(lost.c.account_id.is_not(None))


def lost_by_group(
    *, session: Session, units: sa.Subquery, key: ColumnElement[Any], plan: QueryPlan, days: int
) -> dict[str, LostPipeline]:
    """Per key: the lost deals of the distinct accounts behind its units, each deal once."""
    c = units.c
    pairs = (
        sa.select(key.label("k"), c.account_id)
        .where(key.is_not(None), c.account_id.is_not(None))
        .distinct()
        .subquery("pairs")
    )
    lost = lost_deals(plan, days)
    statement = (
        sa.select(
            pairs.c.k,
            sa.func.sum(sa.func.coalesce(lost.c.amount, 0.0)),
            sa.func.count(lost.c.opp_id),
            sa.func.count(sa.distinct(lost.c.account_id)),
        )
        .select_from(pairs)
        .join(lost, lost.c.account_id == pairs.c.account_id)
        .group_by(pairs.c.k)
    )
    return {
        str(k): LostPipeline(round(float(amount or 0.0), 2), int(deals), int(accounts))
        for k, amount, deals, accounts in session.exec(statement)
    }
