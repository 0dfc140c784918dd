"""Hard deletion of units and raw records with everything keyed by them (shared by forget and retention)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from typing import Any, TypeVar

from groundswell.core.privacy.reveal import TOKEN
from groundswell.storage.models import (
    Classification,
    FeedbackUnit,
    PseudonymEntry,
    RawRecordRow,
    RejectedRecord,
    ReviewLabel,
)
from sqlalchemy import delete, tuple_, update
from sqlmodel import Session, col, select

__all__ = ["delete_records", "delete_rows", "delete_tokens", "delete_units", "unused_tokens"]

_T = TypeVar("_T")
_CHUNK = 500


def _chunks(items: Collection[_T]) -> Iterator[list[_T]]:
    ordered = sorted(items)  # type: ignore[type-var]
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def delete_rows(session: Session, model: type, condition: Any) -> int:
    return int(session.execute(delete(model).where(condition)).rowcount or 0)  # type: ignore[arg-type]


def delete_units(session: Session, unit_ids: Collection[str]) -> Counter[str]:
    """Units with their classifications and review labels; duplicates pointing at them are unlinked."""
    counts: Counter[str] = Counter()
    for chunk in _chunks(unit_ids):
        counts["classification"] += delete_rows(session, Classification, col(Classification.unit_id).in_(chunk))
        counts["review_label"] += delete_rows(session, ReviewLabel, col(ReviewLabel.unit_id).in_(chunk))
        session.execute(update(FeedbackUnit).where(col(FeedbackUnit.duplicate_of).in_(chunk)).values(duplicate_of=None))
        counts["feedback_unit"] += delete_rows(session, FeedbackUnit, col(FeedbackUnit.id).in_(chunk))
    return counts


def delete_records(session: Session, pairs: Collection[tuple[str, str]]) -> Counter[str]:
    """Every stored version of each (source, external_id) record, and its rejected copies (units go first)."""
    counts: Counter[str] = Counter()
    for chunk in _chunks(pairs):
        counts["raw_record"] += delete_rows(
            session, RawRecordRow, tuple_(RawRecordRow.source, RawRecordRow.external_id).in_(chunk)
        )
        counts["rejected_record"] += delete_rows(
            session, RejectedRecord, tuple_(RejectedRecord.source, RejectedRecord.external_id).in_(chunk)
        )
    return counts


def unused_tokens(session: Session, units: Sequence[FeedbackUnit], known: Collection[str] = ()) -> set[str]:
    """Pseudonyms in ``units`` used by no other unit (their vault entries can go with them); ``known`` skipped."""
    gone = [u.id for u in units]
    own = {t for u in units for t in TOKEN.findall(f"{u.text} {u.context}")} - set(known)
    unused = set()
    for token in own:
        elsewhere = select(FeedbackUnit.id).where(col(FeedbackUnit.text).contains(token, autoescape=True))
        others = [uid for uid in session.exec(elsewhere.limit(len(gone) + 1)) if uid not in set(gone)]
        if not others:
            unused.add(token)
    return unused


def delete_tokens(session: Session, tokens: Collection[str]) -> int:
    return sum(delete_rows(session, PseudonymEntry, col(PseudonymEntry.token).in_(c)) for c in _chunks(tokens))
