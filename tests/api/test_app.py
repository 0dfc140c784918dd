"""The HTTP app: health, readiness (database reachable, schema at head), extra routers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.storage.db import create_db_engine, migrate


def test_health_and_readiness(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    client = TestClient(create_api(slack=None, engine=engine))
    assert client.get("/healthz").json() == {"status": "ok"}
    behind = client.get("/readyz")
    assert behind.status_code == 503 and behind.json()["migrations"] == [] and behind.json()["head"]
    migrate(engine)
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["migrations"] == behind.json()["head"]
    assert client.post("/slack/events", content="{}").status_code == 404  # no Slack app configured


def test_unreachable_database_is_not_ready():
    engine = create_db_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = TestClient(create_api(slack=None, engine=engine)).get("/readyz")
    assert response.status_code == 503 and response.json()["database"].startswith("unreachable")


def test_extra_routers_are_mounted(tmp_path):
    router = APIRouter(prefix="/ingest")

    @router.get("/ping")
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    client = TestClient(create_api(slack=None, engine=engine, extra_routers=[router]))
    assert client.get("/ingest/ping").json() == {"pong": "yes"}
