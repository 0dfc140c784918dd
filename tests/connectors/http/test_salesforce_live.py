"""Salesforce live sync (SOQL over REST) through the real pipeline and storage, against the loopback fake."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from groundswell.connectors.http.salesforce import ACCOUNT, CONTACT, HISTORY, OPPORTUNITY, SalesforceSource
from groundswell.core.errors import SourceError
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import SyncState
from sqlmodel import select

from tests.connectors.http.conftest import make_runtime
from tests.connectors.http.stored import (
    arr_at,
    assert_credentials_expired,
    crash_at,
    drift_events,
    live_units,
    stored_payloads,
)
from tests.fakes.http import FakeClock
from tests.fakes.salesforce import TOKEN, FakeSalesforce


def _seed(fake: FakeSalesforce) -> None:
    for n, (name, arr, segment) in enumerate(
        [("Acme", 48000.0, "Mid-Market"), ("Globex", 120000.0, "Enterprise"), ("Initech", 9000.0, "SMB")], start=1
    ):
        fake.add(
            "Account",
            f"001A{n}",
            Name=name,
            Domains__c=f"{name.lower()}.com",
            ARR__c=arr,
            Plan__c="Growth",
            Segment__c=segment,
            Renewal_Date__c="2026-09-30",
            Lifecycle_Stage__c="Active",
        )
    fake.add("Account", "001A4", Name="Acme EU", ParentId="001A1", ARR__c=15000.0, Segment__c="SMB")
    fake.update("Account", "001A1", ARR__c=60000.0, Plan__c="Scale")  # tracked: AccountHistory rows
    for n, (account, first) in enumerate([("001A1", "Dana"), ("001A1", "Omar"), ("001A2", "Lee"), ("001A3", "Kim")]):
        fake.add(
            "Contact", f"003C{n}", AccountId=account, FirstName=first, LastName="Doe", Email=f"{first.lower()}@x.com"
        )
    fake.add(
        "Opportunity",
        "006O1",
        AccountId="001A2",
        Name="Globex upsell",
        StageName="Prospecting",
        Amount=30000.0,
        IsClosed=False,
        IsWon=False,
        CloseDate="2026-08-01",
    )
    fake.add(
        "Opportunity",
        "006O2",
        AccountId="001A3",
        Name="Initech renewal",
        StageName="Closed Lost",
        Amount=9000.0,
        IsClosed=True,
        IsWon=False,
        CloseDate="2026-05-01",
        Loss_Reason__c="Chose a cheaper tool; no SSO",
    )


@pytest.fixture
def salesforce() -> Iterator[FakeSalesforce]:
    fake = FakeSalesforce(page_size=3)
    _seed(fake)
    with fake.server:
        yield fake
    assert fake.errors == []  # every request matched the documented API


def _source(fake: FakeSalesforce, clock: FakeClock | None = None, token: str = TOKEN, **kw) -> SalesforceSource:
    return SalesforceSource(
        base_url=fake.server.url, credentials={"token": token}, clock=clock or FakeClock(), timeout_s=2.0, **kw
    )


def _truth(fake: FakeSalesforce) -> dict[str, dict]:
    accounts = {
        i: {"account": row, "history": fake.history(i, HISTORY)} for i, row in fake.live("Account", ACCOUNT).items()
    }
    return {**accounts, **fake.live("Contact", CONTACT), **fake.live("Opportunity", OPPORTUNITY)}


def test_faults_edits_deletes_and_merges_end_equal_to_the_truth(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    salesforce.server.faults.add("/query", "429", arg=5)
    salesforce.server.faults.add("/query/", "500", times=2)  # a next-page (locator) request
    salesforce.server.faults.add("/query", "truncate")
    first = run_pipeline(runtime=runtime, sources=[_source(salesforce, clock)]).as_dict()

    assert first["errors"] == {}
    assert stored_payloads(runtime, "salesforce") == _truth(salesforce)
    assert first["accepted"] == 4 + 4 + 2 and 5 in clock.sleeps and not salesforce.server.faults.queue
    changed = salesforce.records["AccountHistory"]["017000000000000001"]["CreatedDate"]
    before = datetime.fromtimestamp(salesforce.clock - 100, tz=UTC).isoformat()
    assert arr_at(runtime, "001A1", before) == 48000.0  # as it was before the change
    assert arr_at(runtime, "001A1", changed.replace(".000+0000", "+00:00")) == 60000.0
    assert live_units(runtime, "salesforce") == []  # a rep's loss note is never customer feedback

    salesforce.update("Account", "001A2", ARR__c=90000.0, Segment__c="Mid-Market")
    salesforce.delete("Account", "001A4", master="001A1")  # merged into Acme
    salesforce.delete("Contact", "003C1")
    salesforce.add("Contact", "003C9", AccountId="001A2", FirstName="Ava", LastName="Ng", Email="ava@globex.com")
    salesforce.update("Opportunity", "006O1", StageName="Closed Lost", IsClosed=True, Loss_Reason__c="Budget cut")
    mark = len(salesforce.queries)
    second = run_pipeline(runtime=runtime, sources=[_source(salesforce, clock)]).as_dict()

    assert second["errors"] == {}
    assert stored_payloads(runtime, "salesforce") == _truth(salesforce)
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 2, 2)
    incremental = [q for q in salesforce.queries[mark:] if " FROM AccountHistory" not in q and "IsDeleted" not in q]
    assert all("WHERE SystemModstamp > " in q for q in incremental)
    assert len([q for q in salesforce.queries[mark:] if "IsDeleted = true" in q]) == 3  # one per object
    assert arr_at(runtime, "001A2", datetime.now(UTC).isoformat()) == 90000.0


def test_a_crashed_backfill_resumes_after_the_stored_pages(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    source = crash_at(_source(salesforce), 9)  # on the second page of contacts
    crashed = ingest_source(engine=runtime.engine, source=source)  # recorded, not raised
    assert crashed.error is not None and "killed" in crashed.error
    # the accounts, the first page of contacts (committed with its checkpoint) and the contact read after it
    assert len(stored_payloads(runtime, "salesforce")) == 4 + 3 + 1
    mark = len(salesforce.queries)
    report = ingest_source(engine=runtime.engine, source=_source(salesforce))
    assert report.error is None
    assert stored_payloads(runtime, "salesforce") == _truth(salesforce)
    resumed = salesforce.queries[mark:]
    assert "FROM Account WHERE SystemModstamp > " in resumed[0]  # accounts were done: only changes asked
    contacts = next(q for q in resumed if "FROM Contact " in q)
    # contacts resume after the last committed page, or after the contact stored when the crash was recorded
    assert "AND Id > '003C2'" in contacts or "AND Id > '003C3'" in contacts


def test_expired_session_is_reported_and_never_retried(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    assert_credentials_expired(runtime, _source(salesforce, token="expired"), salesforce.server)


def test_the_daily_api_allocation_stops_the_sync_as_a_rate_limit(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    salesforce.daily_limit = 2
    report = ingest_source(engine=runtime.engine, source=_source(salesforce))
    assert "rate limited" in report.error and "credentials" not in report.error
    with session_scope(runtime.engine) as session:
        assert (
            session.get(SyncState, "salesforce").checkpoint["streams"]["Account"].endswith("|001A4")
        )  # first page kept


def test_a_retyped_fact_field_is_drift_not_a_wrong_number(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    salesforce.records["Account"]["001A2"]["ARR__c"] = "120k"
    report = ingest_source(engine=runtime.engine, source=_source(salesforce))
    assert report.counts["rejected"] == 1
    event = drift_events(runtime, "salesforce")[("account.ARR__c", "retyped")]
    assert event.found == "str" and [x["external_id"] for x in event.examples] == ["001A2"]


def test_the_fake_refuses_soql_the_api_would_refuse(salesforce):
    source = _source(salesforce)
    with pytest.raises(SourceError, match="HTTP 400"):
        source.client.get(f"{source.api}/query", params={"q": "SELECT Id, ARR FROM Account"})
    assert salesforce.errors == [
        "SOQL INVALID_FIELD: No such column 'ARR' on entity 'Account' in 'SELECT Id, ARR FROM Account'"
    ]
    salesforce.errors.clear()


def test_backfill_on_postgresql_equals_the_truth(postgres_url, tmp_path):
    fake = FakeSalesforce(page_size=3)
    _seed(fake)
    with fake.server:
        runtime = make_runtime(postgres_url, tmp_path)
        fake.server.faults.add("/query/", "500")
        report = ingest_source(engine=runtime.engine, source=_source(fake, name="salesforce_pg"))
        assert report.error is None
        assert stored_payloads(runtime, "salesforce_pg") == _truth(fake)
        assert arr_at(runtime, "001A3", datetime.now(UTC).isoformat()) == 9000.0
    assert fake.errors == []


def test_an_org_without_a_loss_reason_field_is_not_asked_for_one(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    report = ingest_source(engine=runtime.engine, source=_source(salesforce, options={"loss_reason_field": ""}))
    assert report.error is None and report.counts["new"] == 10
    opportunities = [q for q in salesforce.queries if "FROM Opportunity " in q]
    assert opportunities and all("Loss_Reason__c" not in q for q in opportunities)


def _deals(runtime) -> dict[str, tuple]:
    from groundswell.storage.models import Account, Opportunity

    with session_scope(runtime.engine) as session:
        accounts = {a.id: a.external_id for a in session.exec(select(Account))}
        return {
            o.external_id: (accounts.get(o.account_id), o.stage, o.is_closed, o.is_won, o.amount, o.close_date,
                            o.loss_reason)
            for o in session.exec(select(Opportunity))
        }  # fmt: skip


def test_opportunities_are_upserted_linked_and_removed_on_delete(salesforce, tmp_path):
    runtime = make_runtime(None, tmp_path)
    run_pipeline(runtime=runtime, sources=[_source(salesforce)])
    assert _deals(runtime) == {
        "006O1": ("001A2", "Prospecting", False, False, 30000.0, date(2026, 8, 1), None),
        "006O2": ("001A3", "Closed Lost", True, False, 9000.0, date(2026, 5, 1), "Chose a cheaper tool; no SSO"),
    }
    salesforce.update("Opportunity", "006O1", StageName="Closed Lost", IsClosed=True, Loss_Reason__c="Budget cut")
    salesforce.delete("Opportunity", "006O2")
    run_pipeline(runtime=runtime, sources=[_source(salesforce)])
    assert _deals(runtime) == {
        "006O1": ("001A2", "Closed Lost", True, False, 30000.0, date(2026, 8, 1), "Budget cut"),
    }
