"""What `groundswell serve` hosts: health, readiness and the push webhooks, with or without Slack configured."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from cli.slack import build_api
from jobs.worker import open_job_store
from runtime import build_runtime
from settings import Settings
from tests.api.test_metrics import parse


def test_serve_mounts_health_and_the_push_endpoint_without_slack(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, push_secrets={"myapp": "s3cret"}))
    client = TestClient(build_api(runtime))
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert "groundswell_database_up 1.0" in client.get("/metrics").text
    unsigned = client.post("/ingest/myapp", content=b'{"records": []}')
    assert unsigned.status_code == 401  # the push router answered: a known source needs a signature
    unknown = client.post("/ingest/nobody", content=b'{"records": []}')
    assert unknown.status_code == 404 and "unknown push source" in unknown.text
    assert client.post("/slack/events", content=b"{}").status_code == 404  # no Slack credentials: not mounted


def _threads() -> set[int]:
    return {t.ident for t in threading.enumerate() if t.is_alive() and t.ident is not None}


def test_serve_runs_the_scheduler_while_the_app_is_up_and_leaves_no_thread(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, embedded_scheduler=True))
    before = _threads()
    with TestClient(build_api(runtime)) as client:
        assert client.get("/healthz").status_code == 200
        names = {t.name for t in threading.enumerate()}
        assert any("APScheduler" in n for n in names)  # the BackgroundScheduler's thread
        opened = open_job_store(runtime)
        try:
            assert {"spikes", "tickets-sync", "pipeline"} <= {job.id for job in opened.get_jobs()}
        finally:
            opened.shutdown(wait=False)
    deadline = time.monotonic() + 10
    while _threads() - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _threads() - before == set()


def test_serve_without_the_embedded_scheduler_starts_none(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, embedded_scheduler=False))
    with TestClient(build_api(runtime)) as client:
        assert client.get("/healthz").status_code == 200
        assert not any("APScheduler" in t.name for t in threading.enumerate())


def test_refused_api_tokens_are_counted_in_the_metrics_serve_exposes(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path))
    client = TestClient(build_api(runtime))
    assert client.get("/api/v1/themes", headers={"Authorization": "Bearer gsk_forged"}).status_code == 401
    assert client.get("/api/v1/themes").status_code == 401
    got = parse(client.get("/metrics").text)
    assert got[("groundswell_access_denials_total", (("reason", "unauthorized"), ("surface", "rest")))] == 2
