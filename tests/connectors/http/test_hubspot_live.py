"""HubSpot live sync (CRM v3 search + batch read, v4 associations) through the real pipeline and storage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from groundswell.connectors.http.hubspot import HubSpotSource
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import Account, Opportunity, Person, PersonIdentifier
from sqlmodel import select

from tests.connectors.http.conftest import make_runtime
from tests.connectors.http.stored import arr_at, assert_credentials_expired, drift_events, stored_payloads
from tests.fakes.http import FakeClock
from tests.fakes.hubspot import MODIFIED, STAGES, TOKEN, FakeHubSpot, millis

FACTS = ("annualrevenue", "plan", "segment", "country", "renewal_date", "lifecyclestage")


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot(page_size=3)
    companies = [("Acme", "48000", "Mid-Market"), ("Globex", "120000", "Enterprise"), ("Initech", "9000", "SMB")]
    for n, (name, arr, segment) in enumerate(companies, start=1):
        fake.add(
            "companies",
            str(n),
            name=name,
            domain=f"{name.lower()}.com",
            annualrevenue=arr,
            plan="Growth",
            segment=segment,
            renewal_date="2026-09-30",
            lifecyclestage="customer",
        )
    fake.add("companies", "4", name="Acme EU", domain="acme.eu", hs_parent_company_id="1", annualrevenue="15000")
    fake.update("companies", "1", annualrevenue="60000", plan="Scale")
    for n, (first, company) in enumerate([("dana", "1"), ("omar", "1"), ("lee", "2"), ("kim", "3"), ("ana", "4")]):
        fake.add("contacts", str(100 + n), firstname=first.title(), lastname="Doe", email=f"{first}@x.com")
        fake.associate(str(100 + n), company)
    add_deals(fake)
    with fake.server:
        yield fake
    assert fake.errors == []  # every request matched the documented API


def add_deals(fake: FakeHubSpot) -> None:
    """An open expansion, a lost deal (a non-primary company listed first), a custom lost stage, a bare deal."""
    fake.add("deals", "501", dealname="Acme expansion", dealstage="contractsent", amount="20000", closedate=CLOSE)
    fake.associate_deal("501", "1")
    fake.add("deals", "502", dealname="Globex", dealstage="closedlost", amount="50000", closedate=CLOSE)
    fake.update("deals", "502", closed_lost_reason="Missing SSO")
    fake.associate_deal("502", "3", primary=False)
    fake.associate_deal("502", "2")
    fake.add("deals", "503", dealname="Initech pilot", dealstage="93581204", amount="9000.5", closedate=CLOSE)
    fake.update("deals", "503", closed_lost_reason="Budget cut")
    fake.associate_deal("503", "3")
    fake.add("deals", "504", dealname="Inbound lead", dealstage="appointmentscheduled")


CLOSE = "2026-09-30T00:00:00.000Z"


def _source(fake: FakeHubSpot, clock: FakeClock | None = None, token: str = TOKEN, **options) -> HubSpotSource:
    return HubSpotSource(
        base_url=fake.server.url,
        credentials={"token": token},
        options=options,
        clock=clock or FakeClock(),
        timeout_s=2.0,
    )


def _truth(fake: FakeHubSpot) -> dict[str, tuple]:
    companies = {
        f"companies:{i}": (
            {p: fake.value("companies", i, p) for p in ("name", *FACTS)},
            {p: r["history"].get(p, []) for p in FACTS},
        )
        for i, r in fake.live("companies").items()
    }
    contacts = {
        f"contacts:{i}": (
            {p: fake.value("contacts", i, p) for p in ("email", "firstname")},
            [c for c, _ in fake.links.get(i, [])],
        )
        for i in fake.live("contacts")
    }
    return {**companies, **contacts}


def _deals_truth(fake: FakeHubSpot) -> dict[str, tuple]:
    """What the fake says each live deal is: (primary company, stage label, closed, won, amount, date, reason)."""
    out = {}
    for deal_id in fake.live("deals"):
        props = {n: fake.value("deals", deal_id, n) for n in ("dealstage", "amount", "closedate", "closed_lost_reason")}
        label, metadata = STAGES[props["dealstage"]]
        closed, won = metadata["isClosed"] == "true", metadata["probability"] == "1.0"
        primary = [c for c, is_primary in fake.deal_links.get(deal_id, []) if is_primary]
        amount = float(props["amount"]) if props["amount"] else None
        close = date.fromisoformat(props["closedate"][:10]) if props["closedate"] else None
        reason = props["closed_lost_reason"] if closed and not won else None
        out[f"deals:{deal_id}"] = (primary[0] if primary else None, label, closed, won, amount, close, reason)
    return out


def _deals(runtime) -> dict[str, tuple]:
    with session_scope(runtime.engine) as session:
        accounts = {a.id: a.external_id for a in session.exec(select(Account))}
        return {
            o.external_id: (accounts.get(o.account_id), o.stage, o.is_closed, o.is_won, o.amount, o.close_date,
                            o.loss_reason)
            for o in session.exec(select(Opportunity).where(Opportunity.source == "hubspot"))
        }  # fmt: skip


def _stored(runtime) -> dict[str, tuple]:
    out = {}
    for key, p in stored_payloads(runtime, "hubspot").items():
        if key.startswith("deals:"):
            continue
        if key.startswith("companies:"):
            out[key] = ({n: p["properties"][n] for n in ("name", *FACTS)}, p["propertiesWithHistory"])
        else:
            props = {n: p["properties"][n] for n in ("email", "firstname")}
            out[key] = (props, [str(c["toObjectId"]) for c in p["_companies"]])
    return out


def test_faults_edits_archives_and_merges_end_equal_to_the_truth(hubspot, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    hubspot.server.faults.add("/search", "429", arg=3)
    hubspot.server.faults.add("/batch/read", "500", times=2)
    hubspot.server.faults.add("/crm/v4/associations", "truncate")
    first = run_pipeline(runtime=runtime, sources=[_source(hubspot, clock)]).as_dict()

    assert first["errors"] == {}
    assert _stored(runtime) == _truth(hubspot)
    assert _deals(runtime) == _deals_truth(hubspot)
    assert _deals(runtime)["deals:503"][1:4] == ("Lost at pilot", True, False)  # a custom stage, labelled
    assert hubspot.pipeline_reads == 1  # stage labels once per sync
    assert first["accepted"] == 4 + 5 + 4 and 3 in clock.sleeps and not hubspot.server.faults.queue
    changed = hubspot.objects["companies"]["1"]["history"]["annualrevenue"][0]["timestamp"]
    created = hubspot.objects["companies"]["1"]["createdAt"]
    assert arr_at(runtime, "1", created.replace("Z", "+00:00")) == 48000.0  # as it was before the change
    assert arr_at(runtime, "1", changed.replace("Z", "+00:00")) == 60000.0
    with session_scope(runtime.engine) as session:
        dana = session.exec(select(PersonIdentifier).where(PersonIdentifier.value == "dana@x.com")).one()
        acme = session.exec(select(Account).where(Account.external_id == "1")).one()
        assert session.get(Person, dana.person_id).account_id == acme.id  # contact -> company association
        assert acme.name == "Acme"

    marks = {t: max(millis(hubspot.value(t, i, MODIFIED[t])) for i in hubspot.objects[t]) for t in MODIFIED}
    searched = len(hubspot.searches)
    hubspot.update("companies", "2", annualrevenue="90000")
    hubspot.merge("companies", "1", "4")  # Acme EU merged into Acme
    hubspot.archive("contacts", "103")
    hubspot.update("contacts", "101", email="omar@acme.com")
    hubspot.add("contacts", "200", firstname="Ava", email="ava@globex.com")
    hubspot.associate("200", "2")
    hubspot.update("deals", "501", dealstage="closedlost", closed_lost_reason="Chose a competitor")
    hubspot.archive("deals", "503")
    hubspot.add("deals", "505", dealname="Acme renewal", dealstage="closedwon", amount="60000", closedate=CLOSE)
    hubspot.associate_deal("505", "1")
    hubspot.merge("deals", "502", "504")  # the bare deal merged into Globex's
    second = run_pipeline(runtime=runtime, sources=[_source(hubspot, clock)]).as_dict()

    assert second["errors"] == {}
    assert _stored(runtime) == _truth(hubspot)
    assert _deals(runtime) == _deals_truth(hubspot) and "deals:504" not in _deals(runtime)
    assert _deals(runtime)["deals:501"][1:] == (
        "Closed Lost",
        True,
        False,
        20000.0,
        date(2026, 9, 30),
        "Chose a competitor",
    )
    assert (second["accepted"], second["updated"], second["deleted"]) == (2, 5, 4)
    firsts: dict[str, str] = {}
    for object_type, search in zip(hubspot.searched_types[searched:], hubspot.searches[searched:], strict=True):
        firsts.setdefault(object_type, search["filterGroups"][0]["filters"][0]["value"])
    assert firsts == {t: str(marks[t] - 30_000) for t in MODIFIED}  # stored dates minus the index lag


def test_search_restarts_before_the_10000_result_cap(hubspot, tmp_path):
    hubspot.search_cap = 4  # stands for 10,000: pages of 3, so the second page would cross it
    for n in range(6):
        hubspot.add("contacts", str(300 + n), firstname=f"P{n}", email=f"p{n}@x.com")
    runtime = make_runtime(None, tmp_path)
    report = ingest_source(engine=runtime.engine, source=_source(hubspot, search_result_cap=4, page_size=3))
    assert report.error is None
    assert _stored(runtime) == _truth(hubspot)
    assert all(int(s.get("after", "0")) + s["limit"] <= 4 for s in hubspot.searches)


def test_expired_token_is_reported_and_never_retried(hubspot, tmp_path):
    runtime = make_runtime(None, tmp_path)
    assert_credentials_expired(runtime, _source(hubspot, token="revoked"), hubspot.server)


def test_the_daily_limit_stops_the_sync_and_the_ten_second_one_waits(hubspot, tmp_path):
    runtime = make_runtime(None, tmp_path)
    hubspot.daily_limit = 3
    report = ingest_source(engine=runtime.engine, source=_source(hubspot))
    assert "rate limited" in report.error and len(hubspot.server.log) == 4  # not retried
    source = _source(hubspot)
    assert source.rates()[0].calls == 100 and source.rates()[0].per_s == 10


def test_a_renamed_history_field_is_drift_not_lost_facts(hubspot, tmp_path):
    runtime = make_runtime(None, tmp_path)
    for version in hubspot.objects["companies"]["2"]["history"]["annualrevenue"]:
        version["time"] = version.pop("timestamp")
    report = ingest_source(engine=runtime.engine, source=_source(hubspot))
    assert report.counts["rejected"] == 1
    event = drift_events(runtime, "hubspot")[("propertiesWithHistory.annualrevenue[].timestamp", "renamed")]
    assert event.found == "time" and [x["external_id"] for x in event.examples] == ["companies:2"]


def test_deals_can_be_left_out_for_an_app_without_the_deals_scope(hubspot, tmp_path):
    runtime = make_runtime(None, tmp_path)
    report = ingest_source(engine=runtime.engine, source=_source(hubspot, objects="companies,contacts"))
    assert report.error is None and _deals(runtime) == {}
    assert "deals" not in hubspot.searched_types and hubspot.pipeline_reads == 0
    assert _stored(runtime) == _truth(hubspot)
