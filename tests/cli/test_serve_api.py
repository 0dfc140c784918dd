"""What `groundswell serve` hosts: health, readiness and the push webhooks, with or without Slack configured."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient
from groundswell.cli.slack import build_api
from groundswell.jobs.worker import open_job_store

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
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


def test_the_worker_serves_its_own_counters_when_given_a_port(tmp_path):
    from urllib.request import urlopen

    from groundswell.cli.jobs import start_worker_metrics
    from groundswell.jobs.pipeline import run_pipeline

    from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket

    assert start_worker_metrics(build_runtime(Settings(data_dir=tmp_path / "off"))) is None  # no port: no server
    runtime = build_runtime(Settings(data_dir=tmp_path, worker_metrics_port=0))
    runtime.__dict__.update(embedder=HashEmbedder(), vectors=DictIndex())
    server = start_worker_metrics(runtime)
    assert server is not None
    try:
        run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", "Export times out"))])])
        with urlopen(f"http://127.0.0.1:{server.server_port}/metrics", timeout=10) as response:
            got = parse(response.read().decode())
    finally:
        server.shutdown()
        server.server_close()
    assert got[("groundswell_pipeline_units_total", (("stage", "embed"),))] == 1
    assert ("groundswell_database_up", ()) not in got  # the shared state is the app's to report
