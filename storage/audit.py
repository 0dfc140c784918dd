"""The audit log: who did what to which data, for every human action on people and PII."""

from __future__ import annotations

from typing import Any

from groundswell.storage.db import utcnow
from groundswell.storage.models import AuditEvent
from sqlmodel import Session, col, select

__all__ = ["list_audit_events", "record_audit"]


def record_audit(
    *, session: Session, actor: str, action: str, target: str | None, details: dict[str, Any] | None = None
) -> None:
    session.add(AuditEvent(actor=actor, action=action, target=target, details=details or {}, created_at=utcnow()))


def list_audit_events(*, session: Session, action: str | None = None, limit: int = 100) -> list[AuditEvent]:
    """Newest first."""
    statement = select(AuditEvent).order_by(col(AuditEvent.id).desc()).limit(limit)
    if action:
        statement = statement.where(AuditEvent.action == action)
    return list(session.exec(statement))
