"""Operational checks the scheduler runs: stale sources, classification drift, retention."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.db import as_utc
from storage.models import Classification, FeedbackUnit, Source, SyncState

__all__ = ["StaleSource", "apply_retention", "other_share", "stale_sources"]


@dataclass(frozen=True)
class StaleSource:
    name: str
    last_success_at: datetime | None
    expected_cadence_s: int


def stale_sources(*, session: Session, now: datetime) -> list[StaleSource]:
    """Sources whose last successful sync is older than their expected cadence (or that never synced)."""
    statement = select(Source, SyncState.last_success_at).join(
        SyncState, col(SyncState.source) == col(Source.name), isouter=True
    )
    out = []
    for source, last in session.exec(statement.order_by(col(Source.name))):
        last = as_utc(last)
        if last is None or now - last > timedelta(seconds=source.expected_cadence_s):
            out.append(StaleSource(source.name, last, source.expected_cadence_s))
    return out


def other_share(*, session: Session, version: int, start: datetime, end: datetime) -> tuple[int, float]:
    """Units created in ``[start, end)`` classified in ``version``, and the share that fit no theme ("other")."""
    base = (
        select(func.count())
        .select_from(Classification)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(Classification.unit_id))
        .where(
            Classification.taxonomy_version == version,
            col(FeedbackUnit.created_at) >= start,
            col(FeedbackUnit.created_at) < end,
            col(FeedbackUnit.deleted_at).is_(None),
        )
    )
    total = int(session.exec(base).one())
    other = int(session.exec(base.where(col(Classification.theme_key).is_(None))).one())
    return total, (other / total if total else 0.0)


def apply_retention(*, session: Session, before: datetime, now: datetime, limit: int = 5_000) -> list[str]:
    """Mark up to ``limit`` live units created before ``before`` deleted; their ids (for the vector index)."""
    statement = (
        select(FeedbackUnit)
        .where(col(FeedbackUnit.created_at) < before, col(FeedbackUnit.deleted_at).is_(None))
        .limit(limit)
    )
    ids = []
    for unit in session.exec(statement):
        unit.deleted_at = now
        session.add(unit)
        ids.append(unit.id)
    return ids
