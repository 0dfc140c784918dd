"""Forget a person (deletion on request): everything keyed by them is deleted, copies elsewhere redacted.

Deleted: the person rows and identifiers (following merges), their merge history and constraints, every raw
record (all versions) they wrote in or that carries one of their emails, the units of those records with their
classifications and review labels, rejected copies of those records, and the vault entries of the pseudonyms
that stood for them. Then every other text/JSON column is scrubbed (``storage.scrub``). Returns the identifiers
to suppress and the unit ids whose vectors the caller removes from the index.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from groundswell.core.errors import ConfigurationError
from groundswell.core.identity import normalize_email, normalize_phone
from groundswell.core.privacy import Vault
from groundswell.storage.erase import delete_records, delete_rows, delete_tokens, delete_units, unused_tokens
from groundswell.storage.identity import LINKING_KINDS
from groundswell.storage.models import (
    FeedbackUnit,
    IdentityConstraint,
    IdentityEvent,
    Person,
    PersonIdentifier,
    PseudonymEntry,
    RawRecordRow,
)
from groundswell.storage.remote_redaction import filed_texts
from groundswell.storage.scrub import Scrubber, scrub_tables
from groundswell.storage.suppression import record_key
from sqlalchemy import Text, cast, func, or_, tuple_, update
from sqlmodel import Session, col, select

__all__ = ["ForgetOutcome", "ForgetRequest", "forget_person"]

#: Tables this module deletes from by key; the scrubber leaves them alone (and the receipts, which hold no PII).
#: Rejected records are deleted by key and then scrubbed too: one that never made a unit may still carry them.
_HANDLED = frozenset(
    {
        "person",
        "person_identifier",
        "identity_event",
        "identity_constraint",
        "raw_record",
        "feedback_unit",
        "classification",
        "review_label",
        "pseudonym",
        "suppression_entry",
        "erasure_receipt",
        "remote_redaction",
    }
)
_MIN_NEEDLE = 5  # shorter names/values are too common to redact everywhere by value


@dataclass(frozen=True)
class ForgetRequest:
    emails: tuple[str, ...] = ()
    external_ids: tuple[str, ...] = ()  # an identifier value: "zendesk:12345", a CRM id, or the bare id
    person_ids: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.emails or self.external_ids or self.person_ids)


@dataclass
class ForgetOutcome:
    counts: Counter[str] = field(default_factory=Counter)
    people: list[int] = field(default_factory=list)
    unit_ids: list[str] = field(default_factory=list)
    needles: list[str] = field(default_factory=list)  # their values, for stores outside the database
    suppress: list[tuple[str, str]] = field(default_factory=list)  # (kind, value) to put on the list
    tickets: list[int] = field(default_factory=list)  # filed tracker tickets whose text was redacted


def _people(session: Session, request: ForgetRequest) -> set[int]:
    people = set(request.person_ids)
    emails = [e for raw in request.emails if (e := normalize_email(raw))]
    ids = list(request.external_ids)
    conditions = []
    if emails:
        conditions.append(col(PersonIdentifier.value).in_(emails) & (PersonIdentifier.kind == "email"))
    for external in ids:
        if ":" not in external:  # a bare id must name one person: the same id in two sources is two people
            owners = set(
                session.exec(
                    select(PersonIdentifier.person_id).where(col(PersonIdentifier.value).endswith(f":{external}"))
                )
            )
            if len(owners) > 1:
                raise ConfigurationError(f"id {external!r} names {len(owners)} people: give it as SOURCE:ID")
        conditions.append((PersonIdentifier.value == external) | col(PersonIdentifier.value).endswith(f":{external}"))
    if conditions:
        people |= set(session.exec(select(PersonIdentifier.person_id).where(or_(*conditions))))
    while True:  # people merged into them (or they into someone) are the same person
        events = session.exec(
            select(IdentityEvent).where(
                IdentityEvent.subject_kind == "person",
                or_(col(IdentityEvent.winner_id).in_(people), col(IdentityEvent.loser_id).in_(people)),
            )
        ).all()
        merged = [e for e in events if e.action == "merge" and e.undone_at is None]  # an undone merge: two people
        more = {i for e in merged for i in (e.winner_id, e.loser_id) if i is not None}
        if more <= people:
            return people
        people |= more


def _records(session: Session, people: set[int], emails: list[str]) -> set[tuple[str, str]]:
    """(source, external_id) of every record they wrote in, or that carries one of their emails."""
    pairs = set(
        session.exec(
            select(FeedbackUnit.source, FeedbackUnit.external_id).where(col(FeedbackUnit.person_id).in_(people))
        ).all()
    )
    if emails:
        payload = func.lower(cast(RawRecordRow.payload, Text))
        found = select(RawRecordRow.source, RawRecordRow.external_id).where(
            or_(*[payload.contains(e, autoescape=True) for e in emails])
        )
        pairs |= set(session.exec(found).all())
    return {(s, e) for s, e in pairs}


def _stands_for_them(original: str, needles: list[str], phones: set[str]) -> bool:
    lowered = original.lower()
    if any(needle.lower() in lowered for needle in needles):
        return True
    phone = normalize_phone(original) if any(ch.isdigit() for ch in original) else None
    return phone is not None and phone in phones


def _vault_tokens(
    session: Session,
    units: list[FeedbackUnit],
    people: set[int],
    needles: list[str],
    phones: set[str],
    vault: Vault | None,
) -> set[str]:
    """Pseudonyms standing for them: linked to the person, or whose original carries one of their values, or
    used only in the units being deleted."""
    tokens = set(session.exec(select(PseudonymEntry.token).where(col(PseudonymEntry.person_id).in_(people))))
    if vault is not None and (needles or phones):
        for entry in session.exec(select(PseudonymEntry).where(col(PseudonymEntry.ciphertext).is_not(None))):
            if _stands_for_them(vault.decrypt(entry.ciphertext or b""), needles, phones):
                tokens.add(entry.token)
    tokens |= unused_tokens(session, units, known=tokens)
    return tokens


def forget_person(*, session: Session, request: ForgetRequest, vault: Vault | None = None) -> ForgetOutcome:
    """Delete and redact everything of the person ``request`` names; see the module docstring."""
    outcome = ForgetOutcome()
    people = _people(session, request)
    identifiers = session.exec(select(PersonIdentifier).where(col(PersonIdentifier.person_id).in_(people))).all()
    names = [p.display_name for p in session.exec(select(Person).where(col(Person.id).in_(people))) if p.display_name]
    emails = sorted(
        {
            *(e for raw in request.emails if (e := normalize_email(raw))),
            *(i.value for i in identifiers if i.kind == "email"),
        }
    )
    # phones are shared lines (see storage.identity.LINKING_KINDS): suppressing one would drop other people
    linking = [(i.kind, i.value) for i in identifiers if i.kind in LINKING_KINDS]
    outcome.suppress = sorted({*(("email", e) for e in emails), *linking})
    pairs = _records(session, people, emails)
    outcome.suppress += [record_key(s, e) for s, e in sorted(pairs)]
    pair_cond = tuple_(FeedbackUnit.source, FeedbackUnit.external_id).in_(pairs) if pairs else None
    unit_cond = or_(col(FeedbackUnit.person_id).in_(people), *([pair_cond] if pair_cond is not None else []))
    units = list(session.exec(select(FeedbackUnit).where(unit_cond)))
    unit_ids = [u.id for u in units]
    values = [i.value.split(":", 1)[-1] if i.kind != "email" else i.value for i in identifiers]
    needles = [n for n in {*emails, *values, *names, *request.external_ids} if len(n) >= _MIN_NEEDLE]
    phones = {i.value for i in identifiers if i.kind == "phone"}
    tokens = _vault_tokens(session, units, people, needles, phones, vault)

    counts = outcome.counts
    counts.update(delete_units(session, unit_ids))
    counts.update(delete_records(session, pairs))
    counts["pseudonym"] = delete_tokens(session, tokens)
    if people:
        counts["identity_event"] = delete_rows(
            session,
            IdentityEvent,
            (IdentityEvent.subject_kind == "person")
            & or_(col(IdentityEvent.winner_id).in_(people), col(IdentityEvent.loser_id).in_(people)),
        )
        counts["identity_constraint"] = delete_rows(
            session,
            IdentityConstraint,
            or_(col(IdentityConstraint.person_a).in_(people), col(IdentityConstraint.person_b).in_(people)),
        )
        counts["person_identifier"] = delete_rows(
            session, PersonIdentifier, col(PersonIdentifier.person_id).in_(people)
        )
        session.execute(update(FeedbackUnit).where(col(FeedbackUnit.person_id).in_(people)).values(person_id=None))
        counts["person"] = delete_rows(session, Person, col(Person.id).in_(people))
    session.flush()
    filed = filed_texts(session)
    scrubbed = scrub_tables(session=session, scrubber=Scrubber(needles, unit_ids), skip=_HANDLED)
    counts.update({f"scrubbed.{table}": n for table, n in scrubbed.items()})
    outcome.tickets = sorted(i for i, text in filed_texts(session, filed).items() if text != filed[i])
    outcome.people, outcome.unit_ids, outcome.needles = sorted(people), unit_ids, sorted(needles)
    return outcome
