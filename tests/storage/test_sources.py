"""Drift events, freshness and push idempotency keys on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

from groundswell.core.models import FieldDrift
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.raw import ensure_source, save_sync_state
from groundswell.storage.sources import (
    MAX_DRIFT_EXAMPLES,
    get_push_request,
    list_drift,
    record_drift,
    save_push_request,
    source_statuses,
)


def test_drift_events_count_and_keep_a_few_examples(engine):
    finding = FieldDrift(path="comments[].body", problem="renamed", expected="str", found="body_text", example="{}")
    with session_scope(engine) as session:
        for i in range(7):
            record_drift(session=session, source="zendesk", external_id=str(i), findings=[finding])
    with session_scope(engine) as session:
        (event,) = list_drift(session=session, source="zendesk")
        assert (event.count, event.found, len(event.examples)) == (7, "body_text", MAX_DRIFT_EXAMPLES)
        assert event.examples[0] == {"external_id": "0", "example": "{}"}


def test_a_source_is_stale_past_its_cadence(engine):
    with session_scope(engine) as session:
        ensure_source(session=session, name="zendesk", kind="api", cadence_s=3600)
        ensure_source(session=session, name="never", kind="api")
        save_sync_state(session=session, source="zendesk", checkpoint={"cursor": "c"}, counts={"new": 3})
    with session_scope(engine) as session:
        now = utcnow()
        fresh = {s.name: s.stale for s in source_statuses(session=session, now=now)}
        later = {s.name: s.stale for s in source_statuses(session=session, now=now + timedelta(hours=2))}
    assert fresh == {"never": True, "zendesk": False} and later == {"never": True, "zendesk": True}


def test_push_requests_are_found_by_source_and_key(engine):
    with session_scope(engine) as session:
        save_push_request(session=session, source="app", key="k", body_sha256="abc", response={"records": 1})
    with session_scope(engine) as session:
        assert get_push_request(session=session, source="app", key="k").response == {"records": 1}
        assert get_push_request(session=session, source="other", key="k") is None
