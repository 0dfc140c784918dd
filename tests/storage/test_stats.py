from datetime import UTC, datetime

from groundswell.core.models import RawRecord
from groundswell.storage.db import session_scope
from groundswell.storage.models import IdentityEvent, Person
from groundswell.storage.raw import ensure_source, store_raw_record
from groundswell.storage.stats import count_by_source, count_totals

T = datetime(2026, 6, 1, tzinfo=UTC)


def test_totals_skip_merged_away_and_erased_people_and_tombstones(engine):
    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk")
        store_raw_record(session=session, record=RawRecord(source="zendesk", external_id="1", kind="t", payload={}))
        store_raw_record(
            session=session, record=RawRecord(source="zendesk", external_id="2", kind="t", payload={}, deleted=True)
        )
        people = [Person(display_name=n, created_at=T) for n in ("a", "b", "c", "d")]
        session.add_all(people)
        session.flush()
        people[3].erased_at = T
        session.add(IdentityEvent(action="merge", winner_id=people[0].id, loser_id=people[1].id, created_at=T))
        session.add(
            IdentityEvent(action="merge", winner_id=people[0].id, loser_id=people[2].id, created_at=T, undone_at=T)
        )
    with session_scope(engine) as session:
        totals = count_totals(session=session)
        (zendesk,) = count_by_source(session=session)
    assert (totals.people, totals.records) == (2, 1)
    assert (zendesk.records, zendesk.deleted) == (1, 1)
