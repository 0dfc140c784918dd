"""What `groundswell serve` hosts: health, readiness and the push webhooks, with or without Slack configured."""

from __future__ import annotations

from fastapi.testclient import TestClient

from cli.slack import build_api
from runtime import build_runtime
from settings import Settings


def test_serve_mounts_health_and_the_push_endpoint_without_slack(tmp_path):
    runtime = build_runtime(Settings(data_dir=tmp_path, push_secrets={"myapp": "s3cret"}))
    client = TestClient(build_api(runtime))
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    unsigned = client.post("/ingest/myapp", content=b'{"records": []}')
    assert unsigned.status_code == 401  # the push router answered: a known source needs a signature
    unknown = client.post("/ingest/nobody", content=b'{"records": []}')
    assert unknown.status_code == 404 and "unknown push source" in unknown.text
    assert client.post("/slack/events", content=b"{}").status_code == 404  # no Slack credentials: not mounted
