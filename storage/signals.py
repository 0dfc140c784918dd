"""Classified signals for counting over time (spikes, ticket evidence, "did it work?"), and their quotes."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from groundswell.core.answer import CitedQuote
from groundswell.core.signals import Signal
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, AccountSnapshot, Classification, FeedbackUnit
from groundswell.storage.taxonomy import latest_version
from groundswell.storage.units import get_units
from sqlmodel import Session, col, select

__all__ = ["list_signals", "quotes_for"]


def _snapshots(session: Session, account_ids: set[int]) -> dict[int, tuple[list[datetime], list[AccountSnapshot]]]:
    rows: dict[int, list[AccountSnapshot]] = defaultdict(list)
    ids = sorted(account_ids)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        statement = select(AccountSnapshot).where(col(AccountSnapshot.account_id).in_(chunk))
        for snap in session.exec(statement.order_by(col(AccountSnapshot.valid_from))):
            rows[snap.account_id].append(snap)
    return {a: ([as_utc(s.valid_from) for s in snaps], snaps) for a, snaps in rows.items()}  # type: ignore[misc]


def list_signals(
    *,
    session: Session,
    start: datetime | None = None,
    end: datetime | None = None,
    version: int | None = None,
    theme_key: str | None = None,
) -> list[Signal]:
    """Live, non-duplicate, themed units in ``[start, end)`` of one taxonomy version (default: the latest).

    Segment and ARR are the account's at the time of the unit (its latest snapshot not after it).
    """
    version = version if version is not None else latest_version(session=session)
    if version is None:
        return []
    statement = (
        select(FeedbackUnit, Classification.theme_key, Classification.subtheme_key, Account.external_id)
        .join(Classification, col(Classification.unit_id) == col(FeedbackUnit.id))
        .join(Account, col(FeedbackUnit.account_id) == col(Account.id), isouter=True)
        .where(
            Classification.taxonomy_version == version,
            col(Classification.theme_key).is_not(None),
            col(FeedbackUnit.deleted_at).is_(None),
            col(FeedbackUnit.duplicate_of).is_(None),
        )
    )
    if start is not None:
        statement = statement.where(col(FeedbackUnit.created_at) >= start)
    if end is not None:
        statement = statement.where(col(FeedbackUnit.created_at) < end)
    if theme_key is not None:
        statement = statement.where(
            (col(Classification.theme_key) == theme_key) | (col(Classification.subtheme_key) == theme_key)
        )
    rows = list(session.exec(statement.order_by(col(FeedbackUnit.created_at), col(FeedbackUnit.id))))
    history = _snapshots(session, {u.account_id for u, *_ in rows if u.account_id is not None})
    out = []
    for unit, theme, subtheme, external_id in rows:
        at = as_utc(unit.created_at)
        assert at is not None
        segment = arr = None
        if unit.account_id in history:
            times, snaps = history[unit.account_id]
            i = bisect.bisect_right(times, at) - 1
            if i >= 0:
                segment, arr = snaps[i].segment, snaps[i].arr
        account = external_id or (str(unit.account_id) if unit.account_id is not None else None)
        leaf = subtheme or theme
        out.append(Signal(unit.id, at, leaf, theme, unit.source, segment, account, arr))
    return out


def quotes_for(*, session: Session, signals: Sequence[Signal], limit: int = 3) -> list[CitedQuote]:
    """Up to ``limit`` quotes: the most recent signals, one per account."""
    chosen: list[Signal] = []
    seen_accounts: set[str | None] = set()
    for signal in sorted(signals, key=lambda s: (s.at, s.unit_id), reverse=True):
        if signal.account in seen_accounts and signal.account is not None:
            continue
        seen_accounts.add(signal.account)
        chosen.append(signal)
        if len(chosen) == limit:
            break
    by_id = {s.unit_id: s for s in chosen}
    rows = get_units(session=session, ids=[s.unit_id for s in chosen])
    return [
        CitedQuote(
            n=n,
            unit_id=row.unit.id,
            text=row.unit.text.strip()[:300],
            source=row.unit.source,
            created_at=by_id[row.unit.id].at,
            url=row.unit.url,
            account=row.account_name,
            segment=by_id[row.unit.id].segment,
            theme=by_id[row.unit.id].theme_key,
        )
        for n, row in enumerate(rows, start=1)
    ]
