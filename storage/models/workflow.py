"""Workflow, releases, access and audit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from storage.models.columns import _json, _text

__all__ = ["AuditEvent", "Release", "Ticket", "Viewer"]


class Release(SQLModel, table=True):
    name: str = Field(primary_key=True)  # "4.12.0": windows like "the week after 4.12" hang on it
    shipped_at: datetime = Field(index=True)
    notes: str = _text()


class Ticket(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    tracker: str  # jira | linear | local
    key: str | None = None
    url: str | None = None
    title: str
    description: str = _text()
    owner: str | None = None
    status: str = "open"
    theme_keys: list[str] = _json(list)
    unit_ids: list[str] = _json(list)
    idempotency_key: str = Field(unique=True)
    created_by: str | None = None
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
