"""Workflow, releases, access and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json, _text
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

__all__ = ["AccessEvent", "AuditEvent", "Release", "Ticket", "Viewer"]


class Release(SQLModel, table=True):
    name: str = Field(primary_key=True)  # "4.12.0": windows like "the week after 4.12" hang on it
    shipped_at: datetime = Field(index=True)
    notes: str = _text()


class Ticket(SQLModel, table=True):
    """A ticket filed in Jira/Linear (or the local tracker), or a draft saved when filing failed.

    ``status``: draft (not filed yet: ``last_error`` says why, ``groundswell ticket retry`` files it), open, closed.
    """

    __table_args__ = (Index("ix_ticket_dedupe_status", "dedupe_key", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    tracker: str  # jira | linear | local
    key: str | None = None
    url: str | None = None
    title: str
    description: str = _text()
    owner: str | None = None  # owner email (routing) or the tracker's assignee
    team: str | None = None
    status: str = "open"
    tracker_status: str | None = None  # the tracker's own status name
    theme_keys: list[str] = _json(list)
    dedupe_key: str = Field(default="", index=True)
    unit_ids: list[str] = _json(list)
    idempotency_key: str = Field(unique=True)
    draft: dict[str, Any] = _json(dict)  # the TicketDraft, so a retry files exactly what was asked
    last_error: str | None = None
    attempts: int = 0
    created_by: str | None = None
    slack_channel: str | None = None
    slack_thread_ts: str | None = None
    closed_at: datetime | None = None
    close_notified_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class Viewer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str | None = Field(default=None, unique=True)
    email: str | None = None
    role: str = "viewer"  # viewer | analyst | admin | privacy_officer


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    action: str = Field(index=True)
    target: str | None = None
    details: dict[str, Any] = _json(dict)
    created_at: datetime = Field(index=True)


class AccessEvent(SQLModel, table=True):
    """One question asked through any surface, or one refused request (``core.audit.AuditEntry``).

    Kept apart from :class:`AuditEvent` (decisions on people and PII, kept indefinitely): these are filtered by
    surface, viewer and time, and purged after ``GROUNDSWELL_AUDIT_RETENTION_DAYS``. ``text`` is redacted.
    """

    __tablename__ = "access_event"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(index=True)
    kind: str  # question | denial
    surface: str = Field(index=True)
    viewer: str = Field(index=True)
    user_id: str | None = None
    action: str
    outcome: str  # answered | refused | error | denied
    reason: str | None = None
    text: str = _text()
    thread_id: str | None = None
    plan: dict[str, Any] | None = _json(None)
    evidence: list[dict[str, Any]] = _json(list)
    unit_ids: list[str] = _json(list)
    answer_sha256: str | None = None
    latency_ms: float | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
