"""Where each live unit sits in its source message: what evals need to map planted truth onto units."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import FeedbackUnit

__all__ = ["UnitLocation", "list_unit_locations"]

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
