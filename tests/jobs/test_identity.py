"""The identity pass: merges with evidence, constraints respected, account links, pipeline wiring."""

from __future__ import annotations

from collections.abc import Iterator

import groundswell.jobs.identity as identity_job
import pytest
from groundswell.core.matching import MatchPair, MatchResult, PersonRecord
from groundswell.jobs.identity import corroborated, merge_by_hand, person_records, resolve_identities, unmerge_by_hand
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import Engine, create_db_engine, migrate, session_scope
from groundswell.storage.identity_events import SAME, list_constraints, merged_away_ids
from groundswell.storage.identity_reads import PersonInfo, load_people
from groundswell.storage.models import AuditEvent, FeedbackUnit, IdentityEvent, Person, PersonIdentifier
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket
from tests.storage.test_identity_events import T0, T1, make_account, make_person, make_unit

NAMES = [("Ana", "Silva"), ("Tom", "Becker"), ("Li", "Wang"), ("Omar", "Haddad"), ("Sara", "Novak"), ("Raj", "Patel")]
NAMES += [("Eva", "Berg"), ("Ben", "Cole"), ("Kim", "Park"), ("Leo", "Moss"), ("Mia", "Reyes"), ("Noah", "Stone")]
NAMES += [("Zoe", "Fox"), ("Ivan", "Ito"), ("Yuki", "Khan"), ("Aya", "Lund"), ("Jon", "Roth"), ("Eli", "Vance")]


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def _evidence(rule: str = "phone") -> dict:
    return {"rule": rule, "fields": {"first": {"level": 3, "weight": 1.0}, "phone": {"level": 2, "weight": 3.0}}}


@pytest.fixture
def fake_matcher(monkeypatch):
    """Replace the scorer: link the people named in ``links`` (by person id) into one cluster, the rest apart."""
    links: list[tuple[int, int, float]] = []

    def match(records: list[PersonRecord], **_: object) -> MatchResult:
        first = {}
        for rec in records:
            first.setdefault(int(rec.rec_id.split(":")[0]), rec.rec_id)
        pairs = [MatchPair(*sorted((first[a], first[b])), conf, _evidence()) for a, b, conf in links]
        linked = sorted({rec for p in pairs for rec in (p.a, p.b)})
        return MatchResult(pairs, [tuple(linked)] if linked else [])  # the tests link one group at a time

    monkeypatch.setattr(identity_job, "match_people", match)
    return links


def test_crm_backed_person_wins_and_the_merge_carries_evidence(engine, fake_matcher):
    with session_scope(engine) as session:
        gmail = make_person(session, "Ana S", ("email", "anas@gmail.com"), created=T0)  # older, but no CRM id
        crm = make_person(session, "Ana Silva", ("crm_id", "salesforce:1"), ("email", "ana@acme.com"), created=T1)
        make_unit(session, "u1", gmail)
    fake_matcher.append((gmail, crm, 0.96))
    counts = resolve_identities(engine=engine)
    assert (counts["merged"], counts["people_before"], counts["people_after"]) == (1, 2, 1)
    with session_scope(engine) as session:
        (event,) = session.exec(select(IdentityEvent).where(IdentityEvent.action == "merge")).all()
        assert (event.winner_id, event.loser_id, event.confidence, event.actor) == (crm, gmail, 0.96, "system")
        assert event.evidence["rule"] == "phone" and event.evidence["units"] == {"u1": None}
        assert session.get(FeedbackUnit, "u1").person_id == crm
        assert {i.person_id for i in session.exec(select(PersonIdentifier))} == {crm}


def test_oldest_wins_without_crm_and_a_cluster_becomes_one_person(engine, fake_matcher):
    with session_scope(engine) as session:
        a = make_person(session, "Li Wang", ("email", "li@x.io"), created=T1)
        b = make_person(session, "Li Wang", ("email", "lw@x.io"), created=T0)
        c = make_person(session, "L. Wang", ("email", "liwang@gmail.com"), created=T1)
    fake_matcher.extend([(a, b, 0.99), (a, c, 0.95)])
    resolve_identities(engine=engine)
    with session_scope(engine) as session:
        assert set(load_people(session=session)) == {b}
        assert merged_away_ids(session=session) == {a, c}


def test_reresolution_respects_keep_apart_after_unmerge(engine, fake_matcher):
    with session_scope(engine) as session:
        a = make_person(session, "Ana Silva", ("email", "ana@acme.com"))
        b = make_person(session, "Ana Silva", ("email", "asilva@acme.com"))
        c = make_person(session, "Ana Silva", ("email", "ana.silva@gmail.com"))
    fake_matcher.extend([(a, b, 0.99)])
    resolve_identities(engine=engine)
    with session_scope(engine) as session:
        event_id = session.exec(select(IdentityEvent.id).where(IdentityEvent.action == "merge")).one()
    unmerge_by_hand(engine=engine, event_id=event_id, actor="ops")
    fake_matcher.extend([(b, c, 0.99), (a, c, 0.98)])  # c would bridge the pair that was kept apart
    counts = resolve_identities(engine=engine)
    assert counts["blocked"] == 2 and counts["merged"] == 1  # a–b itself, and a–c once c joined b
    with session_scope(engine) as session:
        live = set(load_people(session=session))
        assert a in live and b in live  # never silently re-merged, not even through c
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "identity.unmerge")).one()
        assert audit.actor == "ops"


