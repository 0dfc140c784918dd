"""Live sources: schema drift events, freshness, push idempotency keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from groundswell.core.models import FieldDrift
from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import PushRequest, SchemaDriftEvent, Source, SyncState
from sqlalchemy import or_, update
from sqlmodel import Session, col, func, select

__all__ = [
    "MAX_DRIFT_EXAMPLES",
    "AlertKind",
    "SourceStatus",
    "claim_source_alert",
    "episode_mark",
    "get_push_request",
    "list_drift",
    "record_drift",
    "release_source_alert",
    "save_push_request",
    "source_statuses",
    "update_source",
]

MAX_DRIFT_EXAMPLES = 5


def record_drift(*, session: Session, source: str, external_id: str | None, findings: list[FieldDrift]) -> None:
    """Count each finding against its (source, path, problem) event, keeping the first few examples."""
    now = utcnow()
    for finding in findings:
        event = session.exec(
            select(SchemaDriftEvent).where(
                SchemaDriftEvent.source == source,
                SchemaDriftEvent.path == finding.path,
                SchemaDriftEvent.problem == finding.problem,
            )
        ).first()
        if event is None:
            event = SchemaDriftEvent(
                source=source,
                path=finding.path,
                problem=finding.problem,
                expected=finding.expected,
                first_seen_at=now,
                last_seen_at=now,
            )
        event.found = finding.found
        event.count += 1
        event.last_seen_at = now
        event.resolved_at = None
        if len(event.examples) < MAX_DRIFT_EXAMPLES:
            event.examples = [*event.examples, {"external_id": external_id, "example": finding.example}]
        session.add(event)
        session.flush()


def list_drift(*, session: Session, source: str | None = None, open_only: bool = True) -> list[SchemaDriftEvent]:
    statement = select(SchemaDriftEvent)
    if source:
        statement = statement.where(SchemaDriftEvent.source == source)
    if open_only:
        statement = statement.where(col(SchemaDriftEvent.resolved_at).is_(None))
    return list(session.exec(statement.order_by(SchemaDriftEvent.source, SchemaDriftEvent.path)))


def update_source(
    *, session: Session, name: str, kind: str | None = None, cadence_s: int | None = None, config: dict[str, Any] | None
) -> Source:
    """Set a source's kind, expected cadence and (non-secret) configuration; created when new."""
    source = session.get(Source, name) or Source(name=name, created_at=utcnow())
    if kind is not None:
        source.kind = kind
    if cadence_s is not None:
        source.expected_cadence_s = cadence_s
    if config is not None:
        source.config = config
    session.add(source)
    session.flush()
    return source


@dataclass(frozen=True)
class SourceStatus:
    name: str
    kind: str
    expected_cadence_s: int
    last_success_at: datetime | None
    last_error: str | None
    stale: bool
    records: int
    drift_events: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "expected_cadence_s": self.expected_cadence_s,
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "last_error": self.last_error,
            "stale": self.stale,
            "records": self.records,
            "drift_events": self.drift_events,
        }


def source_statuses(*, session: Session, now: datetime | None = None) -> list[SourceStatus]:
    """Every source with its freshness: stale when its last success is older than its expected cadence."""
    now = now or utcnow()
    drift = dict(
        session.exec(
            select(SchemaDriftEvent.source, func.count())
            .where(col(SchemaDriftEvent.resolved_at).is_(None))
            .group_by(SchemaDriftEvent.source)
        ).all()
    )
    out = []
    for source in session.exec(select(Source).order_by(Source.name)):
        state = session.get(SyncState, source.name)
        last = as_utc(state.last_success_at) if state and state.last_success_at else None
        stale = last is None or now - last > timedelta(seconds=source.expected_cadence_s)
        out.append(
            SourceStatus(
                name=source.name,
                kind=source.kind,
                expected_cadence_s=source.expected_cadence_s,
                last_success_at=last,
                last_error=state.last_error if state else None,
                stale=stale,
                records=(state.accepted if state else 0),
                drift_events=int(drift.get(source.name, 0)),
            )
        )
    return out


def get_push_request(*, session: Session, source: str, key: str) -> PushRequest | None:
    return session.exec(
        select(PushRequest).where(PushRequest.source == source, PushRequest.idempotency_key == key)
    ).first()


def save_push_request(
    *, session: Session, source: str, key: str, body_sha256: str, response: dict[str, Any]
) -> PushRequest:
    row = PushRequest(
        source=source, idempotency_key=key, body_sha256=body_sha256, response=response, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    return row


AlertKind = Literal["stale", "failure"]
_MARKS = {"stale": "stale_alert_mark", "failure": "failure_alert_mark"}


def episode_mark(last_success_at: datetime | None) -> str:
    """Names an episode (stale, or failing): the last success it followed ("never" for a source never synced)."""
    return as_utc(last_success_at).isoformat() if last_success_at else "never"


def claim_source_alert(
    *, session: Session, source: str, kind: AlertKind, last_success_at: datetime | None
) -> str | None:
    """Mark this ``kind`` episode of ``source`` as told; the previous mark if this call claimed it (the caller
    alerts, and may :func:`release_source_alert` if telling failed), None if it was told already. One
    conditional UPDATE: of two workers claiming at once, one wins."""
    mark, column = episode_mark(last_success_at), getattr(SyncState, _MARKS[kind])
    if session.get(SyncState, source) is None:
        session.add(SyncState(source=source))
        session.flush()
    previous = getattr(session.get(SyncState, source), _MARKS[kind])
    claimed = session.exec(  # type: ignore[call-overload]
        update(SyncState)
        .where(col(SyncState.source) == source)
        .where(or_(col(column).is_(None), col(column) != mark))
        .values({_MARKS[kind]: mark})
    ).rowcount
    session.expire_all()
    return (previous or "") if claimed else None


def release_source_alert(*, session: Session, source: str, kind: AlertKind, previous: str) -> None:
    """Undo a claim whose alert could not be sent, so the next check tries again."""
    session.exec(  # type: ignore[call-overload]
        update(SyncState).where(col(SyncState.source) == source).values({_MARKS[kind]: previous or None})
    )
