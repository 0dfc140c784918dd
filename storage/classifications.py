"""Classifications: one row per unit and taxonomy version; reports always read a single version."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from groundswell.storage.models import Classification, FeedbackUnit
from sqlalchemy import func
from sqlmodel import Session, col, select

HUMAN = "human"  # the classifier name on rows a reviewer's label wrote

__all__ = [
    "HUMAN",
    "count_classified",
    "count_unclassified",
    "save_classifications",
    "stale_units",
    "theme_keys",
    "units_without_classification",
]


def save_classifications(*, session: Session, rows: Sequence[Classification]) -> None:
    """Insert or replace each unit's classification for its taxonomy version."""
    for row in rows:
        existing = session.get(Classification, (row.unit_id, row.taxonomy_version))
        if existing is None:
            session.add(row)
            continue
        for name in Classification.model_fields:
            setattr(existing, name, getattr(row, name))
        session.add(existing)


def _unclassified(version: int) -> object:
    done = select(Classification.unit_id).where(Classification.taxonomy_version == version)
    return col(FeedbackUnit.id).not_in(done)


def count_unclassified(*, session: Session, version: int) -> int:
    """Live units with no classification for ``version``."""
    statement = (
        select(func.count())
        .select_from(FeedbackUnit)
        .where(col(FeedbackUnit.deleted_at).is_(None), _unclassified(version))
    )
    return int(session.exec(statement).one())


def units_without_classification(*, session: Session, version: int, limit: int) -> list[FeedbackUnit]:
    """Live units that have no classification for ``version`` yet, in id order, claimed for this transaction
    (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, as ``storage.units.units_needing_embedding``)."""
    statement = (
        select(FeedbackUnit)
        .where(col(FeedbackUnit.deleted_at).is_(None), _unclassified(version))
        .order_by(FeedbackUnit.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(statement))


def theme_keys(*, session: Session, version: int, ids: Sequence[str]) -> dict[str, str | None]:
    """unit id → leaf theme key (sub-theme when there is one) for ``version``."""
    statement = select(Classification.unit_id, Classification.theme_key, Classification.subtheme_key).where(
        Classification.taxonomy_version == version, col(Classification.unit_id).in_(list(ids))
    )
    return {unit_id: sub or theme for unit_id, theme, sub in session.exec(statement)}


def count_classified(*, session: Session, version: int) -> dict[str, int]:
    """Units classified for ``version``: total, put in a theme, sent to review."""
    base = select(func.count()).select_from(Classification).where(Classification.taxonomy_version == version)
    total = int(session.exec(base).one())
    themed = int(session.exec(base.where(col(Classification.theme_key).is_not(None))).one())
    review = int(session.exec(base.where(col(Classification.needs_review))).one())
    return {"classified": total, "themed": themed, "needs_review": review}


def stale_units(*, session: Session, version: int, before: datetime, limit: int) -> list[FeedbackUnit]:
    """Live units whose machine-made classification for ``version`` was written before ``before``, in id order
    (rewriting a row moves its time forward, so repeated calls walk the whole set once and resume after a stop)."""
    statement = (
        select(FeedbackUnit)
        .join(Classification, col(Classification.unit_id) == col(FeedbackUnit.id))
        .where(
            Classification.taxonomy_version == version,
            Classification.classifier != HUMAN,
            col(Classification.created_at) < before,
            col(FeedbackUnit.deleted_at).is_(None),
        )
        .order_by(FeedbackUnit.id)
        .limit(limit)
    )
    return list(session.exec(statement))
