"""Delighted, live: time-keyed paging (no response lost when one is updated mid-sync), edits, delete sweep."""

from __future__ import annotations

import pytest
from groundswell.connectors.http.delighted import DelightedSource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.pipeline import run_pipeline

from tests.connectors.http.conftest import ingest_once, live_unit_ids, make_runtime, stored_records
from tests.fakes.delighted import API_KEY, FakeDelighted
from tests.fakes.http import FakeClock


@pytest.fixture
def delighted():
    fake = FakeDelighted()
    for i in range(1, 11):
        fake.add(f"r{i}", i % 11, f"Reports load slowly ({i})", person=f"p{i % 3}")
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake: FakeDelighted, clock: FakeClock | None = None, api_key: str = API_KEY, **options):
    return DelightedSource(
        base_url=fake.server.url,
        credentials={"api_key": api_key},
        options={"page_size": 4, **options},
        clock=clock or FakeClock(),
        timeout_s=0.5,
    )


def _texts(payload: dict) -> list[str]:
    return [payload["comment"]]


def _queries(fake: FakeDelighted, since: int = 0) -> list[str]:
    return [q for _, _, q in fake.server.log[since:]]


def test_sync_with_faults_and_an_update_mid_sync_then_edits_and_deletes(delighted, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    delighted.server.faults.add("/survey_responses.json", "429", arg=13)
    delighted.server.faults.add("/survey_responses.json", "500", times=2)
    delighted.server.faults.add("/survey_responses.json", "truncate")
    delighted.server.faults.add("/survey_responses.json", "timeout", arg=1.0)
    # after the first page, r1 is updated: page numbers alone would now skip r5
    delighted.between_pages = lambda: delighted.update("r1", comment="Reports load slowly, still")
    first = run_pipeline(runtime=runtime, sources=[_source(delighted, clock)]).as_dict()
    assert first["errors"] == {}
    assert stored_records(runtime, "delighted", _texts) == delighted.live_truth()
    assert first["accepted"] == 10 and 13 in clock.sleeps and not delighted.server.faults.queue
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 10

    delighted.update("r3", comment="Reports load slowly and export times out")
    del delighted.responses["r6"]
    delighted.add("r11", 2, "Cannot find the billing page")
    mark = len(delighted.server.log)
    second = run_pipeline(runtime=runtime, sources=[_source(delighted, clock)]).as_dict()
    assert second["errors"] == {}
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 1, 1)
    assert stored_records(runtime, "delighted", _texts) == delighted.live_truth()
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 10
    incremental = [q for q in _queries(delighted, mark) if "updated_since" in q]
    assert incremental and all("updated_since=0" not in q for q in incremental)


def test_the_export_normaliser_reads_the_api_response(delighted):
    delighted.add("c1", 4, "Support was quick", kind="csat")
    source = _source(delighted, sweep_deletes="false")
    records = {r.external_id: r for r in source.poll(None)}
    nps, csat = source.normalize(records["r9"]), source.normalize(records["c1"])
    assert (nps.score, nps.rating, nps.account_ref) == (9, None, "Acme")
    assert (csat.score, csat.rating) == (None, 4.0)
    author = nps.messages[0].author
    assert (author.role, author.email, author.name) == (SpeakerRole.CUSTOMER, "p0@acme.com", "Person p0")
    assert nps.url == "https://app.delighted.com/responses/r9"
    assert all("updated_since" in q for q in _queries(delighted))  # no sweep when it is off


def test_a_wrong_api_key_is_credentials_expired(delighted, tmp_path):
    report = ingest_once(_source(delighted, api_key="revoked"), tmp_path)
    assert report.error.startswith("delighted: credentials expired for source delighted (HTTP 401")
    assert len(delighted.server.log) == 1


def test_a_retyped_score_is_drift(delighted, tmp_path):
    delighted.responses["r4"]["score"] = "9"
    report = ingest_once(_source(delighted), tmp_path)
    assert report.counts["rejected"] == 1 and report.counts["new"] == 9
