"""Post-ingest identity resolution: scored person matching → audited, reversible merges; account links by domain.

The exact-identifier links made during ingest leave one person per disjoint set of identifiers; this pass
finds the same human behind several of them (work and personal email, name typos across sources) with
:func:`core.matching.match_people`, and merges each cluster into one winner (CRM-backed first, then oldest).
Every merge is an ``IdentityEvent`` with its evidence; human constraints are respected: a ``keep_apart`` pair
never ends up in one cluster, and resolution only ever merges, so a human ``same`` is never split.
"""

from __future__ import annotations

from collections import defaultdict
from time import perf_counter
from typing import Any

from groundswell.core.errors import StorageError
from groundswell.core.identity import email_domain
from groundswell.core.matching import MatchPair, PersonRecord, match_people
from groundswell.storage.db import Engine, Session, session_scope
from groundswell.storage.identity_events import (
    KEEP_APART,
    SAME,
    add_constraint,
    link_person_account,
    link_unit_accounts,
    list_constraints,
    load_holdings,
    merge_people,
    record_audit,
    unmerge,
)
from groundswell.storage.identity_reads import (
    PersonInfo,
    account_context,
    live_alias,
    load_people,
    units_without_account,
)
from groundswell.storage.models import IdentityEvent

__all__ = ["corroborated", "merge_by_hand", "person_records", "resolve_identities", "unmerge_by_hand"]


def person_records(
    people: dict[int, PersonInfo], account_names: dict[int, str], account_domains: dict[int, str]
) -> tuple[list[PersonRecord], dict[str, int]]:
    """One record per (person, email) — or one per person without email — and rec id → person id.

    A person with no name and no email or phone carries nothing to compare and gets no record."""
    records: list[PersonRecord] = []
    owner: dict[str, int] = {}
    for person in people.values():
        emails, phones = person.values("email"), person.values("phone")
        if not (person.name or emails or phones):
            continue
        company = account_names.get(person.account_id) if person.account_id else None
        # the account is the company: its domain, or a stand-in for an account without one (so two people of one
        # account agree on company even when one's email domain is unknown to the CRM)
        domain = (
            account_domains.get(person.account_id, f"account-{person.account_id}.invalid")
            if person.account_id
            else None
        )
        for k, email in enumerate(emails or [None]):  # type: ignore[list-item]
            rec_id = f"{person.id}:{k}"
            owner[rec_id] = person.id
            records.append(
                PersonRecord(
                    rec_id=rec_id,
                    full_name=person.name,
                    email=email,
                    phone=phones[0] if phones else None,
                    company=company,
                    domain=domain,
                )
            )
    return records, owner


