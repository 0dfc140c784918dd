"""The Slack app's state: channel settings, subscriptions, posted answers, 👍/👎 feedback, ticket drafts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from groundswell.storage.db import utcnow
from groundswell.storage.models import (
    AnswerFeedback,
    Classification,
    ReviewLabel,
    SlackAnswer,
    SlackChannelSetting,
    SlackSubscription,
    TicketDraftRow,
)
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

__all__ = [
    "QualityCounts",
    "add_subscription",
    "count_quality",
    "get_answer",
    "get_channel_setting",
    "list_feedback",
    "list_recent_answers",
    "list_subscriptions",
    "record_feedback",
    "remove_subscriptions",
    "save_answer",
    "save_ticket_draft",
    "thread_has_answer",
    "ticket_submission",
    "update_channel_setting",
]

_UNSET: Any = object()


def get_channel_setting(*, session: Session, team_id: str, channel_id: str) -> SlackChannelSetting:
    """The channel's settings, or the defaults (not stored) when nobody changed them."""
    row = session.get(SlackChannelSetting, (team_id, channel_id))
    return row or SlackChannelSetting(team_id=team_id, channel_id=channel_id, updated_at=utcnow())


def update_channel_setting(
    *,
    session: Session,
    team_id: str,
    channel_id: str,
    updated_by: str,
    mention_only: bool | None = None,
    ephemeral: bool | None = None,
    default_segment: str | None = _UNSET,
) -> SlackChannelSetting:
    """Change the given settings of a channel (``default_segment=None`` clears the segment)."""
    row = session.get(SlackChannelSetting, (team_id, channel_id)) or SlackChannelSetting(
        team_id=team_id, channel_id=channel_id, updated_at=utcnow()
    )
    if mention_only is not None:
        row.mention_only = mention_only
    if ephemeral is not None:
        row.ephemeral = ephemeral
    if default_segment is not _UNSET:
        row.default_segment = default_segment
    row.updated_by, row.updated_at = updated_by, utcnow()
    session.add(row)
    session.flush()
    return row


def add_subscription(
    *, session: Session, team_id: str, channel_id: str, user_id: str, kind: str, value: str
) -> tuple[SlackSubscription, bool]:
    """Subscribe (idempotent); returns the row and whether it is new."""
    existing = session.exec(
        select(SlackSubscription).where(
            SlackSubscription.team_id == team_id,
            SlackSubscription.channel_id == channel_id,
            SlackSubscription.user_id == user_id,
            SlackSubscription.kind == kind,
            SlackSubscription.value == value,
        )
    ).first()
    if existing is not None:
        return existing, False
    row = SlackSubscription(
        team_id=team_id, channel_id=channel_id, user_id=user_id, kind=kind, value=value, created_at=utcnow()
    )
    session.add(row)
    session.flush()
    return row, True


def remove_subscriptions(
    *, session: Session, team_id: str, channel_id: str, user_id: str, value: str | None = None
) -> int:
    """Drop a user's subscriptions in a channel (only those on ``value`` when given); returns how many."""
    statement = delete(SlackSubscription).where(
        col(SlackSubscription.team_id) == team_id,
        col(SlackSubscription.channel_id) == channel_id,
        col(SlackSubscription.user_id) == user_id,
    )
    if value is not None:
        statement = statement.where(col(SlackSubscription.value) == value)
    result = session.exec(statement)  # type: ignore[call-overload]
    return int(result.rowcount or 0)


def list_subscriptions(
    *, session: Session, user_id: str | None = None, channel_id: str | None = None
) -> list[SlackSubscription]:
    statement = select(SlackSubscription).order_by(col(SlackSubscription.id))
    if user_id is not None:
        statement = statement.where(SlackSubscription.user_id == user_id)
    if channel_id is not None:
        statement = statement.where(SlackSubscription.channel_id == channel_id)
    return list(session.exec(statement))


