"""Feedback units: replace a record's units, soft-delete them, queue them for embedding, read them back."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import Account, FeedbackUnit, Person
from sqlalchemy import func
from sqlmodel import Session, col, select

__all__ = [
    "UnitChanges",
    "UnitRow",
    "count_units_needing_embedding",
    "get_units",
    "list_dedupe_rows",
    "mark_embedded",
    "replace_record_units",
    "sample_unit_texts",
    "set_duplicate_links",
    "soft_delete_record_units",
    "text_hash",
    "units_needing_embedding",
]


def text_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.lower().split()).encode()).hexdigest()[:32]


@dataclass
class UnitChanges:
    """What storing a record's units did: ids to (re-)embed and ids whose vectors must go."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _live_units(session: Session, source: str, external_id: str) -> dict[str, FeedbackUnit]:
    statement = select(FeedbackUnit).where(
        FeedbackUnit.source == source,
        FeedbackUnit.external_id == external_id,
        col(FeedbackUnit.deleted_at).is_(None),
    )
    return {unit.id: unit for unit in session.exec(statement)}


def replace_record_units(
    *, session: Session, source: str, external_id: str, units: Sequence[FeedbackUnit], first_version: bool = False
) -> UnitChanges:
    """Make ``units`` the live units of one raw record: insert new, update changed, soft-delete vanished.

    ``first_version`` says the record was never stored before, so it cannot have units yet (saves the look-ups).
    """
    changes = UnitChanges()
    live = {} if first_version else _live_units(session, source, external_id)
    keep = {unit.id for unit in units}
    for unit in units:
        unit.text_hash = text_hash(unit.text)
        existing = None if first_version else (live.get(unit.id) or session.get(FeedbackUnit, unit.id))
        if existing is None:
            session.add(unit)
            changes.added.append(unit.id)
            continue
        text_changed = existing.text_hash != unit.text_hash or existing.deleted_at is not None
        for name in FeedbackUnit.model_fields:
            if name not in {"id", "embedded_at"}:
                setattr(existing, name, getattr(unit, name))
        if text_changed:
            existing.embedded_at = None
            changes.changed.append(unit.id)
        session.add(existing)
    for unit_id, unit in live.items():
        if unit_id not in keep:
            unit.deleted_at = utcnow()
            session.add(unit)
            changes.removed.append(unit_id)
    session.flush()
    return changes


def soft_delete_record_units(*, session: Session, source: str, external_id: str) -> list[str]:
    """A deleted source record removes its units from every metric (they stay for audit)."""
    return replace_record_units(session=session, source=source, external_id=external_id, units=[]).removed


def units_needing_embedding(*, session: Session, limit: int) -> list[FeedbackUnit]:
    """Up to ``limit`` live units without a vector, claimed for this transaction: on PostgreSQL the rows are
    locked ``FOR UPDATE SKIP LOCKED``, so workers running at once take disjoint batches (a crashed worker's
    claim ends with its transaction); SQLite has one writer at a time and ignores the clause."""
    statement = (
        select(FeedbackUnit)
        .where(col(FeedbackUnit.embedded_at).is_(None), col(FeedbackUnit.deleted_at).is_(None))
        .order_by(FeedbackUnit.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(statement))


def count_units_needing_embedding(*, session: Session) -> int:
    statement = (
        select(func.count())
        .select_from(FeedbackUnit)
        .where(col(FeedbackUnit.embedded_at).is_(None), col(FeedbackUnit.deleted_at).is_(None))
    )
    return int(session.exec(statement).one())


def sample_unit_texts(*, session: Session, limit: int) -> list[str]:
    """Texts of up to ``limit`` live units, in id order (a stable sample)."""
    statement = select(FeedbackUnit.text).where(col(FeedbackUnit.deleted_at).is_(None)).order_by(FeedbackUnit.id)
    return list(session.exec(statement.limit(limit)))


def list_dedupe_rows(*, session: Session) -> list[tuple[str, str, datetime, int | None, int | None, str | None]]:
    """(id, text, created_at, person, account, duplicate_of) of every live unit, for duplicate detection."""
    statement = select(
        FeedbackUnit.id,
        FeedbackUnit.text,
        FeedbackUnit.created_at,
        FeedbackUnit.person_id,
        FeedbackUnit.account_id,
        FeedbackUnit.duplicate_of,
    ).where(col(FeedbackUnit.deleted_at).is_(None))
    return [tuple(row) for row in session.exec(statement)]  # type: ignore[misc]


def set_duplicate_links(*, session: Session, links: dict[str, str | None]) -> None:
    """Point each unit at the unit it repeats (None: it is an original)."""
    for unit in session.exec(select(FeedbackUnit).where(col(FeedbackUnit.id).in_(list(links)))):
        unit.duplicate_of = links[unit.id]
        session.add(unit)


def mark_embedded(*, session: Session, ids: Sequence[str], at: datetime | None = None) -> None:
    moment = as_utc(at) or utcnow()
    for unit in session.exec(select(FeedbackUnit).where(col(FeedbackUnit.id).in_(list(ids)))):
        unit.embedded_at = moment
        session.add(unit)


@dataclass(frozen=True)
class UnitRow:
    """A unit with the names a citation needs."""

    unit: FeedbackUnit
    account_name: str | None
    person_name: str | None


def get_units(*, session: Session, ids: Sequence[str], include_deleted: bool = False) -> list[UnitRow]:
    """Units by id, in the order asked, with account and person names."""
    statement = (
        select(FeedbackUnit, Account.name, Person.display_name)
        .join(Account, col(FeedbackUnit.account_id) == col(Account.id), isouter=True)
        .join(Person, col(FeedbackUnit.person_id) == col(Person.id), isouter=True)
        .where(col(FeedbackUnit.id).in_(list(ids)))
    )
    if not include_deleted:
        statement = statement.where(col(FeedbackUnit.deleted_at).is_(None))
    found = {unit.id: UnitRow(unit, account, person) for unit, account, person in session.exec(statement)}
    return [found[i] for i in ids if i in found]
