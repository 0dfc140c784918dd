"""Access events (``core.audit``): the database sink, and the reads and purge behind `groundswell audit`."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta

from groundswell.core.audit import AuditEntry
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.models import AccessEvent
from sqlmodel import Session, col, delete, select

__all__ = ["DatabaseAuditSink", "get_access_event", "list_access_events", "purge_access_events", "purge_expired"]


class DatabaseAuditSink:
    """Implements :class:`core.audit.AuditSink`: one row per entry, in its own transaction."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def write(self, entry: AuditEntry) -> None:
        with session_scope(self.engine) as session:
            session.add(AccessEvent(**asdict(entry), created_at=utcnow()))


def list_access_events(
    *,
    session: Session,
    surface: str | None = None,
    viewer: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
) -> list[AccessEvent]:
    """Newest first."""
    statement = select(AccessEvent).order_by(col(AccessEvent.id).desc()).limit(limit)
    if surface:
        statement = statement.where(AccessEvent.surface == surface)
    if viewer:
        statement = statement.where(AccessEvent.viewer == viewer)
    if since is not None:
        statement = statement.where(AccessEvent.created_at >= since)
    return list(session.exec(statement))


def get_access_event(*, session: Session, event_id: int) -> AccessEvent | None:
    return session.get(AccessEvent, event_id)


def purge_access_events(*, session: Session, before: datetime) -> int:
    """Delete events older than ``before``; returns how many."""
    result = session.exec(delete(AccessEvent).where(col(AccessEvent.created_at) < before))  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def purge_expired(engine: Engine, *, days: int, now: datetime | None = None) -> int:
    """Delete events older than ``days`` (the retention setting); returns how many."""
    with session_scope(engine) as session:
        return purge_access_events(session=session, before=(now or utcnow()) - timedelta(days=days))