def save_answer(
    *,
    session: Session,
    answer_id: str,
    team_id: str,
    channel_id: str,
    user_id: str,
    answer: dict[str, Any],
    thread_id: str | None = None,
    message_ts: str | None = None,
) -> SlackAnswer:
    row = SlackAnswer(
        id=answer_id,
        team_id=team_id,
        channel_id=channel_id,
        user_id=user_id,
        thread_id=thread_id,
        message_ts=message_ts,
        question=str(answer.get("question", "")),
        headline=str(answer.get("headline", "")),
        answer=answer,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def get_answer(*, session: Session, answer_id: str) -> SlackAnswer | None:
    return session.get(SlackAnswer, answer_id)


def list_recent_answers(*, session: Session, user_id: str, limit: int = 10) -> list[SlackAnswer]:
    statement = (
        select(SlackAnswer)
        .where(SlackAnswer.user_id == user_id)
        .order_by(col(SlackAnswer.created_at).desc(), col(SlackAnswer.id))
        .limit(limit)
    )
    return list(session.exec(statement))


def record_feedback(*, session: Session, answer_id: str, user_id: str, rating: int) -> AnswerFeedback:
    """Store 👍 (+1) or 👎 (-1); a user's later click on the same answer replaces the earlier one."""
    if rating not in (1, -1):
        raise ValueError(f"rating is +1 or -1, not {rating}")
    answer = session.get(SlackAnswer, answer_id)
    row = session.exec(
        select(AnswerFeedback).where(AnswerFeedback.answer_id == answer_id, AnswerFeedback.user_id == user_id)
    ).first() or AnswerFeedback(answer_id=answer_id, user_id=user_id, rating=rating, created_at=utcnow())
    row.rating, row.created_at = rating, utcnow()
    row.question = answer.question if answer is not None else ""
    session.add(row)
    session.flush()
    return row


def list_feedback(*, session: Session) -> list[AnswerFeedback]:
    return list(session.exec(select(AnswerFeedback).order_by(col(AnswerFeedback.id))))


def save_ticket_draft(
    *, session: Session, idempotency_key: str, title: str, draft: dict[str, Any], requested_by: str | None
) -> tuple[TicketDraftRow, bool]:
    """Store a draft once per idempotency key; returns the row and whether it is new."""
    existing = session.exec(select(TicketDraftRow).where(TicketDraftRow.idempotency_key == idempotency_key)).first()
    if existing is not None:
        return existing, False
    row = TicketDraftRow(
        idempotency_key=idempotency_key, title=title, draft=draft, requested_by=requested_by, created_at=utcnow()
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a concurrent submission won the race
        found = session.exec(select(TicketDraftRow).where(TicketDraftRow.idempotency_key == idempotency_key)).one()
        return found, False
    return row, True


def ticket_submission(*, session: Session, idempotency_key: str) -> dict[str, Any] | None:
    """The draft a ticket modal submitted under ``idempotency_key`` (for "Link instead" / "File anyway")."""
    row = session.exec(select(TicketDraftRow).where(TicketDraftRow.idempotency_key == idempotency_key)).first()
    return dict(row.draft) if row is not None else None


@dataclass(frozen=True)
class QualityCounts:
    classified: int
    needs_review: int
    labelled: int


def count_quality(*, session: Session, version: int | None) -> QualityCounts:
    """Classified units, those flagged for review, and human labels in taxonomy ``version``."""
    if version is None:
        return QualityCounts(0, 0, 0)
    base = select(func.count()).select_from(Classification).where(Classification.taxonomy_version == version)
    classified = int(session.exec(base).one())
    flagged = int(session.exec(base.where(col(Classification.needs_review))).one())
    labelled = int(
        session.exec(select(func.count()).select_from(ReviewLabel).where(ReviewLabel.taxonomy_version == version)).one()
    )
    return QualityCounts(classified, flagged, labelled)


def thread_has_answer(*, session: Session, thread_id: str) -> bool:
    """True when the bot already answered in this thread (so follow-ups there are for it)."""
    statement = select(SlackAnswer.id).where(SlackAnswer.thread_id == thread_id).limit(1)
    return session.exec(statement).first() is not None
