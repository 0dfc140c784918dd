"""The Slack app's tables (re-exported by storage.models, where every table is registered)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json, _text
from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["AnswerFeedback", "SlackAnswer", "SlackChannelSetting", "SlackSubscription", "TicketDraftRow"]


class SlackChannelSetting(SQLModel, table=True):
    """How the bot behaves in one channel (defaults apply when there is no row)."""

    __tablename__ = "slack_channel_setting"

    team_id: str = Field(primary_key=True)
    channel_id: str = Field(primary_key=True)
    mention_only: bool = False  # True: thread follow-ups need a mention too
    ephemeral: bool = False  # slash-command answers only the asker sees
    default_segment: str | None = None  # answers here are scoped to this segment
    updated_by: str | None = None
    updated_at: datetime


class SlackSubscription(SQLModel, table=True):
    """A user asked for digests and alerts on a theme or segment, delivered to a channel."""

    __tablename__ = "slack_subscription"
    __table_args__ = (UniqueConstraint("team_id", "channel_id", "user_id", "kind", "value", name="uq_slack_sub"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: str
    channel_id: str = Field(index=True)
    user_id: str = Field(index=True)
    kind: str  # theme | segment
    value: str
    created_at: datetime


class SlackAnswer(SQLModel, table=True):
    """An answer the bot posted: kept for "Show sources", "Create ticket", feedback and App Home."""

    __tablename__ = "slack_answer"
    __table_args__ = (Index("ix_slack_answer_user_time", "user_id", "created_at"),)

    id: str = Field(primary_key=True)
    team_id: str
    channel_id: str
    thread_id: str | None = None
    message_ts: str | None = None
    user_id: str
    question: str = _text()
    headline: str = _text()
    answer: dict[str, Any] = _json(dict)  # core.answer.Answer as JSON
    created_at: datetime


class AnswerFeedback(SQLModel, table=True):
    """👍/👎 on an answer, one per user and answer (the latest click wins); read by evals."""

    __tablename__ = "answer_feedback"
    __table_args__ = (UniqueConstraint("answer_id", "user_id", name="uq_answer_feedback"),)

    id: int | None = Field(default=None, primary_key=True)
    answer_id: str = Field(foreign_key="slack_answer.id", index=True)
    user_id: str
    rating: int  # +1 | -1
    question: str = _text()
    created_at: datetime


class TicketDraftRow(SQLModel, table=True):
    """A ticket draft stored by the default (local) ticket sink; one per idempotency key."""

    __tablename__ = "ticket_draft"

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(unique=True)
    title: str
    draft: dict[str, Any] = _json(dict)  # core.protocols.TicketDraft as JSON
    requested_by: str | None = None
    created_at: datetime
