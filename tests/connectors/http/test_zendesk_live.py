"""Zendesk live sync through the real pipeline and storage, against the loopback fake with faults injected."""

from __future__ import annotations

from groundswell.jobs.ingest import ingest_source
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import RejectedRecord, SyncState
from groundswell.storage.sources import list_drift, source_statuses
from sqlmodel import select

from tests.connectors.http.conftest import (
    live_unit_ids,
    make_runtime,
    seeded_zendesk,
    stored_truth,
    zendesk_source,
)
from tests.fakes.http import FakeClock


def _export_calls(fake, since: int = 0) -> list[str]:
    return [q for _, path, q in fake.server.log[since:] if path.endswith("/incremental/tickets/cursor.json")]


def test_faults_edits_deletes_and_merges_end_equal_to_the_truth(zendesk, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    zendesk.server.faults.add("/incremental/", "429", arg=7)
    zendesk.server.faults.add("/comments.json", "500", times=2)
    zendesk.server.faults.add("/incremental/", "truncate")
    zendesk.server.faults.add("/tickets/5/comments.json", "timeout", arg=1.0)
    zendesk.overlap_next_page = True  # the second page repeats the first page's last ticket
    source = zendesk_source(zendesk, clock, timeout_s=0.5)

    first = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    assert first["errors"] == {}
    assert stored_truth(runtime, "zendesk") == zendesk.live_truth()
    assert first["accepted"] == 12 and first["unchanged"] == 1  # the duplicated item stored once
    assert 7 in clock.sleeps  # Retry-After honoured
    assert len(zendesk.server.faults.injected) == 5 and not zendesk.server.faults.queue
    units_before = live_unit_ids(runtime)
    assert len(units_before) == 24 and runtime.vectors.count() == 24  # two customer comments per ticket

    zendesk.edit_comment(3, 0, "Export number 3 now fails every hour")
    zendesk.add_comment(4, 1, "And the CSV is empty too")
    zendesk.delete(6)
    zendesk.touch(7, status="closed", tags=["closed_by_merge"])
    zendesk.add_ticket(13, 1, [(1, "SSO login loops forever")])
    zendesk.server.faults.add("/comments.json", "429", arg=3)
    mark = len(zendesk.server.log)
    second = run_pipeline(runtime=runtime, sources=[zendesk_source(zendesk, clock)]).as_dict()

    assert second["errors"] == {}
    assert stored_truth(runtime, "zendesk") == zendesk.live_truth()
    assert (second["accepted"], second["updated"], second["deleted"]) == (1, 2, 2)
    assert second["units_removed"] == 4  # tickets 6 and 7, two each: their vectors go too
    assert len(live_unit_ids(runtime)) == runtime.vectors.count() == 24 - 4 + 1 + 1
    assert all("cursor=" in q for q in _export_calls(zendesk, mark))  # incremental: from the stored cursor


def test_a_crashed_backfill_resumes_after_the_stored_pages(zendesk, tmp_path):
    runtime = make_runtime(None, tmp_path)
    source = zendesk_source(zendesk)
    polled = source.poll

    def crashing(checkpoint):
        for n, item in enumerate(polled(checkpoint), start=1):
            if n == 10:  # in the middle of the third page of four tickets
                raise RuntimeError("killed")
            yield item

    source.poll = crashing
    crashed = ingest_source(engine=runtime.engine, source=source)  # recorded, not raised
    assert crashed.error is not None and "killed" in crashed.error
    # two pages committed with their checkpoint (and the first ticket of page 3, read before it was known done)
    assert len(stored_truth(runtime, "zendesk")) == 9
    mark = len(zendesk.server.log)
    report = ingest_source(engine=runtime.engine, source=zendesk_source(zendesk))
    assert report.error is None
    assert stored_truth(runtime, "zendesk") == zendesk.live_truth()
    refetched = {p for _, p, _ in zendesk.server.log[mark:] if p.endswith("/comments.json")}
    assert refetched == {f"/api/v2/tickets/{i}/comments.json" for i in range(9, 13)}
    assert "cursor=" in _export_calls(zendesk, mark)[0]


def test_expired_credentials_are_reported_and_never_retried(zendesk, tmp_path):
    runtime = make_runtime(None, tmp_path)
    source = zendesk_source(zendesk)
    source.client._http.auth = ("bot@brightloop.io/token", "revoked")
    report = ingest_source(engine=runtime.engine, source=source)
    assert report.error.startswith("zendesk: credentials expired for source zendesk (HTTP 401")
    assert len(zendesk.server.log) == 1
    with session_scope(runtime.engine) as session:
        assert session.get(SyncState, "zendesk").last_error == report.error


def test_schema_drift_is_an_event_with_examples_not_empty_text(zendesk, tmp_path):
    runtime = make_runtime(None, tmp_path)
    for ticket in (2, 3):
        comment = zendesk.tickets[ticket]["_comments"][0]
        comment["body_text"] = comment.pop("body")  # renamed upstream
    zendesk.tickets[4]["_comments"][1]["author_id"] = "2"  # retyped upstream
    report = ingest_source(engine=runtime.engine, source=zendesk_source(zendesk))
    assert report.counts["rejected"] == 3 and report.counts["new"] == 9
    with session_scope(runtime.engine) as session:
        events = {(e.path, e.problem): e for e in list_drift(session=session, source="zendesk")}
        renamed = events[("comments[].body", "renamed")]
        assert renamed.found == "body_text" and renamed.count == 2
        assert [x["external_id"] for x in renamed.examples] == ["2", "3"]
        assert events[("comments[].author_id", "retyped")].found == "str"
        reasons = session.exec(select(RejectedRecord.reason)).all()
        assert all(r.startswith("schema drift: field 'comments[]") for r in reasons)
        status = source_statuses(session=session)[0]
        assert (status.name, status.drift_events, status.stale) == ("zendesk", 2, False)


def test_backfill_on_postgresql_equals_the_truth(postgres_url, tmp_path):
    fake = seeded_zendesk(tickets=6)
    with fake.server:
        runtime = make_runtime(postgres_url, tmp_path)
        fake.server.faults.add("/comments.json", "500")
        report = ingest_source(engine=runtime.engine, source=zendesk_source(fake, name="zendesk_pg"))
        assert report.error is None
        assert stored_truth(runtime, "zendesk_pg") == fake.live_truth()
    assert fake.errors == []
