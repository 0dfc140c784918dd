"""Gong live sync through the real pipeline and storage, against the loopback fake with faults injected."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from groundswell.connectors.files.text import parse_timestamp
from groundswell.connectors.http.budget import Rate
from groundswell.connectors.http.gong import GongSource
from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline

from tests.connectors.http.conftest import make_runtime
from tests.connectors.http.stored import assert_credentials_expired, drift_events, live_units, stored_payloads
from tests.fakes.gong import ACCESS_KEY, SECRET, FakeGong
from tests.fakes.http import FakeClock


def _texts(payload) -> list[str]:
    return [" ".join(s["text"] for s in m["sentences"]) for m in payload["transcript"]]


def _stored(runtime) -> dict[str, list[str]]:
    return {cid: _texts(p) for cid, p in stored_payloads(runtime, "gong").items()}


@pytest.fixture
def gong() -> Iterator[FakeGong]:
    fake = FakeGong(page_size=4)
    for i in range(1, 10):
        fake.add_call(
            f"70{i}",
            [
                ("rep", f"Thanks for joining, how is rollout {i} going?"),
                ("cust", f"Exports for team {i} time out daily"),
            ],
        )
    with fake.server:
        yield fake
    assert fake.errors == []  # every request matched the documented API


def _source(fake: FakeGong, clock: FakeClock | None = None, **kw) -> GongSource:
    return GongSource(
        base_url=fake.server.url,
        credentials={"access_key": ACCESS_KEY, "access_key_secret": kw.pop("secret", SECRET)},
        clock=clock or FakeClock(),
        timeout_s=kw.pop("timeout_s", 2.0),
        **kw,
    )


def test_faults_late_transcripts_and_deletes_end_equal_to_the_truth(gong, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    gong.add_call("801", [], late=True)  # recorded, transcript not processed yet
    gong.server.faults.add("/v2/calls/extensive", "429", arg=4)
    gong.server.faults.add("/v2/calls/transcript", "500", times=2)
    gong.server.faults.add("/v2/calls/extensive", "truncate")
    gong.server.faults.add("/v2/calls/transcript", "timeout", arg=1.0)
    gong.duplicate_next_page = True
    first = run_pipeline(runtime=runtime, sources=[_source(gong, clock, timeout_s=0.5)]).as_dict()

    assert first["errors"] == {}
    assert _stored(runtime) == gong.live_truth()
    assert first["accepted"] == 10 and first["unchanged"] == 1  # the repeated call stored once
    assert 4 in clock.sleeps and not gong.server.faults.queue
    units = live_units(runtime, "gong")
    assert {role for _, role, _ in units} == {"customer"}  # rep words never become feedback
    assert len(units) == 9 and all("Exports for team" in text for _, _, text in units)

    gong.set_transcript("801", [("rep", "Let's look at SSO"), ("cust", "SAML login loops forever")])
    gong.set_transcript("705", [("cust", "Exports for team 5 now fail hourly")])
    del gong.calls["709"]  # deleted in Gong, inside the lookback window
    gong.add_call("802", [("cust", "The Salesforce sync drops custom fields")])
    newest = gong.calls["801"]["metaData"]["started"]
    mark = len(gong.filters)
    second = run_pipeline(runtime=runtime, sources=[_source(gong, clock)]).as_dict()

    assert second["errors"] == {}
    assert _stored(runtime) == gong.live_truth()
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 2, 1)
    assert len(live_units(runtime, "gong")) == 9 - 1 + 1 + 1
    windows = {f["fromDateTime"] for p, f in gong.filters[mark:] if p == "/v2/calls/extensive"}
    assert windows == {(parse_timestamp(newest) - timedelta(hours=48)).isoformat()}  # high-water minus lookback
    batches = [f["callIds"] for p, f in gong.filters[mark:] if p == "/v2/calls/transcript"]
    assert sorted(i for batch in batches for i in batch) == sorted(gong.calls)


def test_a_call_outside_the_lookback_window_is_not_refetched(gong, tmp_path):
    runtime = make_runtime(None, tmp_path)
    ingest_source(engine=runtime.engine, source=_source(gong, options={"lookback_hours": 2}))
    mark = len(gong.server.log)
    gong.add_call("803", [("cust", "Dashboards are slow")])
    report = ingest_source(engine=runtime.engine, source=_source(gong, options={"lookback_hours": 2}))
    assert report.error is None and report.counts["new"] == 1
    assert report.counts.get("unchanged", 0) <= 3  # only the last calls of the window, not the whole history
    assert sum(1 for _, p, _ in gong.server.log[mark:] if p == "/v2/calls/transcript") == 1


def test_expired_credentials_are_reported_and_never_retried(gong, tmp_path):
    runtime = make_runtime(None, tmp_path)
    assert_credentials_expired(runtime, _source(gong, secret="rotated"), gong.server)


def test_a_party_without_affiliation_is_schema_drift_not_a_guess(gong, tmp_path):
    runtime = make_runtime(None, tmp_path)
    for call_id in ("702", "703"):
        party = gong.calls[call_id]["parties"][1]
        party["affiliationType"] = party.pop("affiliation")  # renamed upstream
    report = ingest_source(engine=runtime.engine, source=_source(gong))
    assert (report.counts["rejected"], report.counts["new"]) == (2, 7)
    event = drift_events(runtime, "gong")[("parties[].affiliation", "renamed")]
    assert event.found == "affiliationType" and [x["external_id"] for x in event.examples] == ["702", "703"]


def test_documented_limits_are_the_default_budget(gong):
    source = _source(gong)
    assert source.rates() == (Rate(3, 1), Rate(10_000, 86_400))
    clock = FakeClock()
    items = list(_source(gong, clock).poll(None))
    assert len(items) == 9
    requests = len(gong.server.log)
    assert requests == 6  # 3 pages of calls + 3 transcript batches
    assert clock.t - 1000 == pytest.approx((requests - 3) / 3)  # three at once, then one every 1/3 s
