"""The review queue: low-confidence classifications, the human labels that settle them, and those labels read
back as training examples and as gold data.

Labels outlive taxonomy versions: read for version N, a label made under an older version follows the migration
maps (renamed, moved or merged themes: the mapped key). One whose theme was split or dropped since is *stale*: it
is neither trained on nor scored, and is counted so a reviewer can label the unit again."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from groundswell.core.classify.gold import GoldItem
from groundswell.core.classify.queue import queue_order
from groundswell.core.classify.signals import ReviewedSignal
from groundswell.core.classify.theme import OTHER
from groundswell.core.errors import GroundswellError
from groundswell.core.taxonomy import Migration, Taxonomy, remap_classification
from groundswell.storage.classifications import HUMAN
from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import Classification, FeedbackUnit, ReviewLabel, TaxonomyVersion
from groundswell.storage.taxonomy import get_taxonomy, migration_between
from sqlmodel import Session, col, func, select

__all__ = [
    "HUMAN",
    "CarriedLabel",
    "QueueItem",
    "ReviewError",
    "add_review_label",
    "carried_labels",
    "gold_labels",
    "labels_changed_at",
    "review_queue",
    "reviewed_examples",
    "reviewed_signals",
]


class ReviewError(GroundswellError):
    """A label that cannot be recorded (unknown unit, taxonomy version or theme)."""


@dataclass(frozen=True)
class QueueItem:
    unit_id: str
    text: str
    theme_key: str | None
    subtheme_key: str | None
    confidence: float


def review_queue(*, session: Session, version: int, limit: int) -> list[QueueItem]:
    """Live units flagged for review in ``version``, in :func:`core.classify.queue.queue_order` (the
    least sure theme, sentiment and intent decisions take turns, with a random unit every few slots)."""
    statement = (
        select(Classification, FeedbackUnit.text)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(Classification.unit_id))
        .where(
            Classification.taxonomy_version == version,
            col(Classification.needs_review),
            col(FeedbackUnit.deleted_at).is_(None),
        )
    )
    found = sorted(session.exec(statement), key=lambda pair: pair[0].unit_id)
    order = queue_order([row.confidence for row, _ in found])[:limit]
    return [
        QueueItem(row.unit_id, text, row.theme_key, row.subtheme_key, float(row.confidence.get("theme", 0.0)))
        for row, text in (found[i] for i in order)
    ]


def add_review_label(
    *,
    session: Session,
    unit_id: str,
    version: int,
    theme_key: str | None,
    reviewer: str,
    sentiment: str | None = None,
    intent: str | None = None,
    severity: str | None = None,
    gold_set: str = "default",
) -> ReviewLabel:
    """Record a human label (theme None: other) and make it the unit's classification for ``version``."""
    unit = session.get(FeedbackUnit, unit_id)
    if unit is None or unit.deleted_at is not None:
        raise ReviewError(f"no live unit {unit_id!r}")
    taxonomy = get_taxonomy(session=session, version=version)
    if taxonomy is None:
        raise ReviewError(f"no taxonomy version {version}")
    parent: str | None = None
    if theme_key is not None:
        if theme_key not in taxonomy or not taxonomy.get(theme_key).active:
            raise ReviewError(f"no active theme {theme_key!r} in taxonomy version {version}")
        if any(child.active for child in taxonomy.children(theme_key)):
            raise ReviewError(f"{theme_key!r} has sub-themes: label with one of them")
        parent = taxonomy.get(theme_key).parent_key
    now = utcnow()
    label = ReviewLabel(
        unit_id=unit_id,
        taxonomy_version=version,
        theme_key=theme_key,
        sentiment=sentiment,
        intent=intent,
        severity=severity,
        reviewer=reviewer,
        gold_set=gold_set,
        created_at=now,
    )
    session.add(label)
    row = session.get(Classification, (unit_id, version)) or Classification(
        unit_id=unit_id, taxonomy_version=version, created_at=now
    )
    row.theme_key, row.subtheme_key = (parent, theme_key) if parent else (theme_key, None)
    row.sentiment = sentiment or row.sentiment
    row.intent = intent or row.intent
    row.severity = severity or row.severity
    row.confidence = {**row.confidence, "theme": 1.0}
    row.classifier, row.classifier_version, row.needs_review = HUMAN, "", False
    session.add(row)
    session.flush()
    return label


