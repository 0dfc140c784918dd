"""What ``/metrics`` reads from the database at scrape time: one snapshot built from the stats, freshness,
classification and LLM-usage reads (so every process reports the shared state, not its own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from groundswell.storage.classifications import count_classified
from groundswell.storage.db import utcnow
from groundswell.storage.llm import summarise_llm_usage
from groundswell.storage.sources import source_statuses
from groundswell.storage.stats import count_by_source
from groundswell.storage.taxonomy import latest_version
from sqlmodel import Session

__all__ = ["MetricsSnapshot", "metrics_snapshot"]


@dataclass(frozen=True)
class MetricsSnapshot:
    records: dict[tuple[str, str], int]  # (source, status: live | deleted | rejected) -> records
    units: dict[str, int]  # source -> live units
    freshness_s: dict[str, float | None]  # source -> seconds since its last successful sync (None: never)
    stale: dict[str, bool]  # source -> older than its expected cadence
    failing: dict[str, bool]  # source -> its last sync ended in an error
    drift_events: dict[str, int]  # source -> open schema-drift events
    taxonomy_version: int | None
    classified: dict[str, int] = field(default_factory=dict)  # classified | themed | needs_review
    llm: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)  # (purpose, model) -> totals


def metrics_snapshot(*, session: Session, now: datetime | None = None) -> MetricsSnapshot:
    now = now or utcnow()
    records: dict[tuple[str, str], int] = {}
    units: dict[str, int] = {}
    for row in count_by_source(session=session):
        records |= {(row.source, "live"): row.records, (row.source, "deleted"): row.deleted}
        records[(row.source, "rejected")] = row.rejected
        units[row.source] = row.units
    statuses = source_statuses(session=session, now=now)
    freshness = {s.name: (now - s.last_success_at).total_seconds() if s.last_success_at else None for s in statuses}
    version = latest_version(session=session)
    classified = count_classified(session=session, version=version) if version is not None else {}
    llm: dict[tuple[str, str], dict[str, float]] = {}
    for day in summarise_llm_usage(session=session):
        totals = llm.setdefault((day.purpose, day.model), dict.fromkeys(("calls", "prompt", "completion", "cost"), 0.0))
        totals["calls"] += day.calls
        totals["prompt"] += day.prompt_tokens
        totals["completion"] += day.completion_tokens
        totals["cost"] += day.cost_usd
    return MetricsSnapshot(
        records=records,
        units=units,
        freshness_s=freshness,
        stale={s.name: s.stale for s in statuses},
        failing={s.name: s.last_error is not None for s in statuses},
        drift_events={s.name: s.drift_events for s in statuses},
        taxonomy_version=version,
        classified=classified,
        llm=llm,
    )
