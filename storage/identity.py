"""Accounts with dated facts, people and their identifiers (deterministic links; scored matching comes later)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from groundswell.core.identity import email_domain, normalize_email, normalize_phone
from groundswell.core.models import AccountDoc, Author, PersonDoc
from groundswell.storage.db import as_utc, utcnow
from groundswell.storage.models import Account, AccountDomain, AccountSnapshot, Person, PersonIdentifier
from sqlmodel import Session, col, select

__all__ = [
    "AccountFacts",
    "IdentityCache",
    "account_for_domain",
    "account_id_for_ref",
    "author_identifiers",
    "facts_at",
    "list_account_facts",
    "person_account",
    "person_doc_identifiers",
    "resolve_author",
    "upsert_account",
    "upsert_person",
]


class IdentityCache:
    """Per-run memo of identifier → person and CRM id → account lookups (avoids a query per message)."""

    def __init__(self) -> None:
        self.people: dict[tuple[str, str], int] = {}
        self.accounts: dict[str, int | None] = {}
        self.domains: dict[str, int | None] = {}
        self.pseudonyms: set[str] = set()  # vault tokens already stored in this run


def upsert_account(*, session: Session, doc: AccountDoc) -> Account:
    """Create or update an account, its domains and its dated snapshots (idempotent)."""
    account = session.exec(select(Account).where(Account.external_id == doc.external_id)).first()
    if account is None:
        account = Account(external_id=doc.external_id, name=doc.name, created_at=as_utc(doc.created_at))
    account.name = doc.name
    if doc.parent_external_id:
        parent = session.exec(select(Account).where(Account.external_id == doc.parent_external_id)).first()
        if parent is None:  # parent exported later: create a placeholder the parent's own row will fill
            parent = Account(external_id=doc.parent_external_id, name=doc.parent_external_id, created_at=utcnow())
            session.add(parent)
            session.flush()
        account.parent_id = parent.id
    session.add(account)
    session.flush()
    for domain in {d.strip().lower() for d in doc.domains if d.strip()}:
        if session.get(AccountDomain, domain) is None:
            session.add(AccountDomain(domain=domain, account_id=account.id))
    existing = {
        as_utc(s.valid_from): s
        for s in session.exec(select(AccountSnapshot).where(AccountSnapshot.account_id == account.id))
    }
    for facts in doc.snapshots:
        valid_from = as_utc(facts.as_of)
        snapshot = existing.get(valid_from) or AccountSnapshot(account_id=account.id, valid_from=valid_from)
        for field in ("arr", "plan", "segment", "region", "renewal_date", "health", "lifecycle"):
            setattr(snapshot, field, getattr(facts, field))
        session.add(snapshot)
    session.flush()
    return account


@dataclass(frozen=True)
class AccountFacts:
    valid_from: datetime
    segment: str | None
    arr: float | None


def list_account_facts(*, session: Session) -> dict[int, list[AccountFacts]]:
    """Every account's dated facts, oldest first, for in-memory lookups over many units."""
    facts: dict[int, list[AccountFacts]] = {}
    statement = select(AccountSnapshot).order_by(AccountSnapshot.account_id, col(AccountSnapshot.valid_from))
    for row in session.exec(statement):
        facts.setdefault(row.account_id, []).append(AccountFacts(as_utc(row.valid_from), row.segment, row.arr))
    return facts


def facts_at(*, session: Session, account_id: int, moment: datetime) -> AccountSnapshot | None:
    """The account's facts as they stood at ``moment`` (the earliest known when it predates them)."""
    statement = (
        select(AccountSnapshot)
        .where(AccountSnapshot.account_id == account_id, AccountSnapshot.valid_from <= as_utc(moment))
        .order_by(col(AccountSnapshot.valid_from).desc())
    )
    found = session.exec(statement).first()
    if found is None:
        statement = select(AccountSnapshot).where(AccountSnapshot.account_id == account_id)
        found = session.exec(statement.order_by(col(AccountSnapshot.valid_from))).first()
    return found


def account_id_for_ref(*, session: Session, ref: str, cache: IdentityCache | None = None) -> int | None:
    if cache is not None and ref in cache.accounts:
        return cache.accounts[ref]
    account = session.exec(select(Account).where(Account.external_id == ref)).first()
    found = account.id if account else None
    if cache is not None:
        cache.accounts[ref] = found
    return found


