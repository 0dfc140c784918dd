"""The review queue: low-confidence classifications, the human labels that settle them, and those labels read
back as training examples and as gold data."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlmodel import Session, col, select

from core.classify.gold import GoldItem
from core.errors import GroundswellError
from storage.db import utcnow
from storage.models import Classification, FeedbackUnit, ReviewLabel
from storage.taxonomy import get_taxonomy

__all__ = [
    "HUMAN",
    "QueueItem",
    "ReviewError",
    "add_review_label",
    "gold_labels",
    "review_queue",
    "reviewed_examples",
]

HUMAN = "human"


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
    """Live units flagged for review in ``version``, lowest theme confidence first."""
    statement = (
        select(Classification, FeedbackUnit.text)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(Classification.unit_id))
        .where(
            Classification.taxonomy_version == version,
            col(Classification.needs_review),
            col(FeedbackUnit.deleted_at).is_(None),
        )
    )
    rows = [
        QueueItem(row.unit_id, text, row.theme_key, row.subtheme_key, float(row.confidence.get("theme", 0.0)))
        for row, text in session.exec(statement)
    ]
    return sorted(rows, key=lambda item: (item.confidence, item.unit_id))[:limit]


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


def _latest_labels(session: Session, version: int, gold_set: str | None) -> list[tuple[ReviewLabel, FeedbackUnit]]:
    statement = (
        select(ReviewLabel, FeedbackUnit)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(ReviewLabel.unit_id))
        .where(ReviewLabel.taxonomy_version == version, col(FeedbackUnit.deleted_at).is_(None))
        .order_by(col(ReviewLabel.id))
    )
    if gold_set is not None:
        statement = statement.where(ReviewLabel.gold_set == gold_set)
    latest: dict[str, tuple[ReviewLabel, FeedbackUnit]] = {}
    for label, unit in session.exec(statement):
        latest[label.unit_id] = (label, unit)  # a later label for the same unit wins
    return [latest[key] for key in sorted(latest)]


def reviewed_examples(*, session: Session, version: int, exclude: Collection[str] = ()) -> list[tuple[str, str]]:
    """(text, leaf key) of each unit's latest human label in ``version``, "other" labels and ``exclude`` left out."""
    return [
        (unit.text, label.theme_key)
        for label, unit in _latest_labels(session, version, None)
        if label.theme_key is not None and unit.id not in exclude and unit.text.strip()
    ]


def gold_labels(*, session: Session, gold_set: str, version: int) -> list[GoldItem]:
    """The gold set's units with their latest label in ``version``."""
    return [
        GoldItem(unit.id, unit.text, unit.source, unit.created_at, label.theme_key)
        for label, unit in _latest_labels(session, version, gold_set)
    ]
