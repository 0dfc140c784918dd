"""Turn classifier output into stored classifications: during embedding, for units that missed it, after new
review labels (``reclassify_stale``) and when history moves to a new taxonomy version (``reprocess_taxonomy``).

Every long job works in batches, one transaction each, and resumes where an interrupted run stopped. Stored
vectors are read back from the index by unit id; only units without one are embedded again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from groundswell.core.classify.llm import UnitLabeller
from groundswell.core.classify.units import CLASSIFIER_NAME, CLASSIFIER_VERSION, UnitClassifier
from groundswell.core.classify.weak import source_signal, with_source_signals
from groundswell.core.protocols import VectorReader
from groundswell.core.taxonomy import Migration, Remapped, Taxonomy
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.storage.classifications import save_classifications, stale_units, units_without_classification
from groundswell.storage.db import Engine, Session, session_scope, utcnow
from groundswell.storage.models import Classification, FeedbackUnit
from groundswell.storage.review import labels_changed_at
from groundswell.storage.taxonomy_reprocess import Unplaced, reprocess_batch

__all__ = [
    "ReprocessReport",
    "classify_pending",
    "classify_units",
    "reclassify_stale",
    "reprocess_taxonomy",
    "stored_vectors",
]


def stored_vectors(
    embed: Callable[[Sequence[str]], np.ndarray],
    reader: VectorReader | None,
    ids: Sequence[str],
    texts: Sequence[str],
) -> np.ndarray:
    """One row per unit: its stored vector when the index has it, else ``embed`` of its text (one batch)."""
    found = reader.get_vectors(ids) if reader is not None and ids else {}
    missing = [i for i, uid in enumerate(ids) if uid not in found]
    fresh = np.asarray(embed([texts[i] for i in missing])) if missing else None
    rows: list[np.ndarray] = []
    position = {i: j for j, i in enumerate(missing)}
    for i, uid in enumerate(ids):
        if uid in found:
            rows.append(np.asarray(found[uid], dtype=np.float32))
        else:
            assert fresh is not None
            rows.append(fresh[position[i]])
    return np.vstack(rows) if rows else np.zeros((0, 0), dtype=np.float32)


def classify_units(
    *, session: Session, classifier: UnitLabeller, units: Sequence[FeedbackUnit], vectors: np.ndarray | None = None
) -> int:
    """Classify ``units`` (reusing their vectors when given) against the classifier's taxonomy version."""
    if not units:
        return 0
    results = classifier.classify([unit.text for unit in units], vectors)
    signals = [source_signal(unit.source, unit.channel, unit.rating, unit.score) for unit in units]
    results = with_source_signals(results, signals)  # stars/CSAT/NPS nudge unclear text sentiment only
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
                mixed=result.mixed,
                created_at=now,
            )
            for unit, result in zip(units, results, strict=True)
        ],
    )
    return len(units)


def classify_pending(
    *, engine: Engine, classifier: UnitLabeller, batch_size: int = 1024, telemetry: Telemetry = NO_TELEMETRY
) -> int:
    """Classify every live unit that has no classification for the classifier's version (re-embeds their text);
    each batch is counted in ``telemetry`` (stage classify)."""
    done = 0
    while True:
        with session_scope(engine) as session:
            units = units_without_classification(session=session, version=classifier.taxonomy.version, limit=batch_size)
            if not units:
                return done
            batch = classify_units(session=session, classifier=classifier, units=units)
        done += batch
        telemetry.count_processed("classify", batch)


def reclassify_stale(
    *,
    engine: Engine,
    classifier: UnitClassifier,
    vectors: VectorReader | None = None,
    batch_size: int = 1000,
    tick: Callable[[int], None] | None = None,
) -> int:
    """Reclassify every unit whose machine-made classification for the classifier's version predates its training
    data (the newest review label, or the version itself); human labels are kept. Returns units reclassified."""
    version = classifier.taxonomy.version
    with session_scope(engine) as session:
        cutoff = labels_changed_at(session=session, version=version)
    if cutoff is None:
        return 0
    done = 0
    while True:
        with session_scope(engine) as session:
            units = stale_units(session=session, version=version, before=cutoff, limit=batch_size)
            if not units:
                return done
            matrix = stored_vectors(classifier.embed, vectors, [u.id for u in units], [u.text for u in units])
            done += classify_units(session=session, classifier=classifier, units=units, vectors=matrix)
        if tick:
            tick(len(units))


@dataclass
class ReprocessReport:
    from_version: int
    to_version: int
    migrated: int = 0  # classifications now in the target version (all runs)
    needs_review: int = 0  # of those, flagged for review (all runs)
    reclassified: int = 0  # decided by the classifier in this run (split or unplaceable themes)
    done: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "from": self.from_version,
            "to": self.to_version,
            "migrated": self.migrated,
            "needs_review": self.needs_review,
            "reclassified": self.reclassified,
            "done": self.done,
        }


def reprocess_taxonomy(
    *,
    engine: Engine,
    migration: Migration,
    taxonomy: Taxonomy,
    classifier: Callable[[], UnitClassifier | None],
    vectors: VectorReader | None = None,
    batch_size: int = 1000,
    tick: Callable[[int], None] | None = None,
) -> ReprocessReport:
    """Move classifications along ``migration`` into ``taxonomy`` in resumable batches. Units of a split theme
    are classified again among its parts, units the map drops entirely among every theme, by ``classifier()``
    (fitted on the target version's examples and labels; called only once such a unit turns up)."""
    report = ReprocessReport(migration.from_version, migration.to_version)
    fitted: list[UnitClassifier] = []

    def resolve(items: Sequence[Unplaced]) -> list[Remapped]:
        if not fitted:
            model = classifier()
            if model is None:
                return [Remapped(None, None, needs_review=True, candidates=item.candidates) for item in items]
            fitted.append(model)
        model = fitted[0]
        matrix = stored_vectors(model.embed, vectors, [i.unit_id for i in items], [i.text for i in items])
        report.reclassified += len(items)
        return model.choose([i.text for i in items], [i.candidates for i in items], matrix)

    while True:
        with session_scope(engine) as session:
            state = reprocess_batch(
                session=session, migration=migration, taxonomy=taxonomy, limit=batch_size, resolve=resolve,
                resolved_by=(CLASSIFIER_NAME, CLASSIFIER_VERSION),
            )  # fmt: skip
            report.migrated, report.needs_review, report.done = state.migrated, state.needs_review, state.done
        if tick:
            tick(report.migrated)
        if state.done:
            return report