@dataclass(frozen=True)
class CarriedLabel:
    """A unit's latest human label as it reads in one taxonomy version."""

    unit: FeedbackUnit
    label: ReviewLabel
    theme_key: str | None  # the leaf in that version (None: other, or stale)
    stale: bool = False  # its theme was split or dropped since the label was made: label the unit again


def _carry(label: ReviewLabel, taxonomy: Taxonomy, migration: Migration | None) -> tuple[str | None, bool]:
    if label.theme_key is None or migration is None:
        return label.theme_key, False
    moved = remap_classification(label.theme_key, None, migration, taxonomy)
    leaf = moved.leaf
    if moved.needs_review or leaf is None or not taxonomy.is_leaf(leaf):
        return None, True
    return leaf, False


def carried_labels(*, session: Session, version: int, gold_set: str | None = None) -> list[CarriedLabel]:
    """Each live unit's latest label made under ``version`` or before, carried into ``version``; by unit id."""
    taxonomy = get_taxonomy(session=session, version=version)
    if taxonomy is None:
        return []
    statement = (
        select(ReviewLabel, FeedbackUnit)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(ReviewLabel.unit_id))
        .where(ReviewLabel.taxonomy_version <= version, col(FeedbackUnit.deleted_at).is_(None))
        .order_by(col(ReviewLabel.id))
    )
    if gold_set is not None:
        statement = statement.where(ReviewLabel.gold_set == gold_set)
    latest: dict[str, tuple[ReviewLabel, FeedbackUnit]] = {}
    for label, unit in session.exec(statement):
        latest[label.unit_id] = (label, unit)  # a later label for the same unit wins
    migrations: dict[int, Migration | None] = {version: None}
    out: list[CarriedLabel] = []
    for key in sorted(latest):
        label, unit = latest[key]
        made_in = label.taxonomy_version
        if made_in not in migrations:
            migrations[made_in] = migration_between(session=session, from_version=made_in, to_version=version)
        theme_key, stale = _carry(label, taxonomy, migrations[made_in])
        out.append(CarriedLabel(unit, label, theme_key, stale))
    return out


def reviewed_examples(*, session: Session, version: int, exclude: Collection[str] = ()) -> list[tuple[str, str]]:
    """(text, leaf key or ``other``) of each unit's latest human label carried into ``version``; stale labels
    and ``exclude`` left out. "other" labels are examples too: they teach the classifier what fits nothing."""
    return [
        (c.unit.text, c.theme_key or OTHER)
        for c in carried_labels(session=session, version=version)
        if not c.stale and c.unit.id not in exclude and c.unit.text.strip()
    ]


def reviewed_signals(*, session: Session, version: int, exclude: Collection[str] = ()) -> list[ReviewedSignal]:
    """Each live unit's latest human sentiment/intent/severity labels (labels outlive taxonomy versions: a
    signal label does not depend on the themes); units whose latest label set none of them are left out."""
    return [
        ReviewedSignal(c.unit.text, c.label.sentiment, c.label.intent, c.label.severity)
        for c in carried_labels(session=session, version=version)
        if c.unit.id not in exclude
        and c.unit.text.strip()
        and (c.label.sentiment or c.label.intent or c.label.severity)
    ]


def gold_labels(*, session: Session, gold_set: str, version: int) -> list[GoldItem]:
    """The gold set's units with their latest label carried into ``version`` (stale ones left out)."""
    return [
        GoldItem(c.unit.id, c.unit.text, c.unit.source, c.unit.created_at, c.theme_key)
        for c in carried_labels(session=session, version=version, gold_set=gold_set)
        if not c.stale
    ]


def labels_changed_at(*, session: Session, version: int) -> datetime | None:
    """When the training data of ``version``'s classifier last changed: its newest label or the version itself."""
    moments = [
        session.exec(select(func.max(ReviewLabel.created_at)).where(ReviewLabel.taxonomy_version <= version)).one(),
        session.exec(select(TaxonomyVersion.created_at).where(TaxonomyVersion.version == version)).first(),
    ]
    known = [as_utc(m) for m in moments if m is not None]
    return max(known) if known else None
