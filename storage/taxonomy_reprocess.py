"""Moving classifications to a newer taxonomy version in resumable batches.

Each batch reads one version's classifications after a checkpoint (ordered by unit id), writes their
remapped copies under the target version and moves the checkpoint forward in the same transaction, so an
interrupted reprocess resumes where it stopped. Rows are written per version: a report that filters one
``taxonomy_version`` never sees a mix. Also the unit reads discovery and reprocessing start from.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from core.taxonomy import Migration, Taxonomy, remap_classification
from storage.db import utcnow
from storage.models import Classification, FeedbackUnit, TaxonomyReprocess

__all__ = [
    "classifications_to_migrate",
    "discovery_units",
    "latest_classified_version",
    "reprocess_batch",
    "reprocess_state",
]


def classifications_to_migrate(
    *, session: Session, from_version: int, to_version: int, after_unit_id: str | None, limit: int
) -> list[Classification]:
    """The next ``limit`` classifications of ``from_version`` after ``after_unit_id`` not yet at ``to_version``."""
    done = select(Classification.unit_id).where(Classification.taxonomy_version == to_version)
    statement = (
        select(Classification)
        .where(Classification.taxonomy_version == from_version, col(Classification.unit_id).not_in(done))
        .order_by(col(Classification.unit_id))
        .limit(limit)
    )
    if after_unit_id is not None:
        statement = statement.where(Classification.unit_id > after_unit_id)
    return list(session.exec(statement))


def reprocess_state(*, session: Session, to_version: int) -> TaxonomyReprocess | None:
    return session.get(TaxonomyReprocess, to_version)


def reprocess_batch(
    *, session: Session, migration: Migration, taxonomy: Taxonomy, limit: int = 1000
) -> TaxonomyReprocess:
    """Remap the next batch from ``migration.from_version`` into ``taxonomy`` (its ``to_version``)."""
    state = reprocess_state(session=session, to_version=migration.to_version) or TaxonomyReprocess(
        to_version=migration.to_version, from_version=migration.from_version, updated_at=utcnow()
    )
    rows = classifications_to_migrate(
        session=session,
        from_version=state.from_version,
        to_version=state.to_version,
        after_unit_id=state.after_unit_id,
        limit=limit,
    )
    for row in rows:
        moved = remap_classification(row.theme_key, row.subtheme_key, migration, taxonomy)
        confidence = dict(row.confidence or {})
        if moved.candidates:
            confidence.update(dict.fromkeys(moved.candidates, 0.0))
        copy = row.model_dump(exclude={"taxonomy_version", "theme_key", "subtheme_key", "needs_review", "confidence"})
        session.add(
            Classification(
                **copy,
                taxonomy_version=state.to_version,
                theme_key=moved.theme_key,
                subtheme_key=moved.subtheme_key,
                needs_review=row.needs_review or moved.needs_review,
                confidence=confidence,
            )
        )
        state.migrated += 1
        state.needs_review += int(moved.needs_review)
    if rows:
        state.after_unit_id = rows[-1].unit_id
    state.done = len(rows) < limit
    state.updated_at = utcnow()
    session.add(state)
    session.flush()
    return state


def latest_classified_version(*, session: Session, before: int) -> int | None:
    """The newest taxonomy version below ``before`` that has classifications (a reprocess's default source)."""
    statement = select(func.max(Classification.taxonomy_version)).where(Classification.taxonomy_version < before)
    return session.exec(statement).one()


def discovery_units(*, session: Session, limit: int) -> list[tuple[str, str]]:
    """``(unit id, text)`` of the newest ``limit`` live, non-duplicate units, in id order."""
    newest = (
        select(FeedbackUnit.id, FeedbackUnit.text)
        .where(col(FeedbackUnit.deleted_at).is_(None), col(FeedbackUnit.duplicate_of).is_(None))
        .order_by(col(FeedbackUnit.created_at).desc(), col(FeedbackUnit.id))
        .limit(limit)
    )
    return sorted((str(i), str(t)) for i, t in session.exec(newest))
