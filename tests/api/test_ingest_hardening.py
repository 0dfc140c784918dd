"""Push webhook under attack: bad records among good ones, replays, oversized bodies, malformed input, races."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from groundswell.api.ingest import IngestDeps, build_ingest_router
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import FeedbackUnit, PushRequest, RawRecordRow, RejectedRecord
from groundswell.storage.raw import ensure_source
from sqlalchemy import Engine, event, text
from sqlmodel import SQLModel, select

from tests.api.test_ingest import NOW, SECRET, _post, _record
from tests.jobs.fakes import DictIndex


def _client(engine: Engine, **limits) -> TestClient:
    deps = IngestDeps(engine=engine, secrets={"myapp": SECRET}, vectors=DictIndex(), now=lambda: NOW, **limits)
    app = FastAPI()
    app.include_router(build_ingest_router(deps))
    return TestClient(app)


@pytest.fixture
def sqlite_engine(tmp_path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def any_engine(request, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_engine")
        return
    engine = create_db_engine(request.getfixturevalue("postgres_url"))
    migrate(engine)
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


def _count(engine: Engine, model: type) -> int:
    with session_scope(engine) as session:
        return len(session.exec(select(model)).all())


def test_good_records_land_and_bad_ones_are_kept_as_rejected_and_listed(sqlite_engine):
    client = _client(sqlite_engine)
    bad = {"id": "b", "created_at": "not a date", "messages": [{"id": "m", "text": 5}]}
    reply = _post(client, [_record("a"), bad, "not an object"])
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["outcomes"] == {"new": 1, "rejected": 2}
    assert [(r["index"], r["id"]) for r in body["rejected"]] == [(1, "b"), (2, None)]
    locs = [e["loc"] for e in body["rejected"][0]["errors"]]
    assert ["records", 1, "created_at"] in locs and ["records", 1, "messages", 0, "text"] in locs
    with session_scope(sqlite_engine) as session:
        rejected = session.exec(select(RejectedRecord)).all()
    assert [(r.external_id, r.stage) for r in rejected] == [("b", "push"), (None, "push")]
    assert "not a date" in rejected[0].raw and "created_at" in rejected[0].reason
    assert _count(sqlite_engine, RawRecordRow) == 1


def test_a_batch_without_a_good_record_is_a_422_problem_and_still_kept(sqlite_engine):
    reply = _post(_client(sqlite_engine), [{"id": "x"}])
    assert reply.status_code == 422 and reply.headers["content-type"] == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == 422 and problem["title"] == "Unprocessable Entity"
    assert problem["rejected"][0]["id"] == "x" and _count(sqlite_engine, RejectedRecord) == 1


def test_a_replayed_push_is_refused_and_cannot_bring_a_deleted_record_back(sqlite_engine):
    client = _client(sqlite_engine)
    assert _post(client, [_record("a")]).status_code == 200
    assert _post(client, [_record("a", deleted=True)], ts=NOW + 1).status_code == 200
    replay = _post(client, [_record("a")])
    assert replay.status_code == 409 and "replay" in replay.json()["detail"]
    with session_scope(sqlite_engine) as session:
        assert session.exec(select(FeedbackUnit).where(FeedbackUnit.deleted_at.is_(None))).all() == []
    retried = _post(client, [_record("a")], ts=NOW + 2, key="k")  # a keyed retry is answered, not refused
    assert _post(client, [_record("a")], ts=NOW + 2, key="k").json() == retried.json()


def test_an_oversized_body_is_refused_from_its_length_or_while_streaming(sqlite_engine):
    client = _client(sqlite_engine, max_body_bytes=2_000)
    big = json.dumps({"records": [_record("a", "x" * 5_000)]}).encode()
    declared = _post(client, None, body=big)
    assert declared.status_code == 413 and declared.headers["content-type"] == "application/problem+json"

    app = FastAPI()
    app.include_router(
        build_ingest_router(IngestDeps(engine=sqlite_engine, secrets={"myapp": SECRET}, max_body_bytes=2_000))
    )
    chunks, sent = [b"x" * 1_000] * 50, []

    async def receive() -> dict:
        sent.append(1)
        return {"type": "http.request", "body": chunks[len(sent) - 1], "more_body": len(sent) < len(chunks)}

    messages: list[dict] = []

    async def send(message: dict) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/ingest/myapp",
        "raw_path": b"/ingest/myapp",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"transfer-encoding", b"chunked")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(app(scope, receive, send))
    assert messages[0]["status"] == 413
    assert len(sent) == 3  # stopped reading at the first chunk past the limit, not after all 50


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b"null",
        b'{"records": 5}',
        b'{"records": [1, "x", null, []]}',
        b"[" * 100_000,
        b"\xff\xfe\x00garbage",
        b'{"records": [{"id": 5, "created_at": "nope", "messages": "many"}]}',
        b'{"records": [{"id": "n", "created_at": "2026-01-01T00:00:00Z",'
        b' "messages": [{"id": "1", "text": "a\\u0000b"}]}]}',
        b'{"records": [{"id": "' + b"i" * 300 + b'", "created_at": 1e400}]}',
    ],
)
def test_malformed_input_is_a_4xx_problem_never_a_500(sqlite_engine, body):
    reply = _post(_client(sqlite_engine), None, body=body)
    assert reply.status_code < 500, reply.text
    if reply.status_code >= 400:
        assert reply.headers["content-type"] == "application/problem+json"


def _race(engine: Engine, deliveries: list[dict]) -> list[int]:
    """Send ``deliveries`` at once: every thread has read before any writes its first raw record."""
    with session_scope(engine) as session:
        ensure_source(session=session, name="myapp", kind="webhook")
    barrier, local = threading.Barrier(len(deliveries)), threading.local()

    def hold(conn, cursor, statement, *args) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO RAW_RECORD") and not getattr(local, "waited", False):
            local.waited = True
            with contextlib.suppress(threading.BrokenBarrierError):  # a lone delivery goes on
                barrier.wait(timeout=10)

    event.listen(engine, "before_cursor_execute", hold)
    statuses: list[int] = []

    def deliver(kwargs: dict) -> None:
        with _client(engine) as client:
            statuses.append(_post(client, [_record("a")], **kwargs).status_code)

    threads = [threading.Thread(target=deliver, args=(d,)) for d in deliveries]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        event.remove(engine, "before_cursor_execute", hold)
    return statuses


def test_two_identical_keyed_deliveries_at_once_store_one_record(any_engine):
    assert _race(any_engine, [{"key": "k1"}, {"key": "k1"}]) == [200, 200]
    assert _count(any_engine, RawRecordRow) == 1 and _count(any_engine, PushRequest) == 1


def test_two_identical_batches_at_once_store_one_record(any_engine):
    assert _race(any_engine, [{"ts": NOW}, {"ts": NOW + 1}]) == [200, 200]
    assert _count(any_engine, RawRecordRow) == 1
