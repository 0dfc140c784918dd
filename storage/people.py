"""People as the redactor sees them: the display names the identity graph knows."""

from __future__ import annotations

from groundswell.storage.models import Person
from sqlmodel import Session, col, select

__all__ = ["list_person_names"]


def list_person_names(*, session: Session, limit: int = 20_000) -> list[str]:
    """Distinct, non-blank display names of known people (most recently created first), at most ``limit``."""
    rows = session.exec(
        select(Person.display_name)
        .where(col(Person.display_name).is_not(None))
        .order_by(col(Person.created_at).desc(), col(Person.id).desc())
    )
    names: dict[str, None] = {}
    for name in rows:
        cleaned = " ".join((name or "").split())
        if cleaned:
            names.setdefault(cleaned, None)
            if len(names) >= limit:
                break
    return list(names)
