"""Workflow tables: tickets (and their saved drafts) and spike alerts with their noise control.

Re-exported by ``storage.models`` (which lists every table); kept apart only to hold each module under 400 lines.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from storage.columns import json_field, text_field

__all__ = ["AlertSnooze", "AlertSuppression", "SpikeAlert", "Ticket"]


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
    description: str = text_field()
    owner: str | None = None  # owner email (routing) or the tracker's assignee
    team: str | None = None
    status: str = "open"
    tracker_status: str | None = None  # the tracker's own status name
    theme_keys: list[str] = json_field(list)
    dedupe_key: str = Field(default="", index=True)
    unit_ids: list[str] = json_field(list)
    idempotency_key: str = Field(unique=True)
    draft: dict[str, Any] = json_field(dict)  # the TicketDraft, so a retry files exactly what was asked
    last_error: str | None = None
    attempts: int = 0
    created_by: str | None = None
    slack_channel: str | None = None
    slack_thread_ts: str | None = None
    closed_at: datetime | None = None
    close_notified_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class SpikeAlert(SQLModel, table=True):
    """One alert thread per ongoing spike of a scope (theme × segment, or source) in a channel, updated in place."""

    __tablename__ = "spike_alert"
    __table_args__ = (Index("ix_spike_alert_scope", "channel", "scope_key", "status"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    scope_key: str  # "theme=export.csv_timeout segment=enterprise" | "source=zendesk"
    theme_key: str | None = None
    segment: str | None = None
    source: str | None = None
    status: str = "open"  # open | resolved
    thread_ts: str | None = None  # the Slack message the updates reply to
    observed: int = 0
    expected: float = 0.0
    spread: float = 0.0
    score: float = 0.0
    explanation: str = text_field()
    updates: int = 0
    started_at: datetime
    last_seen_at: datetime
    created_at: datetime


class AlertSnooze(SQLModel, table=True):
    """No alerts on ``theme_key`` in ``channel`` until ``until``."""

    __tablename__ = "alert_snooze"
    __table_args__ = (Index("ix_alert_snooze_channel_theme", "channel", "theme_key"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    theme_key: str
    until: datetime
    created_by: str | None = None
    created_at: datetime


class AlertSuppression(SQLModel, table=True):
    """An alert that was not posted (snoozed, over budget), for the weekly roll-up."""

    __tablename__ = "alert_suppression"
    __table_args__ = (Index("ix_alert_suppression_channel_time", "channel", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    scope_key: str
    theme_key: str | None = None
    reason: str  # snoozed | budget
    explanation: str = text_field()
    rolled_up_at: datetime | None = None
    created_at: datetime
