"""Ingestion: sources, sync state, raw records (kept verbatim, versioned) and rejections."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json, _text
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["RawRecordRow", "RejectedRecord", "Source", "SyncState"]


class Source(SQLModel, table=True):
    """A configured place feedback comes from."""

    name: str = Field(primary_key=True)
    kind: str = "file"  # file | api | webhook
    channel: str = "other"
    expected_cadence_s: int = 86_400  # freshness alarm when older than this
    config: dict[str, Any] = _json(dict)
    created_at: datetime


class SyncState(SQLModel, table=True):
    """Where a source's sync stopped and how it went."""

    source: str = Field(primary_key=True, foreign_key="source.name")
    checkpoint: dict[str, Any] = _json(dict)
    last_started_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    records_seen: int = 0
    accepted: int = 0
    updated: int = 0
    deleted: int = 0
    rejected: int = 0
    stale_alert_mark: str | None = None  # the staleness episode last told to admins (its last success, or "never")
    failure_alert_mark: str | None = None  # the failure episode last told (the last success it followed)


class RawRecordRow(SQLModel, table=True):
    """A source record verbatim, one row per version; any unit can be rebuilt from here."""

    __tablename__ = "raw_record"
    __table_args__ = (
        UniqueConstraint("source", "external_id", "version", name="uq_raw_version"),
        Index("ix_raw_current", "source", "external_id", "is_current"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(foreign_key="source.name")
    external_id: str
    version: int = 1
    is_current: bool = True
    kind: str
    content_hash: str = Field(index=True)
    payload: dict[str, Any] = _json(dict)
    url: str | None = None
    fetched_at: datetime
    source_created_at: datetime | None = None
    source_updated_at: datetime | None = None
    deleted_at: datetime | None = None


class RejectedRecord(SQLModel, table=True):
    """A record that could not be read, with the reason and the raw bytes as text."""

    __tablename__ = "rejected_record"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    external_id: str | None = None
    reason: str = _text()
    raw: str = _text()
    stage: str = "connector"  # connector | normalize | pipeline
    created_at: datetime