def test_human_merge_is_never_split_and_constraints_follow_the_survivor(engine, fake_matcher):
    with session_scope(engine) as session:
        a = make_person(session, "Bo Li", ("email", "bo@acme.com"), created=T0)
        b = make_person(session, "Robert Li", ("email", "rli@other.com"), created=T1)
        c = make_person(session, "Bo Li", ("email", "boli@gmail.com"), created=T1)
    event = merge_by_hand(engine=engine, person_a=b, person_b=a, actor="ana")
    assert (event.winner_id, event.loser_id, event.actor) == (a, b, "ana")
    fake_matcher.append((a, c, 0.97))
    resolve_identities(engine=engine)
    with session_scope(engine) as session:
        assert session.get(IdentityEvent, event.id).undone_at is None
        assert [(x.kind, x.actor) for x in list_constraints(session=session)] == [(SAME, "ana")]
        assert set(load_people(session=session)) == {a}
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "identity.merge")).one().actor == "ana"
    with pytest.raises(Exception, match="merged into another"):
        merge_by_hand(engine=engine, person_a=a, person_b=b, actor="ana")


def test_account_links_by_company_domain_never_free_mail(engine, fake_matcher):
    with session_scope(engine) as session:
        acme = make_account(session, "001A", "Acme", ["acme.com"])
        make_account(session, "001G", "Mailbox Co", ["gmail.com"])  # a bad CRM row must not capture gmail users
        worker = make_person(session, "Tom", ("email", "tom@acme.com"))
        gmail = make_person(session, "Jo", ("email", "jo@gmail.com"))
        make_unit(session, "u1", worker)
        make_unit(session, "u2", gmail)
        make_unit(session, "u3", None)  # anonymous
    counts = resolve_identities(engine=engine)
    assert (counts["people_linked"], counts["units_linked"]) == (1, 1)
    with session_scope(engine) as session:
        assert session.get(Person, worker).account_id == acme
        assert session.get(Person, gmail).account_id is None
        units = {u.id: (u.person_id, u.account_id) for u in session.exec(select(FeedbackUnit))}
        assert units == {"u1": (worker, acme), "u2": (gmail, None), "u3": (None, None)}
        kinds = sorted(e.subject_kind for e in session.exec(select(IdentityEvent)))
        assert kinds == ["person", "unit"]
        assert session.exec(select(Person)).all().__len__() == 2  # nobody invented for the anonymous unit


def _population(session, extra: list[tuple[str | None, tuple[str, str], int | None]]) -> list[int]:
    companies = [make_account(session, f"00{i}", f"Co{i}", [f"co{i}.com"]) for i in range(3)]
    for k, (first, last) in enumerate(NAMES):
        make_person(
            session,
            f"{first} {last}",
            ("email", f"{first.lower()}.{last.lower()}@co{k % 3}.com"),
            ("phone", f"+4420794601{k:02d}"),
            account_id=companies[k % 3],
        )
    return [make_person(session, name, ident, account_id=acct) for name, ident, acct in extra]


def test_real_matcher_links_one_phone_in_two_formats_but_not_a_shared_inbox(engine):
    with session_scope(engine) as session:
        acme = make_account(session, "001A", "Acme", ["acme.com"])
        crm, app_user, inbox, colleague = _population(
            session,
            [
                ("Priya Raman", ("phone", "+14155550123"), acme),
                ("Priya Raman", ("phone", "4155550123"), None),  # same number, no country code
                ("Support Team", ("email", "support@acme.com"), acme),
                ("Tom Weber", ("email", "tom.weber@acme.com"), acme),
            ],
        )
    counts = resolve_identities(engine=engine)
    with session_scope(engine) as session:
        merges = session.exec(select(IdentityEvent).where(IdentityEvent.action == "merge")).all()
        assert {(e.winner_id, e.loser_id) for e in merges} == {(crm, app_user)}
        assert merges[0].evidence["rule"] == "phone" and merges[0].confidence == 1.0
        live = set(load_people(session=session))
        assert {inbox, colleague} <= live
    assert counts["merged"] == 1


def test_records_and_corroboration_rules():
    people = {
        1: PersonInfo(1, "Ana", 7, T0, [("email", "a@acme.com"), ("email", "ana@gmail.com"), ("phone", "+1555")]),
        2: PersonInfo(2, None, None, T0, [("source_user", "gong:9")]),  # nothing to compare
        3: PersonInfo(3, "Bo", 8, T0, []),
    }
    records, owner = person_records(people, {7: "Acme", 8: "NoDomain"}, {7: "acme.com"})
    assert [(r.rec_id, r.email, r.domain) for r in records] == [
        ("1:0", "a@acme.com", "acme.com"),
        ("1:1", "ana@gmail.com", "acme.com"),
        ("3:0", None, "account-8.invalid"),
    ]
    assert owner == {"1:0": 1, "1:1": 1, "3:0": 3}
    names_only = {"rule": "probabilistic", "fields": {"first": {"level": 3}, "last": {"level": 3}}}
    assert not corroborated(MatchPair("a", "b", 0.99, names_only))
    with_email = {**names_only, "fields": {**names_only["fields"], "email": {"level": 1}}}
    assert corroborated(MatchPair("a", "b", 0.99, with_email))
    other_company = {**names_only, "fields": {**with_email["fields"], "company": {"level": 0}}}
    assert not corroborated(MatchPair("a", "b", 0.99, other_company))
    assert corroborated(MatchPair("a", "b", 1.0, {"rule": "email"}))


def test_pipeline_runs_the_pass_and_reports_it(tmp_path):
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    source = ListSource([ticket("1", ("customer", "Export times out"), email="ana@acme.com")])
    report = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    identity = report["identity"]
    assert (identity["people_before"], identity["merged"]) == (1, 0)  # type: ignore[index]
