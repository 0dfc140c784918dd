"""Counts for `groundswell stats` and source health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from groundswell.storage.models import (
    Account,
    FeedbackUnit,
    IdentityEvent,
    Person,
    RawRecordRow,
    RejectedRecord,
    Source,
    SyncState,
)
from sqlalchemy import func
from sqlmodel import Session, col, select

__all__ = ["SourceCounts", "Totals", "count_by_source", "count_totals"]


@dataclass(frozen=True)
class SourceCounts:
    source: str
    records: int
    deleted: int
    units: int
    rejected: int
    last_success_at: datetime | None
    last_error: str | None


@dataclass(frozen=True)
class Totals:
    records: int
    units: int
    people: int
    accounts: int
    rejected: int


def _grouped(session: Session, statement: object) -> dict[str, int]:
    return {name: int(count) for name, count in session.exec(statement)}  # type: ignore[call-overload]


def count_by_source(*, session: Session) -> list[SourceCounts]:
    """Per source: live raw records, tombstones, live units, rejections and sync health."""
    current = col(RawRecordRow.is_current)
    live = _grouped(
        session,
        select(RawRecordRow.source, func.count())
        .where(current, col(RawRecordRow.deleted_at).is_(None))
        .group_by(RawRecordRow.source),
    )
    gone = _grouped(
        session,
        select(RawRecordRow.source, func.count())
        .where(current, col(RawRecordRow.deleted_at).is_not(None))
        .group_by(RawRecordRow.source),
    )
    units = _grouped(
        session,
        select(FeedbackUnit.source, func.count())
        .where(col(FeedbackUnit.deleted_at).is_(None))
        .group_by(FeedbackUnit.source),
    )
    rejected = _grouped(session, select(RejectedRecord.source, func.count()).group_by(RejectedRecord.source))
    states = {state.source: state for state in session.exec(select(SyncState))}
    rows = []
    for source in session.exec(select(Source).order_by(Source.name)):
        state = states.get(source.name)
        rows.append(
            SourceCounts(
                source=source.name,
                records=live.get(source.name, 0),
                deleted=gone.get(source.name, 0),
                units=units.get(source.name, 0),
                rejected=rejected.get(source.name, 0),
                last_success_at=state.last_success_at if state else None,
                last_error=state.last_error if state else None,
            )
        )
    return rows


_merged_away = (
    select(IdentityEvent.loser_id)
    .where(
        IdentityEvent.action == "merge",
        col(IdentityEvent.undone_at).is_(None),
        col(IdentityEvent.loser_id).is_not(None),
    )
    .scalar_subquery()
)


def count_totals(*, session: Session) -> Totals:
    """Live records and units, people who were not merged away or erased, accounts, rejections."""

    def scalar(statement: object) -> int:
        return int(session.exec(statement).one())  # type: ignore[call-overload]

    return Totals(
        records=scalar(
            select(func.count())
            .select_from(RawRecordRow)
            .where(col(RawRecordRow.is_current), col(RawRecordRow.deleted_at).is_(None))
        ),
        units=scalar(select(func.count()).select_from(FeedbackUnit).where(col(FeedbackUnit.deleted_at).is_(None))),
        people=scalar(
            select(func.count())
            .select_from(Person)
            .where(col(Person.erased_at).is_(None), col(Person.id).not_in(_merged_away))
        ),
        accounts=scalar(select(func.count()).select_from(Account)),
        rejected=scalar(select(func.count()).select_from(RejectedRecord)),
    )
