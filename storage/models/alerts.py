"""Spike alerts and their noise control: one thread per ongoing spike, snoozes, suppressed alerts for the roll-up."""

from __future__ import annotations

from datetime import datetime

from groundswell.storage.models.columns import _text
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

__all__ = ["AlertSnooze", "AlertSuppression", "SpikeAlert"]


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
    explanation: str = _text()
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
    explanation: str = _text()
    rolled_up_at: datetime | None = None
    created_at: datetime
