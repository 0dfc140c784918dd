"""Sources, sync state, raw records (versioned, verbatim) and rejections."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from groundswell.core.models import RawRecord, RecordFailure
from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import RawRecordRow, RejectedRecord, Source, SyncState
from sqlmodel import Session, select

__all__ = [
    "RawOutcome",
    "StoredRaw",
    "add_rejected",
    "ensure_source",
    "get_current_raw",
    "get_sync_state",
    "list_current_raw",
    "list_sources",
    "mark_sync_started",
    "save_progress",
    "save_sync_state",
    "store_raw_record",
]


class RawOutcome(StrEnum):
    NEW = "new"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"


@dataclass(frozen=True)
class StoredRaw:
    outcome: RawOutcome
    row: RawRecordRow


def ensure_source(
    *, session: Session, name: str, kind: str = "file", channel: str = "other", cadence_s: int | None = None
) -> Source:
    """The source row for ``name``, created on first use (with the connector's expected cadence, if any)."""
    source = session.get(Source, name)
    if source is None:
        source = Source(name=name, kind=kind, channel=channel, created_at=utcnow())
        if cadence_s is not None:
            source.expected_cadence_s = cadence_s
        session.add(source)
        session.flush()
    return source


def list_sources(*, session: Session) -> list[Source]:
    return list(session.exec(select(Source).order_by(Source.name)))


def save_progress(*, session: Session, source: str, checkpoint: dict[str, Any]) -> None:
    """Persist a checkpoint mid-sync (with the batch it covers), so a crash resumes after the stored pages."""
    state = get_sync_state(session=session, source=source)
    state.checkpoint = checkpoint
    session.add(state)


def mark_sync_started(*, session: Session, source: str) -> None:
    state = get_sync_state(session=session, source=source)
    state.last_started_at = utcnow()
    session.add(state)


def get_sync_state(*, session: Session, source: str) -> SyncState:
    state = session.get(SyncState, source)
    if state is None:
        state = SyncState(source=source)
        session.add(state)
        session.flush()
    return state


def save_sync_state(
    *,
    session: Session,
    source: str,
    checkpoint: dict[str, Any] | None,
    counts: dict[str, int],
    error: str | None = None,
) -> SyncState:
    """Record how a sync ended: checkpoint on success, the error otherwise."""
    state = get_sync_state(session=session, source=source)
    now = utcnow()
    if checkpoint is not None:
        state.checkpoint = checkpoint
    if error is None:
        state.last_success_at = now
        state.last_error = None
    else:
        state.last_error, state.last_error_at = error, now
    state.records_seen += counts.get("seen", 0)
    state.accepted += counts.get(RawOutcome.NEW, 0)
    state.updated += counts.get(RawOutcome.UPDATED, 0)
    state.deleted += counts.get(RawOutcome.DELETED, 0)
    state.rejected += counts.get("rejected", 0)
    session.add(state)
    return state


def get_current_raw(*, session: Session, source: str, external_id: str) -> RawRecordRow | None:
    statement = select(RawRecordRow).where(
        RawRecordRow.source == source, RawRecordRow.external_id == external_id, RawRecordRow.is_current
    )
    return session.exec(statement).first()


def list_current_raw(*, session: Session, source: str | None = None) -> list[RawRecordRow]:
    """Current versions of raw records (including tombstones), for reprocessing."""
    statement = select(RawRecordRow).where(RawRecordRow.is_current)
    if source:
        statement = statement.where(RawRecordRow.source == source)
    return list(session.exec(statement.order_by(RawRecordRow.id)))


def _new_row(record: RawRecord, version: int) -> RawRecordRow:
    return RawRecordRow(
        source=record.source,
        external_id=record.external_id,
        version=version,
        kind=record.kind,
        content_hash=record.version_hash,
        payload=record.payload,
        url=record.url,
        fetched_at=utcnow(),
        source_created_at=as_utc(record.created_at),
        source_updated_at=as_utc(record.updated_at),
        deleted_at=utcnow() if record.deleted else None,
    )


def store_raw_record(*, session: Session, record: RawRecord) -> StoredRaw:
    """Keep ``record`` verbatim: a new version when its content changed, a tombstone when deleted."""
    current = get_current_raw(session=session, source=record.source, external_id=record.external_id)
    if current is not None and current.content_hash == record.version_hash:
        if record.deleted and current.deleted_at is None:
            current.deleted_at = utcnow()
            session.add(current)
            return StoredRaw(RawOutcome.DELETED, current)
        if record.deleted or current.deleted_at is None:
            return StoredRaw(RawOutcome.UNCHANGED, current)
        # the same content, no longer deleted (restored at the source): a new live version below
    version = 1
    if current is not None:
        current.is_current = False
        session.add(current)
        session.flush()
        version = current.version + 1
    row = _new_row(record, version)
    session.add(row)
    session.flush()
    if record.deleted:
        return StoredRaw(RawOutcome.DELETED, row)
    return StoredRaw(RawOutcome.NEW if current is None else RawOutcome.UPDATED, row)


def add_rejected(*, session: Session, failure: RecordFailure, stage: str = "connector") -> RejectedRecord:
    """Store a record that could not be read, so nothing is lost and the reason is visible."""
    row = RejectedRecord(
        source=failure.source,
        external_id=failure.external_id,
        reason=failure.reason,
        raw=failure.raw,
        stage=stage,
        created_at=utcnow(),
    )
    session.add(row)
    return row
