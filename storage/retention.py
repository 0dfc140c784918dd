"""Apply a retention policy (``core.retention``) to the database; the caller drops the returned unit vectors.

Per source: records whose last activity (source update, else creation, else fetch time) is before the cutoff
are deleted with everything keyed by them (``storage.erase``), and copies quoting their units are redacted
(Slack answers, tickets, drafts, proposals). Per field: raw payload bodies are emptied (``{"_purged_at": …}``;
row, content hash and units stay), rejected records deleted. ``dry_run`` computes the same counts and rolls back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from groundswell.core.retention import RetentionPolicy
from groundswell.storage.erase import delete_records, delete_rows, delete_tokens, delete_units, unused_tokens
from groundswell.storage.models import FeedbackUnit, RawRecordRow, RejectedRecord, Source
from groundswell.storage.scrub import Scrubber, scrub_tables
from sqlalchemy import Text, cast, func, update
from sqlmodel import Session, col, select

__all__ = ["RetentionOutcome", "apply_policy"]

#: Tables that quote units by id: redacted when the units they cite expire.
_QUOTING = frozenset({"slack_answer", "answer_feedback", "ticket", "ticket_draft", "theme_proposal", "spike_alert"})


@dataclass
class RetentionOutcome:
    counts: Counter[str] = field(default_factory=Counter)  # "source/store" -> rows
    unit_ids: list[str] = field(default_factory=list)

    def by_source(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for key, n in sorted(self.counts.items()):
            if n:
                source, _, store = key.partition("/")
                out.setdefault(source, {})[store] = n
        return out


def _expired_pairs(session: Session, source: str, cutoff: datetime) -> set[tuple[str, str]]:
    """Records of ``source`` last active before ``cutoff``: by the source's own times, else their newest unit,
    else when they were fetched."""
    raw = RawRecordRow
    undated = col(raw.source_updated_at).is_(None) & col(raw.source_created_at).is_(None)
    dated = select(raw.source, raw.external_id).where(
        raw.source == source,
        col(raw.is_current),
        func.coalesce(raw.source_updated_at, raw.source_created_at) < cutoff,
    )
    by_units = (
        select(FeedbackUnit.source, FeedbackUnit.external_id)
        .join(raw, col(raw.id) == col(FeedbackUnit.raw_record_id))
        .where(FeedbackUnit.source == source, col(raw.is_current), undated)
        .group_by(FeedbackUnit.source, FeedbackUnit.external_id)
        .having(func.max(FeedbackUnit.created_at) < cutoff)
    )
    has_units = select(FeedbackUnit.id).where(col(FeedbackUnit.raw_record_id) == col(raw.id)).exists()
    bare = select(raw.source, raw.external_id).where(
        raw.source == source, col(raw.is_current), undated, col(raw.fetched_at) < cutoff, ~has_units
    )
    return {(s, e) for statement in (dated, by_units, bare) for s, e in session.exec(statement).all()}


def _expire_records(session: Session, source: str, cutoff: datetime, outcome: RetentionOutcome) -> None:
    pairs = _expired_pairs(session, source, cutoff)
    if not pairs:
        return
    ids = sorted(external for _, external in pairs)
    units = [
        unit
        for start in range(0, len(ids), 500)
        for unit in session.exec(
            select(FeedbackUnit).where(
                FeedbackUnit.source == source, col(FeedbackUnit.external_id).in_(ids[start : start + 500])
            )
        )
    ]
    tokens = unused_tokens(session, units)
    unit_ids = [u.id for u in units]
    for store, n in (delete_units(session, unit_ids) + delete_records(session, pairs)).items():
        outcome.counts[f"{source}/{store}"] += n
    outcome.counts[f"{source}/pseudonym"] += delete_tokens(session, tokens)
    outcome.unit_ids += unit_ids
    if unit_ids:
        outcome.counts[f"{source}/vectors"] += len(unit_ids)
        skip = {t.name for t in Source.metadata.sorted_tables} - _QUOTING
        for start in range(0, len(unit_ids), 200):  # a LIKE per id: bounded per query
            scrubber = Scrubber((), unit_ids[start : start + 200])
            for table, n in scrub_tables(session=session, scrubber=scrubber, skip=skip).items():
                outcome.counts[f"{source}/scrubbed.{table}"] += n


def _purge_payloads(session: Session, source: str, cutoff: datetime, now: datetime, outcome: RetentionOutcome) -> None:
    purged = {"_purged_at": now.isoformat()}
    statement = (
        update(RawRecordRow)
        .where(
            RawRecordRow.source == source,
            col(RawRecordRow.fetched_at) < cutoff,
            ~cast(RawRecordRow.payload, Text).contains('"_purged_at"'),
        )
        .values(payload=purged)
    )
    outcome.counts[f"{source}/raw_payload"] += int(session.execute(statement).rowcount or 0)  # type: ignore[attr-defined]


def apply_policy(
    *, session: Session, policy: RetentionPolicy, now: datetime, dry_run: bool = False
) -> RetentionOutcome:
    """Enforce ``policy`` on every known source; with ``dry_run`` the same counts, nothing changed."""
    outcome = RetentionOutcome()
    sources = sorted(
        set(session.exec(select(Source.name))) | set(session.exec(select(RejectedRecord.source).distinct()))
    )
    for source in sources:
        if (cutoff := policy.record_cutoff(source, now)) is not None:
            _expire_records(session, source, cutoff, outcome)
        if (cutoff := policy.field_cutoff(source, "raw_payload", now)) is not None:
            _purge_payloads(session, source, cutoff, now, outcome)
        if (cutoff := policy.field_cutoff(source, "rejected_raw", now)) is not None:
            expired = (RejectedRecord.source == source) & (col(RejectedRecord.created_at) < cutoff)
            outcome.counts[f"{source}/rejected_record"] += delete_rows(session, RejectedRecord, expired)
    session.flush()
    if dry_run:
        session.rollback()
    return outcome
