"""Operational checks the scheduler runs: classification drift.

Retention is ``storage.retention``; freshness ``storage.sources``.
"""

from __future__ import annotations

from datetime import datetime

from groundswell.storage.models import Classification, FeedbackUnit
from sqlalchemy import func
from sqlmodel import Session, col, select

__all__ = ["other_share"]


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
