"""Reversible person merges with evidence, human constraints (keep apart / same) and the identity audit trail.

A merge moves the loser's identifiers, feedback units and vault pseudonyms to the winner and records exactly
what moved in the event's evidence; the loser's row stays (with nothing pointing at it) so ``unmerge`` can hand
everything back. People who lost an active merge are "merged away": not live, skipped by resolution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from groundswell.core.errors import StorageError
from groundswell.storage.audit import record_audit
from groundswell.storage.db import utcnow
from groundswell.storage.models import (
    FeedbackUnit,
    IdentityConstraint,
    IdentityEvent,
    Person,
    PersonIdentifier,
)
from groundswell.storage.models import PseudonymEntry as Pseudonym
from sqlalchemy import or_, update
from sqlmodel import Session, col, delete, select

__all__ = [
    "KEEP_APART",
    "SAME",
    "Holdings",
    "add_constraint",
    "add_keep_apart",
    "link_person_account",
    "link_unit_accounts",
    "list_constraints",
    "list_identity_events",
    "load_holdings",
    "merge_people",
    "merged_away_ids",
    "record_audit",
    "unmerge",
]

KEEP_APART = "keep_apart"
SAME = "same"
_CHUNK = 500


@dataclass
class Holdings:
    """What points at one person: identifier ids, unit ids with their current account, vault tokens."""

    identifiers: list[int] = field(default_factory=list)
    units: dict[str, int | None] = field(default_factory=dict)
    pseudonyms: list[str] = field(default_factory=list)


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def load_holdings(*, session: Session, person_ids: Iterable[int]) -> dict[int, Holdings]:
    """Identifiers, units and pseudonyms of many people in a few queries (chunked ``IN`` lists)."""
    ids = sorted(set(person_ids))
    found: dict[int, Holdings] = {pid: Holdings() for pid in ids}
    for chunk in _chunks(ids):
        for ident_id, pid in session.exec(
            select(PersonIdentifier.id, PersonIdentifier.person_id).where(col(PersonIdentifier.person_id).in_(chunk))
        ):
            found[pid].identifiers.append(int(ident_id))  # type: ignore[arg-type]
        for unit_id, pid, account in session.exec(
            select(FeedbackUnit.id, FeedbackUnit.person_id, FeedbackUnit.account_id).where(
                col(FeedbackUnit.person_id).in_(chunk)
            )
        ):
            found[int(pid)].units[unit_id] = account  # type: ignore[arg-type]
        for token, pid in session.exec(
            select(Pseudonym.token, Pseudonym.person_id).where(col(Pseudonym.person_id).in_(chunk))
        ):
            found[int(pid)].pseudonyms.append(token)  # type: ignore[arg-type]
    return found


def _move(session: Session, holdings: Holdings, person_id: int, unit_accounts: dict[str, int | None]) -> None:
    """Point identifiers, units and pseudonyms at ``person_id``; units get the given account per unit id."""
    for chunk in _chunks(holdings.identifiers):
        session.exec(update(PersonIdentifier).where(col(PersonIdentifier.id).in_(chunk)).values(person_id=person_id))
    for chunk in _chunks(holdings.pseudonyms):
        session.exec(update(Pseudonym).where(col(Pseudonym.token).in_(chunk)).values(person_id=person_id))
    by_account: dict[int | None, list[str]] = {}
    for unit_id in holdings.units:
        by_account.setdefault(unit_accounts[unit_id], []).append(unit_id)
    for account, unit_ids in by_account.items():
        for chunk in _chunks(sorted(unit_ids)):
            session.exec(
                update(FeedbackUnit)
                .where(col(FeedbackUnit.id).in_(chunk))
                .values(person_id=person_id, account_id=account)
            )


def merge_people(
    *,
    session: Session,
    winner_id: int,
    loser_id: int,
    confidence: float,
    evidence: dict[str, Any],
    actor: str,
    holdings: Holdings | None = None,
) -> IdentityEvent:
    """Move everything of ``loser_id`` to ``winner_id`` and record it; the winner takes the loser's account
    (and name) only when it has none. ``holdings`` may be preloaded with :func:`load_holdings`."""
    if winner_id == loser_id:
        raise StorageError("cannot merge a person with itself")
    winner, loser = session.get(Person, winner_id), session.get(Person, loser_id)
    if winner is None or loser is None:
        raise StorageError(f"unknown person: {winner_id if winner is None else loser_id}")
    gone = select(IdentityEvent.id).where(
        IdentityEvent.action == "merge",
        col(IdentityEvent.undone_at).is_(None),
        col(IdentityEvent.loser_id).in_([winner_id, loser_id]),
    )
    if session.exec(gone).first() is not None:
        raise StorageError("one of these people was already merged into another; merge the survivor instead")
    moved = holdings if holdings is not None else load_holdings(session=session, person_ids=[loser_id])[loser_id]
    winner_before = {"account_id": winner.account_id, "display_name": winner.display_name}
    if winner.account_id is None and loser.account_id is not None:
        winner.account_id = loser.account_id
    if not winner.display_name and loser.display_name:
        winner.display_name = loser.display_name
    session.add(winner)
    target_account = winner.account_id
    _move(session, moved, winner_id, {uid: target_account or prev for uid, prev in moved.units.items()})
    event = IdentityEvent(
        action="merge",
        winner_id=winner_id,
        loser_id=loser_id,
        confidence=confidence,
        evidence={
            **evidence,
            "identifiers": sorted(moved.identifiers),
            "units": dict(sorted(moved.units.items())),  # unit id -> its account before the merge
            "pseudonyms": sorted(moved.pseudonyms),
            "winner_before": winner_before,
        },
        actor=actor,
        created_at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def unmerge(*, session: Session, event_id: int, actor: str) -> IdentityEvent:
    """Undo a merge exactly (identifiers, units with their accounts, pseudonyms, the winner's own fields),
    mark the event undone and keep the two apart from now on. Returns the new ``split`` event."""
    event = session.get(IdentityEvent, event_id)
    if event is None or event.action != "merge":
        raise StorageError(f"no merge event {event_id}")
    if event.undone_at is not None:
        raise StorageError(f"merge {event_id} was already undone by {event.undone_by}")
    winner_id, loser_id = int(event.winner_id or 0), int(event.loser_id or 0)
    evidence = event.evidence or {}
    units: dict[str, int | None] = dict(evidence.get("units", {}))
    holdings = Holdings(list(evidence.get("identifiers", [])), units, list(evidence.get("pseudonyms", [])))
    _move(session, holdings, loser_id, units)
    winner = session.get(Person, winner_id)
    before = evidence.get("winner_before", {})
    if winner is not None and before:
        winner.account_id, winner.display_name = before.get("account_id"), before.get("display_name")
        session.add(winner)
    now = utcnow()
    event.undone_at, event.undone_by = now, actor
    session.add(event)
    add_keep_apart(session=session, person_a=winner_id, person_b=loser_id, actor=actor)
    split = IdentityEvent(
        action="split",
        winner_id=winner_id,
        loser_id=loser_id,
        confidence=1.0,
        evidence={"undoes": event_id, "identifiers": holdings.identifiers, "units": sorted(units)},
        actor=actor,
        created_at=now,
    )
    session.add(split)
    session.flush()
    return split


def merged_away_ids(*, session: Session) -> set[int]:
    """People who lost a merge that is still in force."""
    statement = select(IdentityEvent.loser_id).where(
        IdentityEvent.action == "merge", IdentityEvent.subject_kind == "person", col(IdentityEvent.undone_at).is_(None)
    )
    return {int(pid) for pid in session.exec(statement) if pid is not None}


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def add_constraint(*, session: Session, person_a: int, person_b: int, kind: str, actor: str) -> IdentityConstraint:
    """Record a human decision about two people; the opposite decision about the same pair is withdrawn."""
    if kind not in (KEEP_APART, SAME):
        raise StorageError(f"unknown constraint kind {kind!r}")
    a, b = _ordered(person_a, person_b)
    opposite = SAME if kind == KEEP_APART else KEEP_APART
    pair = (IdentityConstraint.person_a == a, IdentityConstraint.person_b == b)
    session.exec(delete(IdentityConstraint).where(*pair, IdentityConstraint.kind == opposite))  # type: ignore[call-overload]
    existing = session.exec(select(IdentityConstraint).where(*pair, IdentityConstraint.kind == kind)).first()
    if existing is not None:
        return existing
    row = IdentityConstraint(person_a=a, person_b=b, kind=kind, actor=actor, created_at=utcnow())
    session.add(row)
    session.flush()
    return row


def add_keep_apart(*, session: Session, person_a: int, person_b: int, actor: str) -> IdentityConstraint:
    return add_constraint(session=session, person_a=person_a, person_b=person_b, kind=KEEP_APART, actor=actor)


def list_constraints(*, session: Session, kind: str | None = None) -> list[IdentityConstraint]:
    statement = select(IdentityConstraint).order_by(col(IdentityConstraint.id))
    if kind is not None:
        statement = statement.where(IdentityConstraint.kind == kind)
    return list(session.exec(statement))


def list_identity_events(*, session: Session, person_id: int | None = None, limit: int = 50) -> list[IdentityEvent]:
    """Newest first; with ``person_id``, only events naming that person as winner or loser."""
    statement = select(IdentityEvent).order_by(col(IdentityEvent.id).desc()).limit(limit)
    if person_id is not None:
        statement = statement.where(or_(IdentityEvent.winner_id == person_id, IdentityEvent.loser_id == person_id))
    return list(session.exec(statement))


def _account_event(session: Session, subject_kind: str, person_id: int, evidence: dict[str, Any]) -> None:
    session.add(
        IdentityEvent(
            action="link_account",
            subject_kind=subject_kind,
            winner_id=person_id,
            confidence=1.0,
            evidence=evidence,
            actor="system",
            created_at=utcnow(),
        )
    )


def link_person_account(*, session: Session, person_id: int, account_id: int, domain: str) -> None:
    """Give an account-less person the account owning its email domain (a ``link_account`` event)."""
    session.exec(update(Person).where(col(Person.id) == person_id).values(account_id=account_id))
    evidence = {"account_id": account_id, "previous_account_id": None, "domain": domain}
    _account_event(session, "person", person_id, evidence)


def link_unit_accounts(*, session: Session, person_id: int, account_id: int, units: dict[str, int | None]) -> None:
    """Set the account of a person's units (unit id → previous account, kept in the ``link_account`` event)."""
    ids = sorted(units)
    for chunk in _chunks(ids):
        session.exec(update(FeedbackUnit).where(col(FeedbackUnit.id).in_(chunk)).values(account_id=account_id))
    _account_event(session, "unit", person_id, {"account_id": account_id, "units": dict(sorted(units.items()))})
