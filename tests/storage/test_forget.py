"""Forget a person on SQLite and PostgreSQL: nothing of theirs in any text/JSON column; others kept; suppressed."""

from __future__ import annotations

import pytest
from groundswell.core.errors import ConfigurationError
from groundswell.core.models import RawRecord
from groundswell.jobs.forget import forget
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.forget import ForgetRequest
from groundswell.storage.identity_events import merge_people
from groundswell.storage.models import (
    ErasureReceipt,
    FeedbackUnit,
    Person,
    PersonIdentifier,
    RawRecordRow,
    SuppressionEntry,
)
from sqlmodel import select

from tests.jobs.fakes import DictIndex, ListSource, ticket
from tests.storage.forget_data import ANA_EMAIL, ANA_TRACES, BEN_EMAIL, add_copies, corpus, residues

ANA_ALT = "ana.personal@mail-example.org"


def _setup(engine) -> DictIndex:
    report = ingest_source(engine=engine, source=corpus())
    assert report.error is None and report.counts["new"] == 3
    add_copies(engine)
    index = DictIndex()
    with session_scope(engine) as session:
        units = session.exec(select(FeedbackUnit)).all()
    index.upsert([u.id for u in units], [[1.0] * 8 for _ in units], [{} for _ in units])
    assert residues(engine, ANA_TRACES)  # the corpus really holds her data before
    return index


def test_forget_leaves_no_trace_of_the_person_in_any_column(engine):
    index = _setup(engine)
    receipt = forget(engine=engine, index=index, vault=None, request=ForgetRequest(emails=(ANA_EMAIL,)), actor="dpo")
    assert residues(engine, ANA_TRACES) == []
    assert receipt.people == 1 and receipt.counts["raw_record"] == 2 and receipt.counts["feedback_unit"] == 2
    assert receipt.counts["vectors"] == 2 and index.count() == 1
    assert receipt.counts["person"] == 1 and receipt.counts["person_identifier"] == 1
    for table in ("slack_answer", "ticket", "ticket_draft", "audit_event", "llm_label_cache"):
        assert receipt.counts[f"scrubbed.{table}"] >= 1, table
    with session_scope(engine) as session:
        kept = session.exec(select(FeedbackUnit)).all()
        assert [u.external_id for u in kept] == ["3"]  # Ben is untouched
        assert [p.display_name for p in session.exec(select(Person))] == ["Ben Okafor"]
        stored = session.get(ErasureReceipt, receipt.id)
        assert stored is not None and stored.counts == receipt.counts and stored.suppressed == receipt.suppressed
    assert residues(engine, (BEN_EMAIL,))  # what is not theirs stays


def test_a_resync_of_a_forgotten_person_is_suppressed_and_counted(engine):
    index = _setup(engine)
    forget(engine=engine, index=index, vault=None, request=ForgetRequest(emails=(ANA_EMAIL.upper(),)), actor="dpo")
    again = corpus()
    again.items.append(ticket("4", ("customer", "A new ticket from her, new id"), email=ANA_EMAIL))
    again.items.append(
        RawRecord(source="tickets", external_id="5", kind="ticket", payload={"messages": [], "cc": f"x {ANA_EMAIL}"})
    )
    report = ingest_source(engine=engine, source=again)
    assert report.counts["suppressed"] == 4 and report.counts["unchanged"] == 1  # 1, 2, 4, 5 dropped; 3 kept
    assert report.as_dict()["suppressed"] == 4
    assert residues(engine, ANA_TRACES) == []
    with session_scope(engine) as session:
        assert {r.external_id for r in session.exec(select(RawRecordRow))} == {"3"}
        assert sum(e.hits for e in session.exec(select(SuppressionEntry))) >= 4


def test_forget_by_person_id_and_by_external_id(engine):
    index = _setup(engine)
    with session_scope(engine) as session:
        ben = session.exec(select(Person).where(Person.display_name == "Ben Okafor")).one().id
    receipt = forget(engine=engine, index=index, vault=None, request=ForgetRequest(person_ids=(ben,)), actor="dpo")
    assert receipt.counts["feedback_unit"] == 1 and residues(engine, ("ben.okafor",)) == []
    assert residues(engine, ANA_TRACES)  # Ana is untouched
    nobody = forget(engine=engine, index=index, vault=None, request=ForgetRequest(external_ids=("zz:9",)), actor="x")
    assert nobody.people == 0 and "feedback_unit" not in nobody.counts


def test_people_merged_into_them_go_too_but_an_undone_merge_is_two_people(engine):
    index = _setup(engine)
    second = ingest_source(
        engine=engine, source=ListSource([ticket("4", ("customer", "Me again, personal address"), email=ANA_ALT)])
    )
    assert second.counts["new"] == 1
    with session_scope(engine) as session:
        ids = {i.value: i.person_id for i in session.exec(select(PersonIdentifier))}
        merge_people(session=session, winner_id=ids[ANA_EMAIL], loser_id=ids[ANA_ALT], confidence=0.9,
                     evidence={"why": "same name"}, actor="system")  # fmt: skip
    receipt = forget(engine=engine, index=index, vault=None, request=ForgetRequest(emails=(ANA_EMAIL,)), actor="dpo")
    assert receipt.people == 2 and receipt.counts["identity_event"] == 1
    assert residues(engine, (*ANA_TRACES, "ana.personal")) == []
    with session_scope(engine) as session:
        assert [p.display_name for p in session.exec(select(Person))] == ["Ben Okafor"]


def test_a_bare_id_naming_two_people_is_refused(engine):
    with session_scope(engine) as session:
        for source in ("zendesk", "intercom"):
            person = Person(display_name=f"{source} user", created_at=utcnow())
            session.add(person)
            session.flush()
            session.add(PersonIdentifier(person_id=person.id, kind="source_user", value=f"{source}:777001"))
    with pytest.raises(ConfigurationError, match="give it as SOURCE:ID"):
        forget(engine=engine, index=DictIndex(), vault=None, request=ForgetRequest(external_ids=("777001",)), actor="x")
    one = forget(engine=engine, index=DictIndex(), vault=None, request=ForgetRequest(external_ids=("zendesk:777001",)),
                 actor="x")  # fmt: skip
    assert one.people == 1 and residues(engine, ("zendesk:777001",)) == [] and residues(engine, ("intercom:777001",))