class _Components:
    """Union-find over people that refuses to join two groups holding a keep-apart pair."""

    def __init__(self, keep_apart: dict[int, set[int]]) -> None:
        self.keep_apart = keep_apart
        self.members: dict[int, set[int]] = {}
        self.root: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.members.setdefault(x, {x})
        while self.root.get(x, x) != x:
            x = self.root[x]
        return x

    def join(self, a: int, b: int) -> bool | None:
        """True when joined, False when blocked by a constraint, None when already together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        small, large = sorted((ra, rb), key=lambda r: len(self.members[r]))
        if any(self.keep_apart.get(m, set()) & self.members[large] for m in self.members[small]):
            return False
        self.root[small] = large
        self.members[large] |= self.members.pop(small)
        return True

    def groups(self) -> list[set[int]]:
        return [m for m in self.members.values() if len(m) > 1]


#: Fields that can corroborate a name match; two people who share only a name are never merged by the pass.
_CORROBORATING = ("email", "phone", "company", "external_id", "street", "postcode", "dob")


def corroborated(pair: MatchPair) -> bool:
    """True when the pair rests on an identifier, or on agreement beyond names (name pools collide) with no
    company disagreement (same name at two different companies is two people far more often than a job change)."""
    if pair.evidence.get("rule", "probabilistic") != "probabilistic":
        return True
    fields = pair.evidence.get("fields", {})
    if fields.get("company", {}).get("level", -1) == 0:  # both companies known and different
        return False
    return any(fields.get(name, {}).get("level", 0) >= 1 for name in _CORROBORATING)


def _person_pairs(result_pairs: list[MatchPair], clusters: list[tuple[str, ...]], owner: dict[str, int]) -> list[Any]:
    """Strongest record pair per person pair, kept only when the guarded clustering put both records together."""
    cluster_of = {rec: i for i, group in enumerate(clusters) for rec in group}
    best: dict[tuple[int, int], MatchPair] = {}
    for pair in result_pairs:
        pa, pb = owner[pair.a], owner[pair.b]
        if pa == pb or cluster_of.get(pair.a, -1) != cluster_of.get(pair.b, -2) or not corroborated(pair):
            continue
        key = (min(pa, pb), max(pa, pb))
        if key not in best or pair.confidence > best[key].confidence:
            best[key] = pair
    return sorted(best.items(), key=lambda item: (-item[1].confidence, item[0]))


def _winner(people: dict[int, PersonInfo], group: set[int]) -> int:
    return min(group, key=lambda pid: (not people[pid].crm_backed, people[pid].created_at, pid))


def _merge_clusters(session: Session, people: dict[int, PersonInfo], *, threshold: float) -> dict[str, int]:
    accounts = account_context(session=session)
    records, owner = person_records(people, accounts.names, accounts.first_domain)
    result = match_people(records, threshold=threshold)
    alias = live_alias(session=session)
    keep_apart: dict[int, set[int]] = defaultdict(set)
    comps = _Components(keep_apart)
    for row in list_constraints(session=session):
        a, b = alias.get(row.person_a, row.person_a), alias.get(row.person_b, row.person_b)
        if a == b or a not in people or b not in people:
            continue
        if row.kind == KEEP_APART:
            keep_apart[a].add(b)
            keep_apart[b].add(a)
    links: dict[int, list[tuple[float, int, dict[str, Any]]]] = defaultdict(list)
    for row in list_constraints(session=session, kind=SAME):
        a, b = alias.get(row.person_a, row.person_a), alias.get(row.person_b, row.person_b)
        if a != b and a in people and b in people and comps.join(a, b):
            evidence = {"rule": "human_same", "constraint": row.id, "actor": row.actor}
            links[a].append((1.0, b, evidence))
            links[b].append((1.0, a, evidence))
    candidates = _person_pairs(result.pairs, result.clusters, owner)
    blocked = 0
    for (a, b), pair in candidates:
        joined = comps.join(a, b)
        blocked += joined is False
        if joined:
            evidence = {"pair": [pair.a, pair.b], **pair.evidence}
            links[a].append((pair.confidence, b, evidence))
            links[b].append((pair.confidence, a, evidence))
    merges = [(_winner(people, group), group) for group in comps.groups()]
    losers = [pid for winner, group in merges for pid in sorted(group - {winner})]
    holdings = load_holdings(session=session, person_ids=losers)
    for winner, group in merges:
        for loser in sorted(group - {winner}):
            confidence, other, evidence = max(links[loser], key=lambda link: (link[0], -link[1]))
            merge_people(
                session=session,
                winner_id=winner,
                loser_id=loser,
                confidence=confidence,
                evidence={**evidence, "linked_to": other},
                actor="system",
                holdings=holdings[loser],
            )
    return {"records": len(records), "candidates": len(candidates), "blocked": blocked, "merged": len(losers)}


def _link_accounts(session: Session) -> dict[str, int]:
    """People without an account get the one owning their (company, never free-mail) email domain; units without
    an account take their person's (a unit's own source account is more specific and kept). Each change is a
    ``link_account`` event."""
    people = load_people(session=session)
    domains = account_context(session=session).domains
    linked = 0
    for person in people.values():
        if person.account_id is not None:
            continue
        for email in person.values("email"):
            domain = email_domain(email)
            if domain and domain in domains:
                person.account_id = domains[domain]
                link_person_account(session=session, person_id=person.id, account_id=person.account_id, domain=domain)
                linked += 1
                break
    changes: dict[int, dict[str, int | None]] = defaultdict(dict)
    for unit_id, pid in units_without_account(session=session):
        if pid in people and people[pid].account_id is not None:
            changes[pid][unit_id] = None
    for pid, units in changes.items():
        link_unit_accounts(session=session, person_id=pid, account_id=people[pid].account_id, units=units)  # type: ignore[arg-type]
    return {"people_linked": linked, "units_linked": sum(len(u) for u in changes.values())}


def resolve_identities(*, engine: Engine, threshold: float = 0.9) -> dict[str, Any]:
    """Merge people the matcher links (respecting human constraints), then link accounts; returns counts."""
    started = perf_counter()
    with session_scope(engine) as session:
        people = load_people(session=session)
        counts: dict[str, Any] = {"people_before": len(people)}
        counts |= _merge_clusters(session, people, threshold=threshold)
        session.flush()
        counts |= _link_accounts(session)
        counts["people_after"] = counts["people_before"] - counts["merged"]
    counts["seconds"] = round(perf_counter() - started, 2)
    return counts


def merge_by_hand(*, engine: Engine, person_a: int, person_b: int, actor: str) -> IdentityEvent:
    """A human says these are the same person: merge now (CRM-backed or oldest wins) and never split them."""
    with session_scope(engine) as session:
        people = load_people(session=session)
        missing = [pid for pid in (person_a, person_b) if pid not in people]
        if missing:
            raise StorageError(f"person {missing[0]} does not exist or was merged into another")
        winner = _winner(people, {person_a, person_b})
        loser = person_b if winner == person_a else person_a
        event = merge_people(
            session=session,
            winner_id=winner,
            loser_id=loser,
            confidence=1.0,
            evidence={"rule": "human", "requested": [person_a, person_b]},
            actor=actor,
        )
        add_constraint(session=session, person_a=winner, person_b=loser, kind=SAME, actor=actor)
        record_audit(
            session=session,
            actor=actor,
            action="identity.merge",
            target=f"person:{winner}",
            details={"event": event.id, "loser_id": loser},
        )
        return event


def unmerge_by_hand(*, engine: Engine, event_id: int, actor: str) -> IdentityEvent:
    """Undo a merge (see :func:`storage.identity_events.unmerge`) and audit who did it."""
    with session_scope(engine) as session:
        split = unmerge(session=session, event_id=event_id, actor=actor)
        record_audit(
            session=session,
            actor=actor,
            action="identity.unmerge",
            target=f"identity_event:{event_id}",
            details={"winner_id": split.winner_id, "loser_id": split.loser_id},
        )
        return split
