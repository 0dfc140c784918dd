"""Retention on SQLite and PostgreSQL: expired records go with everything keyed by them; fields by age; dry run."""

from __future__ import annotations

from datetime import timedelta

from groundswell.core.models import RawRecord, RecordFailure
from groundswell.core.retention import parse_retention
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import FeedbackUnit, RawRecordRow, RejectedRecord, SlackAnswer
from groundswell.storage.raw import add_rejected
from groundswell.storage.retention import apply_policy
from sqlmodel import select

from tests.jobs.fakes import ListSource


def _record(external_id: str, age_days: int, text: str) -> RawRecord:
    return RawRecord(
        source="tickets",
        external_id=external_id,
        kind="ticket",
        payload={"messages": [["customer", text]]},
        created_at=utcnow() - timedelta(days=age_days),
    )


def _corpus() -> ListSource:
    return ListSource([_record("old", 400, "The old export bug is back"), _record("new", 10, "Dark mode please")])


def _seed(engine) -> str:
    assert ingest_source(engine=engine, source=_corpus()).counts["new"] == 2
    with session_scope(engine) as session:
        old_unit = session.exec(select(FeedbackUnit).where(FeedbackUnit.external_id == "old")).one()
        session.add(
            SlackAnswer(
                id="a1",
                team_id="T",
                channel_id="C",
                user_id="U",
                question="exports?",
                headline="h",
                answer={"quotes": [{"unit_id": old_unit.id, "text": old_unit.text}]},
                created_at=utcnow(),
            )
        )
        add_rejected(session=session, failure=RecordFailure(source="tickets", external_id="bad", reason="x", raw="{"))
        return old_unit.id


def _state(engine) -> tuple[list[str], list[str], int, str]:
    with session_scope(engine) as session:
        units = sorted(u.external_id for u in session.exec(select(FeedbackUnit)))
        raws = sorted(r.external_id for r in session.exec(select(RawRecordRow)))
        rejected = len(session.exec(select(RejectedRecord)).all())
        answer = str(session.get(SlackAnswer, "a1").answer)
    return units, raws, rejected, answer


def test_expired_records_go_with_their_units_and_quotes_and_a_dry_run_changes_nothing(engine):
    old_unit = _seed(engine)
    policy = parse_retention("tickets:365")
    before = _state(engine)
    with session_scope(engine) as session:
        planned = apply_policy(session=session, policy=policy, now=utcnow(), dry_run=True)
    assert _state(engine) == before
    with session_scope(engine) as session:
        done = apply_policy(session=session, policy=policy, now=utcnow())
    assert planned.by_source() == done.by_source()
    assert done.by_source()["tickets"] == {
        "feedback_unit": 1,
        "raw_record": 1,
        "vectors": 1,
        "scrubbed.slack_answer": 1,
    }
    assert done.unit_ids == [old_unit]
    units, raws, rejected, answer = _state(engine)
    assert units == raws == ["new"] and rejected == 1
    assert "old export" not in answer and old_unit not in answer


def test_payload_bodies_and_rejected_records_expire_by_field_while_units_stay(engine):
    _seed(engine)
    policy = parse_retention("tickets:3650,*.raw_payload:7,tickets.rejected_raw:7")
    later = utcnow() + timedelta(days=8)
    with session_scope(engine) as session:
        assert apply_policy(session=session, policy=policy, now=utcnow()).by_source() == {}  # nothing is 7 days old
    with session_scope(engine) as session:
        done = apply_policy(session=session, policy=policy, now=later)
    assert done.by_source() == {"tickets": {"raw_payload": 2, "rejected_record": 1}}
    units, raws, rejected, _ = _state(engine)
    assert units == raws == ["new", "old"] and rejected == 0
    with session_scope(engine) as session:
        payloads = [r.payload for r in session.exec(select(RawRecordRow))]
    assert all(set(p) == {"_purged_at"} for p in payloads)
    again = ingest_source(engine=engine, source=_corpus())  # the same content re-synced: nothing comes back
    assert again.counts["unchanged"] == 2
    with session_scope(engine) as session:
        assert apply_policy(session=session, policy=policy, now=later).by_source() == {}  # purged once
