"""POST /ingest/{source}: signatures, replay window, batch limits, idempotency keys, clear 4xx errors."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from groundswell.api.ingest import IngestDeps, build_ingest_router, sign
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import FeedbackUnit, RawRecordRow
from sqlmodel import select

from tests.jobs.fakes import DictIndex

SECRET = "push-secret"
NOW = 1_800_000_000


@pytest.fixture
def setup(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    vectors = DictIndex()
    deps = IngestDeps(
        engine=engine,
        secrets={"myapp": SECRET},
        vectors=vectors,
        max_batch=3,
        now=lambda: NOW,
        company_domains=["brightloop.io"],
    )
    app = FastAPI()
    app.include_router(build_ingest_router(deps))
    return TestClient(app), engine, vectors


def _record(rid: str, text: str = "The export button does nothing", deleted: bool = False) -> dict:
    return {
        "id": rid,
        "created_at": "2026-11-01T10:00:00Z",
        "channel": "chat",
        "deleted": deleted,
        "custom_field": {"kept": True},
        "messages": [
            {"id": f"{rid}-1", "text": text, "author": {"email": "ana@acme.com", "role": "customer"}},
            {"id": f"{rid}-2", "text": "Thanks, we are on it", "author": {"email": "sam@brightloop.io"}},
        ],
    }


def _post(client, records, *, key=None, ts=NOW, secret=SECRET, source="myapp", body=None):
    raw = body if body is not None else json.dumps({"records": records}).encode()
    headers = {"X-Groundswell-Timestamp": str(ts), "X-Groundswell-Signature": sign(secret, str(ts), raw)}
    if key:
        headers["Idempotency-Key"] = key
    return client.post(f"/ingest/{source}", content=raw, headers=headers)


def _live_units(engine) -> list[str]:
    with session_scope(engine) as session:
        return list(session.exec(select(FeedbackUnit.text).where(FeedbackUnit.deleted_at.is_(None))))


def test_signed_batch_is_stored_verbatim_and_cut_into_units(setup):
    client, engine, _ = setup
    reply = _post(client, [_record("a"), _record("b", "SSO fails")])
    assert reply.status_code == 200, reply.text
    assert reply.json()["outcomes"] == {"new": 2}
    with session_scope(engine) as session:
        row = session.exec(select(RawRecordRow).where(RawRecordRow.external_id == "a")).one()
        assert row.payload["custom_field"] == {"kept": True}  # raw kept as sent
    assert sorted(_live_units(engine)) == ["SSO fails", "The export button does nothing"]  # staff reply not a unit


def test_refusals_are_clear(setup):
    client, _, _ = setup
    assert _post(client, [_record("a")], secret="wrong").status_code == 401
    old = _post(client, [_record("a")], ts=NOW - 301)
    assert old.status_code == 401 and "replay window" in old.json()["detail"]
    assert _post(client, [_record("a")], source="nobody").status_code == 404
    assert _post(client, [_record(str(i)) for i in range(4)]).status_code == 413
    assert _post(client, None, body=b'{"records": [').status_code == 400
    bad = _post(client, [{"id": "x", "messages": []}])
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["records", 0, "created_at"]


def test_idempotency_key_returns_the_first_result_and_stores_once(setup):
    client, engine, _ = setup
    first = _post(client, [_record("a")], key="k1")
    again = _post(client, [_record("a")], key="k1")
    assert again.status_code == 200 and again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    with session_scope(engine) as session:
        assert len(session.exec(select(RawRecordRow)).all()) == 1
    other = _post(client, [_record("a", "changed")], key="k1")
    assert other.status_code == 422


def test_a_pushed_tombstone_removes_units_and_vectors(setup):
    client, engine, vectors = setup
    _post(client, [_record("a")])
    with session_scope(engine) as session:
        unit_ids = list(session.exec(select(FeedbackUnit.id)))
    vectors.upsert(unit_ids, [[1.0, 0.0]] * len(unit_ids), [{}] * len(unit_ids))
    reply = _post(client, [_record("a", deleted=True)])
    assert reply.json()["outcomes"] == {"deleted": 1}
    assert _live_units(engine) == [] and vectors.count() == 0


def test_pushed_records_are_counted_in_the_pipeline_metrics(tmp_path):
    from groundswell.api.metrics import Metrics

    from tests.api.test_metrics import parse

    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    metrics = Metrics()
    deps = IngestDeps(engine=engine, secrets={"myapp": SECRET}, now=lambda: NOW, telemetry=metrics)
    app = FastAPI()
    app.include_router(build_ingest_router(deps))
    reply = _post(TestClient(app), [_record("a"), _record("b", "SSO fails"), {"id": "c"}])
    assert reply.status_code == 200 and len(reply.json()["rejected"]) == 1, reply.text
    got = parse(metrics.render().decode())
    assert got[("groundswell_pipeline_units_total", (("stage", "ingest"),))] == 3  # the refused record too
    assert ("groundswell_pipeline_units_total", (("stage", "redact"),)) not in got  # no privacy configured
