"""Read side of identity: live people with identifiers, account context, lookups and event summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from groundswell.core.errors import StorageError
from groundswell.storage.db import as_utc
from groundswell.storage.identity_events import list_identity_events, merged_away_ids
from groundswell.storage.models import Account, AccountDomain, FeedbackUnit, IdentityEvent, Person, PersonIdentifier
from sqlalchemy import func
from sqlmodel import Session, col, select

__all__ = [
    "AccountContext",
    "PersonInfo",
    "account_context",
    "event_summary",
    "find_people",
    "identifier_holders",
    "live_alias",
    "load_people",
    "person_account_refs",
    "person_profile",
    "units_without_account",
]


@dataclass
class PersonInfo:
    """A live person with everything resolution looks at."""

    id: int
    name: str | None
    account_id: int | None
    created_at: datetime
    identifiers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def crm_backed(self) -> bool:
        return any(kind == "crm_id" for kind, _ in self.identifiers)

    def values(self, kind: str) -> list[str]:
        return sorted(value for k, value in self.identifiers if k == kind)


def load_people(*, session: Session) -> dict[int, PersonInfo]:
    """Every live person (not erased, not merged away) with its identifiers, in three queries."""
    gone = merged_away_ids(session=session)
    statement = select(Person.id, Person.display_name, Person.account_id, Person.created_at).where(
        col(Person.erased_at).is_(None)
    )
    people = {
        int(pid): PersonInfo(int(pid), name, account, as_utc(created))  # type: ignore[arg-type]
        for pid, name, account, created in session.exec(statement)
        if pid not in gone
    }
    for pid, kind, value in session.exec(
        select(PersonIdentifier.person_id, PersonIdentifier.kind, PersonIdentifier.value)
    ):
        if pid in people:
            people[pid].identifiers.append((kind, value))
    return people


@dataclass(frozen=True)
class AccountContext:
    domains: dict[str, int]  # domain -> account
    names: dict[int, str]  # account -> name
    first_domain: dict[int, str]  # account -> its alphabetically first domain


def account_context(*, session: Session) -> AccountContext:
    domains = {d: int(a) for d, a in session.exec(select(AccountDomain.domain, AccountDomain.account_id))}
    names = {int(aid): name for aid, name in session.exec(select(Account.id, Account.name))}  # type: ignore[arg-type]
    first: dict[int, str] = {}
    for domain, account in sorted(domains.items()):
        first.setdefault(account, domain)
    return AccountContext(domains, names, first)


def live_alias(*, session: Session) -> dict[int, int]:
    """Merged-away person → the live person that now holds it (chains followed)."""
    statement = select(IdentityEvent.loser_id, IdentityEvent.winner_id).where(
        IdentityEvent.action == "merge", col(IdentityEvent.undone_at).is_(None)
    )
    parent = {int(loser): int(winner) for loser, winner in session.exec(statement) if loser and winner}

    def live(x: int) -> int:
        seen: set[int] = set()
        while x in parent and x not in seen:
            seen.add(x)
            x = parent[x]
        return x

    return {loser: live(loser) for loser in parent}


def units_without_account(*, session: Session) -> list[tuple[str, int]]:
    """(unit id, person id) of live units that have a person but no account."""
    statement = select(FeedbackUnit.id, FeedbackUnit.person_id).where(
        col(FeedbackUnit.person_id).is_not(None),
        col(FeedbackUnit.account_id).is_(None),
        col(FeedbackUnit.deleted_at).is_(None),
    )
    return [(uid, int(pid)) for uid, pid in session.exec(statement)]  # type: ignore[arg-type]


def identifier_holders(*, session: Session) -> dict[tuple[str, str], int]:
    """(kind, value) → the person holding that identifier."""
    statement = select(PersonIdentifier.kind, PersonIdentifier.value, PersonIdentifier.person_id)
    return {(kind, value): int(pid) for kind, value, pid in session.exec(statement)}


def person_account_refs(*, session: Session) -> dict[int, str | None]:
    """Person id → the external (CRM) id of its account, None when it has none."""
    refs = dict(session.exec(select(Account.id, Account.external_id)).all())
    return {int(pid): refs.get(aid) for pid, aid in session.exec(select(Person.id, Person.account_id))}  # type: ignore[arg-type]


def find_people(*, session: Session, text: str, limit: int = 20) -> list[int]:
    """Ids of live people whose name or any identifier contains ``text`` (case-insensitive), lowest id first."""
    needle = f"%{text.strip().lower()}%"
    by_name = select(Person.id).where(func.lower(Person.display_name).like(needle))
    by_identifier = select(PersonIdentifier.person_id).where(func.lower(PersonIdentifier.value).like(needle))
    found = {int(pid) for pid in session.exec(by_name)} | {int(pid) for pid in session.exec(by_identifier)}  # type: ignore[arg-type]
    return sorted(found - merged_away_ids(session=session))[:limit]


def person_profile(*, session: Session, person_id: int, history: int = 5) -> dict[str, Any]:
    """A person, its identifiers, its account and its recent identity events, as plain data."""
    person = session.get(Person, person_id)
    if person is None:
        raise StorageError(f"no person {person_id}")
    account = session.get(Account, person.account_id) if person.account_id else None
    identifiers = session.exec(
        select(PersonIdentifier).where(PersonIdentifier.person_id == person_id).order_by(col(PersonIdentifier.id))
    )
    return {
        "id": person.id,
        "name": person.display_name,
        "account": {"id": account.id, "name": account.name, "external_id": account.external_id} if account else None,
        "identifiers": [{"id": i.id, "kind": i.kind, "value": i.value, "source": i.source} for i in identifiers],
        "history": [
            event_summary(e) for e in list_identity_events(session=session, person_id=person_id, limit=history)
        ],
    }


def event_summary(event: IdentityEvent) -> dict[str, Any]:
    """One event as plain data with a short evidence summary (rule, fields that agreed, what moved)."""
    evidence = event.evidence or {}
    fields = evidence.get("fields", {})
    return {
        "id": event.id,
        "action": event.action,
        "subject": event.subject_kind,
        "winner_id": event.winner_id,
        "loser_id": event.loser_id,
        "confidence": round(event.confidence, 4),
        "actor": event.actor,
        "created_at": event.created_at,
        "undone_at": event.undone_at,
        "undone_by": event.undone_by,
        "rule": evidence.get("rule"),
        "agreeing_fields": sorted(name for name, f in fields.items() if f.get("level", 0) >= 1),
        "identifiers_moved": len(evidence.get("identifiers", [])),
        "units_moved": len(evidence.get("units", {})),
        "account_id": evidence.get("account_id"),
        "undoes": evidence.get("undoes"),
    }
