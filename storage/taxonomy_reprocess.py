"""Moving classifications to a newer taxonomy version in resumable batches.

Each batch reads one version's classifications after a checkpoint (ordered by unit id), writes their
remapped copies under the target version and moves the checkpoint forward in the same transaction, so an
interrupted reprocess resumes where it stopped. Rows are written per version: a report that filters one
``taxonomy_version`` never sees a mix. Units the map cannot place alone (a split theme, a retired root) go to
a ``resolve`` callback (the classifier, in :mod:`jobs.classify`) with their text and candidate keys.
Also the unit reads discovery and reprocessing start from, and the per-key counts ``taxonomy diff`` shows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from groundswell.core.taxonomy import Migration, Remapped, Taxonomy, remap_classification
from groundswell.storage.classifications import HUMAN
from groundswell.storage.db import utcnow
from groundswell.storage.models import Classification, FeedbackUnit, TaxonomyReprocess
from sqlmodel import Session, col, func, select

__all__ = [
    "Resolve",
    "Unplaced",
    "classifications_to_migrate",
    "discovery_units",
    "latest_classified_version",
    "moved_counts",
    "reprocess_batch",
    "reprocess_state",
]


@dataclass(frozen=True)
class Unplaced:
    """A unit the migration map alone cannot place: its text and the keys it may go to (empty: any)."""

    unit_id: str
    text: str
    candidates: tuple[str, ...]


#: Decides the unplaced units of one batch (one result per item, same order); the name and version of what
#: decided are written on the rows.
Resolve = Callable[[Sequence[Unplaced]], Sequence[Remapped]]


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


def _resolved(session: Session, rows: list[Classification], moves: list[Remapped], resolve: Resolve) -> list[Remapped]:
    """``moves`` with the ones the map could not place decided by ``resolve`` (a human label stays flagged)."""
    open_rows = [i for i, moved in enumerate(moves) if moved.needs_review]
    if not open_rows:
        return moves
    ids = [rows[i].unit_id for i in open_rows]
    found = session.exec(select(FeedbackUnit.id, FeedbackUnit.text).where(col(FeedbackUnit.id).in_(ids)))
    texts = {str(uid): str(text) for uid, text in found}
    decided = resolve(
        [Unplaced(rows[i].unit_id, texts.get(rows[i].unit_id, ""), moves[i].candidates) for i in open_rows]
    )
    out = list(moves)
    for i, choice in zip(open_rows, decided, strict=True):
        human = rows[i].classifier == HUMAN  # a reviewer's label of a split theme needs a reviewer again
        out[i] = Remapped(
            choice.theme_key, choice.subtheme_key, choice.needs_review or human, choice.candidates,
            choice.confidence, choice.scores,
        )  # fmt: skip
    return out


def reprocess_batch(
    *,
    session: Session,
    migration: Migration,
    taxonomy: Taxonomy,
    limit: int = 1000,
    resolve: Resolve | None = None,
    resolved_by: tuple[str, str] = ("", ""),
) -> TaxonomyReprocess:
    """Remap the next batch from ``migration.from_version`` into ``taxonomy`` (its ``to_version``).

    Without ``resolve``, units of a split theme get no theme, ``needs_review`` and their candidate keys; with
    it, the rows it decides name ``resolved_by`` (classifier name, version) as their classifier."""
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
    moves = [remap_classification(row.theme_key, row.subtheme_key, migration, taxonomy) for row in rows]
    if resolve is not None:
        moves = _resolved(session, rows, moves, resolve)
    for row, moved in zip(rows, moves, strict=True):
        confidence = dict(row.confidence or {})
        confidence.update(dict(moved.scores) if moved.scores else dict.fromkeys(moved.candidates, 0.0))
        decided = moved.confidence is not None
        if decided:
            confidence["theme"] = float(moved.confidence or 0.0)
        keep = {"taxonomy_version", "theme_key", "subtheme_key", "needs_review", "confidence"}
        if decided and row.classifier != HUMAN:
            keep |= {"classifier", "classifier_version"}
        copy = row.model_dump(exclude=keep)
        if decided and row.classifier != HUMAN:  # written now by the target version's classifier
            copy["classifier"], copy["classifier_version"] = resolved_by
            copy["created_at"] = utcnow()
        session.add(
            Classification(
                **copy,
                taxonomy_version=state.to_version,
                theme_key=moved.theme_key,
                subtheme_key=moved.subtheme_key,
                needs_review=(row.needs_review and not decided) or moved.needs_review,
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


def moved_counts(*, session: Session, from_version: int, to_version: int) -> list[tuple[str, str, int]]:
    """``(old leaf, new leaf, units)`` for units classified in both versions whose leaf changed (``other`` for none),
    largest first."""
    old, new = Classification.__table__.alias("old"), Classification.__table__.alias("new")  # type: ignore[attr-defined]
    old_leaf = func.coalesce(old.c.subtheme_key, old.c.theme_key, "other")
    new_leaf = func.coalesce(new.c.subtheme_key, new.c.theme_key, "other")
    statement = (
        select(old_leaf, new_leaf, func.count())
        .select_from(old.join(new, old.c.unit_id == new.c.unit_id))
        .where(old.c.taxonomy_version == from_version, new.c.taxonomy_version == to_version, old_leaf != new_leaf)
        .group_by(old_leaf, new_leaf)
    )
    rows = [(str(a), str(b), int(n)) for a, b, n in session.exec(statement)]
    return sorted(rows, key=lambda r: (-r[2], r[0], r[1]))
