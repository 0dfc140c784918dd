"""Lost pipeline: closed-lost opportunities of the accounts behind feedback (filter and ``lost_amount`` metric).

A closed-lost deal (``is_closed`` and not ``is_won``) counts for a plan when its close date falls on a day in
``[window start, window end + N days)``, N being ``Filters.lost_pipeline_days`` (0 when only the metric asks):
losses during the window or in the N days after it. Without a window: any close date before ``as_of + N days``.
A deal whose account arrived after it is linked through its CRM account id (``account_ref``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from groundswell.core.query import QueryPlan
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, Opportunity, Theme
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, col

__all__ = [
    "LostPipeline",
    "attribute_deals",
    "lost_accounts",
    "lost_attribution",
    "lost_by_group",
    "lost_days",
    "lost_deals",
    "lost_range",
    "theme_names",
]


@dataclass(frozen=True)
class LostPipeline:
    """Per group: closed-lost amount (deals without an amount count as 0), deals and accounts that lost them.
    ``shared``: how many of ``deals`` were split with other groups (the group holds only a share of each), so
    deal counts are never read as if every group lost the whole deal."""

    amount: float = 0.0
    deals: int = 0
    accounts: int = 0
    shared: int = 0

    def extra(self) -> dict[str, float | int]:
        """What a result row's ``extra`` carries."""
        return {
            "lost_amount": self.amount,
            "lost_deals": self.deals,
            "lost_accounts": self.accounts,
            "lost_deals_shared": self.shared,
        }


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
        col(o.loss_reason).label("reason"),
    ).where(col(o.is_closed).is_(True), col(o.is_won).is_(False), col(o.close_date) <= last)
    if first is not None:
        statement = statement.where(col(o.close_date) >= first)
    return statement.subquery("lost")


def lost_accounts(plan: QueryPlan, days: int) -> sa.Select:
    lost = lost_deals(plan, days)
    return sa.select(lost.c.account_id).where(lost.c.account_id.is_not(None))


def theme_names(*, session: Session, version: int | None) -> dict[str, list[str]]:
    """Per theme key of ``version``: its name and aliases (what a loss reason may name)."""
    if version is None:
        return {}
    rows = session.exec(sa.select(col(Theme.key), col(Theme.name), col(Theme.aliases)).where(Theme.version == version))
    return {str(k): [str(name), *[str(a) for a in (aliases or [])]] for k, name, aliases in rows}


def _names_in(reason: str | None, keys: Sequence[str], names: Mapping[str, Sequence[str]]) -> list[str]:
    """The keys among ``keys`` whose name or an alias appears in ``reason`` as whole words (case-insensitive)."""
    if not reason:
        return []
    text = reason.casefold()
    return [
        k
        for k in keys
        if any(re.search(rf"(?<!\w){re.escape(n.casefold())}(?!\w)", text) for n in names.get(k, ()) if n.strip())
    ]


Deal = tuple[int, int, float, str | None, Sequence[str]]  # id, account id, amount, loss reason, account's groups


def attribute_deals(
    deals: Sequence[Deal], names: Mapping[str, Sequence[str]]
) -> tuple[dict[str, LostPipeline], dict[str, int]]:
    """Each deal credited once: to the group(s) its loss reason names, else split evenly over its account's
    groups. Returns per group, and ``{"loss_reason": n, "split": m}`` (deals attributed each way); the groups'
    amounts sum to the deals' total (up to rounding to cents); a deal credited to several groups counts as
    ``shared`` in each."""
    amount: dict[str, float] = {}
    deal_ids: dict[str, set[int]] = {}
    shared: dict[str, set[int]] = {}
    accounts: dict[str, set[int]] = {}
    how = {"loss_reason": 0, "split": 0}
    for deal_id, account_id, value, reason, groups in deals:
        if not groups:
            continue
        named = _names_in(reason, groups, names)
        how["loss_reason" if named else "split"] += 1
        targets = named or list(groups)
        for g in targets:
            amount[g] = amount.get(g, 0.0) + value / len(targets)
            deal_ids.setdefault(g, set()).add(deal_id)
            accounts.setdefault(g, set()).add(account_id)
            if len(targets) > 1:
                shared.setdefault(g, set()).add(deal_id)
    per_group = {
        g: LostPipeline(round(amount[g], 2), len(ids), len(accounts[g]), len(shared.get(g, ())))
        for g, ids in deal_ids.items()
    }
    return per_group, how


def lost_by_group(
    *,
    session: Session,
    units: sa.Subquery,
    key: ColumnElement[Any],
    plan: QueryPlan,
    days: int,
    names: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, LostPipeline]:
    """Per key: the lost deals of the distinct accounts behind its units, each deal attributed once (see
    ``attribute_deals``; ``names``: what a loss reason may name per key, e.g. ``theme_names``)."""
    return lost_attribution(session=session, units=units, key=key, plan=plan, days=days, names=names)[0]


def lost_attribution(
    *,
    session: Session,
    units: sa.Subquery,
    key: ColumnElement[Any],
    plan: QueryPlan,
    days: int,
    names: Mapping[str, Sequence[str]] | None = None,
) -> tuple[dict[str, LostPipeline], dict[str, int]]:
    """``lost_by_group`` and how many deals were attributed by loss reason or split."""
    c = units.c
    pairs = (
        sa.select(key.label("k"), c.account_id)
        .where(key.is_not(None), c.account_id.is_not(None))
        .distinct()
        .subquery("pairs")
    )
    lost = lost_deals(plan, days)
    statement = (
        sa.select(lost.c.opp_id, lost.c.account_id, lost.c.amount, lost.c.reason, pairs.c.k)
        .select_from(pairs)
        .join(lost, lost.c.account_id == pairs.c.account_id)
        .order_by(lost.c.opp_id, pairs.c.k)
    )
    by_deal: dict[int, tuple[int, float, str | None, list[str]]] = {}
    for opp_id, account_id, amount, reason, k in session.exec(statement):
        deal = by_deal.setdefault(int(opp_id), (int(account_id), float(amount or 0.0), reason, []))
        deal[3].append(str(k))
    return attribute_deals([(i, *d) for i, d in by_deal.items()], names or {})