def account_for_domain(*, session: Session, domain: str, cache: IdentityCache | None = None) -> int | None:
    """The account owning an email domain; free-mail domains are never in the table."""
    if cache is not None and domain in cache.domains:
        return cache.domains[domain]
    row = session.get(AccountDomain, domain)
    found = row.account_id if row else None
    if cache is not None:
        cache.domains[domain] = found
    return found


def author_identifiers(author: Author, source: str) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if author.email and (email := normalize_email(author.email)):
        keys.append(("email", email))
    if author.phone and (phone := normalize_phone(author.phone)):
        keys.append(("phone", phone))
    if author.external_id:
        keys.append(("source_user", f"{source}:{author.external_id}"))
    if author.handle:
        keys.append(("handle", f"{source}:{author.handle.lower()}"))
    return keys


#: Identifiers that name one person. Phones do not: switchboards and shared lines ring for many people,
#: so a phone is stored as evidence for the scored matcher but never links two records by itself.
LINKING_KINDS = frozenset({"email", "crm_id", "source_user", "handle"})


def _find_person(session: Session, keys: list[tuple[str, str]], cache: IdentityCache | None) -> int | None:
    keys = [key for key in keys if key[0] in LINKING_KINDS] or keys  # a phone alone is all a caller has
    for key in keys:
        if cache is not None and key in cache.people:
            return cache.people[key]
    for kind, value in keys:
        row = session.exec(
            select(PersonIdentifier).where(PersonIdentifier.kind == kind, PersonIdentifier.value == value)
        ).first()
        if row is not None:
            return row.person_id
    return None


def _attach(
    session: Session, person_id: int, keys: list[tuple[str, str]], source: str, cache: IdentityCache | None
) -> None:
    for kind, value in keys:
        if cache is not None and cache.people.get((kind, value)) == person_id:
            continue
        exists = session.exec(
            select(PersonIdentifier).where(PersonIdentifier.kind == kind, PersonIdentifier.value == value)
        ).first()
        if exists is None:
            session.add(PersonIdentifier(person_id=person_id, kind=kind, value=value, source=source))
        if cache is not None:
            cache.people[(kind, value)] = exists.person_id if exists else person_id


def _person_account(session: Session, keys: list[tuple[str, str]], cache: IdentityCache | None) -> int | None:
    for kind, value in keys:
        if kind == "email" and (domain := email_domain(value)):
            account = account_for_domain(session=session, domain=domain, cache=cache)
            if account is not None:
                return account
    return None


def resolve_author(
    *, session: Session, author: Author, source: str, account_id: int | None = None, cache: IdentityCache | None = None
) -> int | None:
    """The person behind ``author`` by exact identifiers, created when new; None when anonymous."""
    keys = author_identifiers(author, source)
    if not keys:
        return None
    person_id = _find_person(session, keys, cache)
    if person_id is None:
        person = Person(
            display_name=author.name,
            account_id=account_id or _person_account(session, keys, cache),
            created_at=utcnow(),
        )
        session.add(person)
        session.flush()
        person_id = person.id
    _attach(session, person_id, keys, source, cache)
    return person_id


def person_doc_identifiers(doc: PersonDoc) -> list[tuple[str, str]]:
    """A CRM contact's identifiers, normalised: its CRM id, emails and phones."""
    keys: list[tuple[str, str]] = [("crm_id", f"{doc.source}:{doc.external_id}")]
    keys += [("email", e) for raw in doc.emails if (e := normalize_email(raw))]
    keys += [("phone", p) for raw in doc.phones if (p := normalize_phone(raw))]
    return keys


def upsert_person(*, session: Session, doc: PersonDoc, cache: IdentityCache | None = None) -> int | None:
    """A CRM contact: one person holding all its emails, phones and its CRM id, linked to its account."""
    account_id = (
        account_id_for_ref(session=session, ref=doc.account_external_id, cache=cache)
        if doc.account_external_id
        else None
    )
    keys = person_doc_identifiers(doc)
    person_id = _find_person(session, keys, cache)
    if person_id is None:
        person = Person(display_name=doc.name, account_id=account_id, created_at=utcnow())
        session.add(person)
        session.flush()
        person_id = person.id
    else:
        person = session.get(Person, person_id)
        if person is not None and account_id and person.account_id is None:
            person.account_id = account_id
            session.add(person)
    _attach(session, person_id, keys, doc.source, cache)
    return person_id


def person_account(*, session: Session, person_id: int) -> int | None:
    person = session.get(Person, person_id)
    return person.account_id if person else None
