"""What an answer needs to cite a unit and to check that the asking viewer may see it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, AccountSnapshot, FeedbackUnit
from sqlmodel import Session, col, select

__all__ = ["CitedUnit", "get_cited_units", "thread_unit_ids"]


@dataclass(frozen=True)
class CitedUnit:
    """A live unit with its source link, account and the account's segment at the unit's time."""

    id: str
    text: str
    source: str
    created_at: datetime
    url: str | None
    account_id: str | None  # the account's external (CRM) id
    account_name: str | None
    segment: str | None


def _segments_at(session: Session, units: Sequence[FeedbackUnit]) -> dict[str, str | None]:
    """unit id -> segment of its account's snapshot valid at the unit's time (None: no account or no snapshot yet)."""
    account_ids = {u.account_id for u in units if u.account_id is not None}
    if not account_ids:
        return {}
    snapshots: dict[int, list[AccountSnapshot]] = {}
    statement = (
        select(AccountSnapshot)
        .where(col(AccountSnapshot.account_id).in_(account_ids))
        .order_by(col(AccountSnapshot.valid_from))
    )
    for snap in session.exec(statement):
        snapshots.setdefault(snap.account_id, []).append(snap)
    out: dict[str, str | None] = {}
    for unit in units:
        segment = None
        for snap in snapshots.get(unit.account_id or -1, []):
            if as_utc(snap.valid_from) <= as_utc(unit.created_at):
                segment = snap.segment
        out[unit.id] = segment
    return out


def get_cited_units(*, session: Session, ids: Sequence[str]) -> list[CitedUnit]:
    """Live units by id, in the order asked (unknown or deleted ids are left out)."""
    if not ids:
        return []
    statement = (
        select(FeedbackUnit, Account.external_id, Account.name)
        .join(Account, col(FeedbackUnit.account_id) == col(Account.id), isouter=True)
        .where(col(FeedbackUnit.id).in_(list(ids)), col(FeedbackUnit.deleted_at).is_(None))
    )
    rows = {unit.id: (unit, ext, name) for unit, ext, name in session.exec(statement)}
    segments = _segments_at(session, [unit for unit, _, _ in rows.values()])
    cited = []
    for unit_id in dict.fromkeys(ids):
        if unit_id not in rows:
            continue
        unit, external_id, name = rows[unit_id]
        cited.append(
            CitedUnit(
                id=unit.id,
                text=unit.text,
                source=unit.source,
                created_at=as_utc(unit.created_at) or unit.created_at,
                url=unit.url,
                account_id=external_id,
                account_name=name,
                segment=segments.get(unit.id),
            )
        )
    return cited


def thread_unit_ids(*, session: Session, unit_id: str, limit: int = 50) -> list[str]:
    """Live units of the conversation ``unit_id`` belongs to (same source and thread), oldest first."""
    unit = session.get(FeedbackUnit, unit_id)
    if unit is None or unit.deleted_at is not None:
        return []
    statement = (
        select(FeedbackUnit.id)
        .where(FeedbackUnit.source == unit.source, FeedbackUnit.thread_ref == unit.thread_ref)
        .where(col(FeedbackUnit.deleted_at).is_(None))
        .order_by(col(FeedbackUnit.created_at), col(FeedbackUnit.ordinal))
        .limit(limit)
    )
    return list(session.exec(statement))
