"""Turn classifier output into stored classifications, during embedding or for units that missed it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.classify.llm import UnitLabeller
from storage.classifications import save_classifications, units_without_classification
from storage.db import Engine, Session, session_scope, utcnow
from storage.models import Classification, FeedbackUnit

__all__ = ["classify_pending", "classify_units"]


def classify_units(
    *, session: Session, classifier: UnitLabeller, units: Sequence[FeedbackUnit], vectors: np.ndarray | None = None
) -> int:
    """Classify ``units`` (reusing their vectors when given) against the classifier's taxonomy version."""
    if not units:
        return 0
    results = classifier.classify([unit.text for unit in units], vectors)
    now = utcnow()
    save_classifications(
        session=session,
        rows=[
            Classification(
                unit_id=unit.id,
                taxonomy_version=classifier.taxonomy.version,
                theme_key=result.theme_key,
                subtheme_key=result.subtheme_key,
                sentiment=result.sentiment,
                sentiment_score=result.sentiment_score,
                intent=result.intent,
                severity=result.severity,
                confidence=result.confidence,
                classifier=result.classifier or classifier.name,  # an LLM's fallback units say "offline"
                classifier_version=result.classifier_version or classifier.version,
                needs_review=result.needs_review,
                created_at=now,
            )
            for unit, result in zip(units, results, strict=True)
        ],
    )
    return len(units)


def classify_pending(*, engine: Engine, classifier: UnitLabeller, batch_size: int = 1024) -> int:
    """Classify every live unit that has no classification for the classifier's version (re-embeds their text)."""
    done = 0
    while True:
        with session_scope(engine) as session:
            units = units_without_classification(session=session, version=classifier.taxonomy.version, limit=batch_size)
            if not units:
                return done
            done += classify_units(session=session, classifier=classifier, units=units)
