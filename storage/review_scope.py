"""The review queue as one reviewer sees it (their Viewer's sources, segments and accounts), and a reviewer's
decision recorded once: the same :func:`storage.review.add_review_label` record and ``review.label`` audit event the
CLI writes, so a Slack review and a CLI review are the same thing and both train the next fit."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import sqlalchemy as sa
from groundswell.core.classify.queue import queue_order
from groundswell.core.query import Viewer
from groundswell.core.segments import segment_key
from groundswell.storage.analytics.scope import current_snapshots
from groundswell.storage.audit import record_audit
from groundswell.storage.db import utcnow
from groundswell.storage.models import Account, Classification, FeedbackUnit, ReviewLabel
from groundswell.storage.review import add_review_label
from sqlmodel import Session, col, select

__all__ = ["ReviewCard", "ReviewDecision", "record_review", "review_card", "scoped_review_queue"]


@dataclass(frozen=True)
class ReviewCard:
    """One unit to review: its (redacted) text, where it came from, and its current labels with confidence."""

    unit_id: str
    text: str
    source: str
    url: str | None
    theme_key: str | None  # the leaf (sub-theme when there is one); None: other
    sentiment: str | None
    intent: str | None
    confidence: dict[str, float]
    needs_review: bool = True


@dataclass(frozen=True)
class ReviewDecision:
    """What a reviewer settled for one unit (theme None: other)."""

    unit_id: str
    version: int
    theme_key: str | None
    sentiment: str | None
    intent: str | None
    severity: str | None = None
    gold_set: str = "default"


def _permitted(statement: sa.Select, viewer: Viewer) -> sa.Select:
    """Only units the viewer may see; an empty scope sees nothing, a unit without account fails account and
    segment scopes (as the agent's tools do)."""
    if viewer.sources is not None:
        statement = statement.where(col(FeedbackUnit.source).in_(sorted(viewer.sources)))
    if viewer.accounts is not None:
        ids = select(Account.id).where(col(Account.external_id).in_(sorted(viewer.accounts)))
        statement = statement.where(col(FeedbackUnit.account_id).in_(ids))
    if viewer.segments is not None:
        now = current_snapshots(utcnow())
        keys = sorted({key for name in viewer.segments if (key := segment_key(name))})
        ids = sa.select(now.c.account_id).where(sa.func.lower(now.c.segment).in_(keys))
        statement = statement.where(col(FeedbackUnit.account_id).in_(ids))
    return statement


def _cards(session: Session, *, version: int, viewer: Viewer, where: list[sa.ColumnElement[bool]]) -> list[ReviewCard]:
    statement = (
        select(Classification, FeedbackUnit)
        .join(FeedbackUnit, col(FeedbackUnit.id) == col(Classification.unit_id))
        .where(Classification.taxonomy_version == version, col(FeedbackUnit.deleted_at).is_(None), *where)
    )
    return [
        ReviewCard(
            unit_id=unit.id,
            text=unit.text,
            source=unit.source,
            url=unit.url,
            theme_key=row.subtheme_key or row.theme_key,
            sentiment=row.sentiment,
            intent=row.intent,
            confidence={k: float(v) for k, v in (row.confidence or {}).items()},
            needs_review=row.needs_review,
        )
        for row, unit in session.exec(_permitted(statement, viewer))  # type: ignore[call-overload]
    ]


def scoped_review_queue(
    *, session: Session, version: int, viewer: Viewer, limit: int, skip: Collection[str] = ()
) -> tuple[list[ReviewCard], int]:
    """The first ``limit`` units flagged for review in ``version`` that ``viewer`` may see, in the order of
    :func:`storage.review.review_queue` (:func:`core.classify.queue.queue_order`), ``skip`` left out; and how many
    wait."""
    where = [col(Classification.needs_review)]
    if skip:
        where.append(col(Classification.unit_id).not_in(sorted(skip)))
    cards = sorted(_cards(session, version=version, viewer=viewer, where=where), key=lambda c: c.unit_id)
    order = queue_order([c.confidence for c in cards])
    return [cards[i] for i in order[:limit]], len(cards)


def review_card(*, session: Session, version: int, viewer: Viewer, unit_id: str) -> ReviewCard | None:
    """One unit's card when it is live, classified in ``version`` and within ``viewer``'s scope, else None."""
    found = _cards(session, version=version, viewer=viewer, where=[col(Classification.unit_id) == unit_id])
    return found[0] if found else None


def _latest_label(session: Session, unit_id: str, version: int) -> ReviewLabel | None:
    statement = (
        select(ReviewLabel)
        .where(ReviewLabel.unit_id == unit_id, ReviewLabel.taxonomy_version == version)
        .order_by(col(ReviewLabel.id).desc())
    )
    return session.exec(statement).first()


def record_review(*, session: Session, decision: ReviewDecision, reviewer: str, via: str) -> dict[str, object] | None:
    """Record ``decision`` as a review label plus a ``review.label`` audit event; the unit leaves the queue.

    Idempotent: when the unit's latest label in that version is already this reviewer's identical decision (a
    double click, a retried request, a resubmitted modal), nothing is written and None is returned; otherwise
    the audit event's details. Slack and `groundswell review label` both record through here."""
    d = decision
    last = _latest_label(session, d.unit_id, d.version)
    same = (reviewer, d.theme_key, d.sentiment, d.intent, d.severity, d.gold_set)
    if (
        last is not None
        and (last.reviewer, last.theme_key, last.sentiment, last.intent, last.severity, last.gold_set) == same
    ):
        return None
    add_review_label(
        session=session, unit_id=d.unit_id, version=d.version, theme_key=d.theme_key, reviewer=reviewer,
        sentiment=d.sentiment, intent=d.intent, severity=d.severity, gold_set=d.gold_set,
    )  # fmt: skip
    details: dict[str, object] = {"taxonomy_version": d.version, "theme_key": d.theme_key, "gold_set": d.gold_set}
    details |= {"sentiment": d.sentiment, "intent": d.intent, "severity": d.severity, "via": via}
    record_audit(session=session, actor=reviewer, action="review.label", target=d.unit_id, details=details)
    return details
