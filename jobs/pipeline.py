"""Run the whole spine over a set of sources: sync each, drop vectors of removed units, embed what is new."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

from groundswell.core.classify.llm import LlmUnitClassifier
from groundswell.core.protocols import FeedbackSource
from groundswell.jobs.classify import classify_pending
from groundswell.jobs.dedupe import link_duplicates
from groundswell.jobs.embed import embed_pending, remove_vectors
from groundswell.jobs.identity import resolve_identities
from groundswell.jobs.ingest import SourceReport, ingest_source
from groundswell.storage.cache import LockNotAcquired
from groundswell.storage.classifications import count_classified, count_unclassified
from groundswell.storage.db import session_scope
from groundswell.storage.taxonomy import latest_version
from groundswell.storage.units import count_units_needing_embedding

from groundswell.runtime import Runtime

__all__ = ["PipelineProgress", "PipelineReport", "run_pipeline"]

#: CRM first, so feedback can be joined to the accounts and people it already knows.
SOURCE_ORDER = ("salesforce", "hubspot")


@dataclass
class PipelineReport:
    sources: list[SourceReport] = field(default_factory=list)
    embedded: int = 0
    duplicates: int = 0
    classification: dict[str, int] = field(default_factory=dict)
    llm: dict[str, Any] = field(default_factory=dict)  # LLM classification: units by path, calls, tokens, cost, errors
    identity: dict[str, Any] = field(default_factory=dict)
    embed_seconds: float = 0.0
    seconds: float = 0.0

    @property
    def units_added(self) -> int:
        return sum(r.units_added for r in self.sources)

    def as_dict(self) -> dict[str, object]:
        totals = {key: 0 for key in ("accepted", "updated", "unchanged", "deleted", "rejected")}
        for report in self.sources:
            row = report.as_dict()
            for key in totals:
                totals[key] += int(row[key])  # type: ignore[call-overload]
        return {
            **totals,
            "units_added": self.units_added,
            "units_removed": sum(len(r.removed_unit_ids) for r in self.sources),
            "embedded": self.embedded,
            "duplicates": self.duplicates,
            "classification": self.classification,
            **({"llm": self.llm} if self.llm else {}),
            "identity": self.identity,
            "seconds": round(self.seconds, 2),
            "sources": [r.as_dict() for r in self.sources],
            "errors": {r.source: r.error for r in self.sources if r.error},
        }


class PipelineProgress:
    """Callbacks a front end implements to show progress; the default shows nothing."""

    def source_started(self, name: str) -> Callable[[int], None] | None:
        return None

    def embedding_started(self, total: int) -> Callable[[int], None] | None:
        return None


def _ordered(sources: Sequence[FeedbackSource]) -> list[FeedbackSource]:
    rank = {name: i for i, name in enumerate(SOURCE_ORDER)}
    return sorted(sources, key=lambda s: (rank.get(s.name, len(rank)), s.name))


def run_pipeline(
    *, runtime: Runtime, sources: Sequence[FeedbackSource], progress: PipelineProgress | None = None
) -> PipelineReport:
    """Sync every source, then bring the vector index in line (deletions first, then new units)."""
    progress = progress or PipelineProgress()
    report = PipelineReport()
    started = perf_counter()
    for source in _ordered(sources):
        try:  # one sync of a source at a time, across processes when Redis is configured
            with runtime.cache.lock(f"sync:{source.name}", ttl_s=120, timeout_s=0):
                result = ingest_source(
                    engine=runtime.engine,
                    source=source,
                    privacy=runtime.privacy,
                    tick=progress.source_started(source.name),
                    telemetry=runtime.telemetry,
                )
        except LockNotAcquired:
            result = SourceReport(source=source.name, error=f"another sync of {source.name} is running; skipped")
        except Exception as exc:  # one source's failure never stops the others; the summary has it
            result = SourceReport(source=source.name, error=f"{type(exc).__name__}: {exc}")
        remove_vectors(index=runtime.vectors, unit_ids=result.removed_unit_ids)
        report.sources.append(result)
    report.identity = resolve_identities(engine=runtime.engine)
    report.duplicates = link_duplicates(engine=runtime.engine)["duplicates"]
    with session_scope(runtime.engine) as session:
        pending = count_units_needing_embedding(session=session)
        version = latest_version(session=session)
        unclassified = count_unclassified(session=session, version=version) if version is not None else 0
    # Fitting the classifiers costs seconds: only when there is something to classify.
    classifier = runtime.unit_classifier if version is not None and (pending or unclassified) else None
    if isinstance(classifier, LlmUnitClassifier):
        classifier.begin_run()
    report.embedded, report.embed_seconds = embed_pending(
        engine=runtime.engine,
        embedder=runtime.embedder,
        index=runtime.vectors,
        tick=progress.embedding_started(pending),
        classifier=classifier,
        telemetry=runtime.telemetry,
    )
    if classifier is not None:  # units embedded before this taxonomy version existed
        classify_pending(engine=runtime.engine, classifier=classifier, telemetry=runtime.telemetry)
    if isinstance(classifier, LlmUnitClassifier):
        report.llm = classifier.usage
    if version is not None:
        with session_scope(runtime.engine) as session:
            report.classification = {"taxonomy_version": version, **count_classified(session=session, version=version)}
    report.seconds = perf_counter() - started
    return report
