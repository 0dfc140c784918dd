"""Reversible merges, constraints and identity events — on SQLite and PostgreSQL (the ``engine`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from groundswell.core.errors import StorageError
from groundswell.core.models import AccountDoc, RawRecord
from groundswell.storage.db import session_scope
from groundswell.storage.identity import upsert_account
from groundswell.storage.identity_events import (
    KEEP_APART,
    SAME,
    add_constraint,
    link_person_account,
    link_unit_accounts,
    list_constraints,
    list_identity_events,
    load_holdings,
    merge_people,
    merged_away_ids,
    unmerge,
)
from groundswell.storage.identity_reads import find_people, load_people, person_profile
from groundswell.storage.models import FeedbackUnit, IdentityEvent, Person, PersonIdentifier, PseudonymEntry
from groundswell.storage.raw import ensure_source, store_raw_record
from sqlmodel import Session, select

T0 = datetime(2026, 1, 1, tzinfo=UTC)
T1 = datetime(2026, 3, 1, tzinfo=UTC)


def make_account(session: Session, external_id: str, name: str, domains: list[str]) -> int:
    doc = AccountDoc(source="salesforce", external_id=external_id, name=name, domains=domains, created_at=T0)
    return int(upsert_account(session=session, doc=doc).id)  # type: ignore[arg-type]


def make_person(
    session: Session, name: str | None, *identifiers: tuple[str, str], account_id: int | None = None, created=T0
) -> int:
    person = Person(display_name=name, account_id=account_id, created_at=created)
    session.add(person)
    session.flush()
    for kind, value in identifiers:
        session.add(PersonIdentifier(person_id=person.id, kind=kind, value=value, source="test"))
    session.flush()
    return int(person.id)  # type: ignore[arg-type]


def make_unit(session: Session, uid: str, person_id: int | None, account_id: int | None = None) -> str:
    ensure_source(session=session, name="zendesk")
    raw = store_raw_record(
        session=session, record=RawRecord(source="zendesk", external_id=uid, kind="ticket", payload={})
    ).row
    session.add(
        FeedbackUnit(
            id=uid,
            raw_record_id=raw.id,
            source="zendesk",
            external_id=uid,
            message_id=uid,
            text="export fails",
            text_hash=uid,
            thread_ref=f"zendesk:{uid}",
            created_at=T0,
            person_id=person_id,
            account_id=account_id,
        )
    )
    session.flush()
    return uid


def _state(session: Session) -> dict[str, object]:
    """Everything a merge touches, as comparable plain data."""
    return {
        "identifiers": sorted((i.id, i.person_id) for i in session.exec(select(PersonIdentifier))),
        "units": sorted((u.id, u.person_id, u.account_id) for u in session.exec(select(FeedbackUnit))),
        "pseudonyms": sorted((p.token, p.person_id) for p in session.exec(select(PseudonymEntry))),
        "people": sorted((p.id, p.display_name, p.account_id) for p in session.exec(select(Person))),
    }


@pytest.fixture
def world(engine):
    """Acme with Ana (CRM, no account yet) and her gmail twin 'Ana S.' who has Acme, units and a pseudonym."""
    with session_scope(engine) as session:
        acme = make_account(session, "001A", "Acme", ["acme.com"])
        winner = make_person(session, "Ana Silva", ("crm_id", "salesforce:003"), ("email", "ana@acme.com"))
        loser = make_person(
            session, "Ana S.", ("email", "anasilva@gmail.com"), ("handle", "discourse:ana"), account_id=acme, created=T1
        )
        make_unit(session, "u1", loser, None)
        make_unit(session, "u2", loser, acme)
        make_unit(session, "u3", winner, None)
        session.add(PseudonymEntry(token="<EMAIL_1>", entity_type="email", person_id=loser, created_at=T0))
    return {"engine": engine, "acme": acme, "winner": winner, "loser": loser}


def _merge(session: Session, world: dict) -> IdentityEvent:
    return merge_people(
        session=session,
        winner_id=world["winner"],
        loser_id=world["loser"],
        confidence=0.97,
        evidence={"rule": "probabilistic", "fields": {"first": {"level": 3, "weight": 1.0}}},
        actor="system",
    )


def test_merge_moves_identifiers_units_and_pseudonyms_and_records_what_moved(world):
    with session_scope(world["engine"]) as session:
        where = PersonIdentifier.person_id == world["loser"]
        loser_ids = sorted(i.id for i in session.exec(select(PersonIdentifier).where(where)))
        event_id = _merge(session, world).id
    with session_scope(world["engine"]) as session:
        event = session.get(IdentityEvent, event_id)
        assert {i.person_id for i in session.exec(select(PersonIdentifier))} == {world["winner"]}
        units = {u.id: (u.person_id, u.account_id) for u in session.exec(select(FeedbackUnit))}
        # the winner had no account: it takes the loser's, and the loser's units carry it
        assert units == {
            "u1": (world["winner"], world["acme"]),
            "u2": (world["winner"], world["acme"]),
            "u3": (world["winner"], None),
        }
        assert session.get(Person, world["winner"]).account_id == world["acme"]
        assert session.get(PseudonymEntry, "<EMAIL_1>").person_id == world["winner"]
        assert (event.action, event.winner_id, event.loser_id, event.confidence) == (
            "merge",
            world["winner"],
            world["loser"],
            0.97,
        )
        assert event.evidence["rule"] == "probabilistic" and event.evidence["fields"]["first"]["level"] == 3
        assert event.evidence["identifiers"] == loser_ids and len(loser_ids) == 2
        assert event.evidence["units"] == {"u1": None, "u2": world["acme"]}
        assert event.evidence["pseudonyms"] == ["<EMAIL_1>"]
        assert merged_away_ids(session=session) == {world["loser"]}
        assert set(load_people(session=session)) == {world["winner"]}


def test_unmerge_restores_exactly_and_keeps_the_two_apart(world):
    with session_scope(world["engine"]) as session:
        before = _state(session)
        event_id = _merge(session, world).id
    with session_scope(world["engine"]) as session:
        split = unmerge(session=session, event_id=event_id, actor="ana@brightloop")
        assert split.action == "split" and split.evidence["undoes"] == event_id
    with session_scope(world["engine"]) as session:
        assert _state(session) == before
        event = session.get(IdentityEvent, event_id)
        assert event.undone_by == "ana@brightloop" and event.undone_at is not None
        (constraint,) = list_constraints(session=session)
        assert (constraint.kind, constraint.actor) == (KEEP_APART, "ana@brightloop")
        assert {constraint.person_a, constraint.person_b} == {world["winner"], world["loser"]}
        assert merged_away_ids(session=session) == set()
        with pytest.raises(StorageError, match="already undone"):
            unmerge(session=session, event_id=event_id, actor="x")
        with pytest.raises(StorageError, match="no merge event"):
            unmerge(session=session, event_id=split.id, actor="x")


def test_merge_refuses_self_unknown_and_merged_away_people(world):
    with session_scope(world["engine"]) as session:
        with pytest.raises(StorageError):
            merge_people(session=session, winner_id=1, loser_id=1, confidence=1, evidence={}, actor="x")
        with pytest.raises(StorageError, match="unknown person"):
            merge_people(session=session, winner_id=world["winner"], loser_id=999, confidence=1, evidence={}, actor="x")
        _merge(session, world)
        other = make_person(session, "Bo", ("email", "bo@acme.com"))
        with pytest.raises(StorageError, match="already merged"):
            merge_people(
                session=session, winner_id=other, loser_id=world["loser"], confidence=1, evidence={}, actor="x"
            )


def test_opposite_constraint_is_withdrawn_and_duplicates_are_not_added(engine):
    with session_scope(engine) as session:
        a, b = make_person(session, "A"), make_person(session, "B")
        add_constraint(session=session, person_a=b, person_b=a, kind=KEEP_APART, actor="x")
        add_constraint(session=session, person_a=a, person_b=b, kind=KEEP_APART, actor="y")
        assert [(c.person_a, c.person_b, c.kind) for c in list_constraints(session=session)] == [(a, b, KEEP_APART)]
        add_constraint(session=session, person_a=a, person_b=b, kind=SAME, actor="z")
        assert [c.kind for c in list_constraints(session=session)] == [SAME]
        with pytest.raises(StorageError):
            add_constraint(session=session, person_a=a, person_b=b, kind="maybe", actor="z")


def test_account_links_are_events_and_history_filters_by_person(world):
    with session_scope(world["engine"]) as session:
        link_person_account(session=session, person_id=world["winner"], account_id=world["acme"], domain="acme.com")
        link_unit_accounts(session=session, person_id=world["winner"], account_id=world["acme"], units={"u3": None})
        _merge(session, world)
    with session_scope(world["engine"]) as session:
        assert session.get(FeedbackUnit, "u3").account_id == world["acme"]
        events = list_identity_events(session=session, person_id=world["winner"])
        assert [(e.action, e.subject_kind) for e in events] == [
            ("merge", "person"),
            ("link_account", "unit"),
            ("link_account", "person"),
        ]
        assert events[1].evidence == {"account_id": world["acme"], "units": {"u3": None}}
        assert [e.action for e in list_identity_events(session=session, person_id=world["loser"])] == ["merge"]
        assert len(list_identity_events(session=session, limit=1)) == 1


def test_find_people_and_profile(world):
    with session_scope(world["engine"]) as session:
        assert find_people(session=session, text="ANASILVA@") == [world["loser"]]
        assert find_people(session=session, text="ana") == sorted([world["winner"], world["loser"]])
        _merge(session, world)
        assert find_people(session=session, text="anasilva") == [world["winner"]]  # the loser is merged away
        profile = person_profile(session=session, person_id=world["winner"])
        assert profile["account"]["external_id"] == "001A"
        assert {i["value"] for i in profile["identifiers"]} >= {"anasilva@gmail.com", "ana@acme.com"}
        assert profile["history"][0]["action"] == "merge" and profile["history"][0]["units_moved"] == 2
        with pytest.raises(StorageError):
            person_profile(session=session, person_id=999)


def test_load_holdings_groups_by_person(world):
    with session_scope(world["engine"]) as session:
        held = load_holdings(session=session, person_ids=[world["loser"], world["winner"]])
        assert held[world["loser"]].units == {"u1": None, "u2": world["acme"]}
        assert held[world["loser"]].pseudonyms == ["<EMAIL_1>"] and len(held[world["loser"]].identifiers) == 2
        assert list(held[world["winner"]].units) == ["u3"]
