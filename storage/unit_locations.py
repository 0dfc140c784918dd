"""Where each live unit sits in its source message: what evals need to map planted truth onto units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from groundswell.storage.analytics.scope import SNAPSHOT, load_themes, snapshot_at
from groundswell.storage.db import as_utc
from groundswell.storage.models import Account, Classification, FeedbackUnit
from groundswell.storage.taxonomy import latest_version
from sqlmodel import Session, col, select

__all__ = ["UnitFacts", "UnitLocation", "list_unit_facts", "list_unit_locations"]

UnitLocation = tuple[str, str, str, str, int, int]  # id, source, external_id, message_id, char_start, char_end


def list_unit_locations(*, session: Session) -> list[UnitLocation]:
    """(id, source, external_id, message_id, char_start, char_end) of every live unit."""
    statement = select(
        FeedbackUnit.id,
        FeedbackUnit.source,
        FeedbackUnit.external_id,
        FeedbackUnit.message_id,
        FeedbackUnit.char_start,
        FeedbackUnit.char_end,
    ).where(col(FeedbackUnit.deleted_at).is_(None))
    return [tuple(row) for row in session.exec(statement)]  # type: ignore[misc]


@dataclass(frozen=True)
class UnitFacts:
    """A live unit as the analytics see it: where it sits, who said it, how it was labelled (one taxonomy)."""

    id: str
    source: str
    external_id: str
    message_id: str
    char_start: int
    char_end: int
    created_at: datetime
    speaker_role: str
    duplicate_of: str | None
    account_id: str | None  # the account's external (CRM) id
    segment: str | None  # at the time of the unit (snapshot valid at created_at)
    arr: float | None  # at the time of the unit
    theme: str | None  # parent theme name
    subtheme: str | None  # leaf theme name (the parent's name again when the unit has no subtheme)
    sentiment: str | None
    intent: str | None
    severity: str | None


def list_unit_facts(*, session: Session, version: int | None = None) -> list[UnitFacts]:
    """Every live unit with its account facts at the time and its labels in ``version`` (default: the latest)."""
    version = version if version is not None else latest_version(session=session)
    themes = load_themes(session=session, version=version)
    u, c, a = FeedbackUnit, Classification, Account
    snap = sa.alias(SNAPSHOT, "snap")
    statement = (
        sa.select(
            col(u.id),
            col(u.source),
            col(u.external_id),
            col(u.message_id),
            col(u.char_start),
            col(u.char_end),
            col(u.created_at),
            col(u.speaker_role),
            col(u.duplicate_of),
            col(a.external_id),
            snap.c.segment,
            snap.c.arr,
            col(c.theme_key),
            col(c.subtheme_key),
            col(c.sentiment),
            col(c.intent),
            col(c.severity),
        )
        .select_from(u)
        .outerjoin(c, sa.and_(col(c.unit_id) == col(u.id), col(c.taxonomy_version) == version))
        .outerjoin(snap, snap.c.id == snapshot_at(col(u.account_id), col(u.created_at)))
        .outerjoin(a, col(a.id) == col(u.account_id))
        .where(col(u.deleted_at).is_(None))
    )
    rows = []
    for *head, theme_key, subtheme_key, sentiment, intent, severity in session.execute(statement):
        leaf = themes.get(subtheme_key or theme_key or "")
        parent = (leaf.parent_name or leaf.name) if leaf else None
        name = leaf.name if leaf and leaf.parent_name else None
        rows.append(UnitFacts(*head[:6], as_utc(head[6]), *head[7:], parent, name, sentiment, intent, severity))
    return rows
