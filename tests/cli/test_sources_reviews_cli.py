"""`groundswell sources add|sync` for the App Store connector: options, three credentials, the PEM key a path."""

from __future__ import annotations

import json

import groundswell.cli.sources  # noqa: F401
import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

from groundswell import cli
from tests.connectors.http.conftest import make_runtime, stored_records
from tests.fakes.appstore import APP_ID, ISSUER, KEY_ID, PRIVATE_KEY, FakeAppStore

runner = CliRunner()


@pytest.fixture
def appstore():
    fake = FakeAppStore()
    for i in range(1, 6):
        fake.add(f"rv{i}", f"Crash on launch {i}")
    with fake.server:
        yield fake
    assert fake.errors == []


def test_add_then_sync_an_app_store_source(appstore, tmp_path, monkeypatch):
    key_file = tmp_path / "AuthKey.p8"
    key_file.write_text(PRIVATE_KEY)
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GROUNDSWELL_IOS_ISSUER_ID", ISSUER)
    monkeypatch.setenv("GROUNDSWELL_IOS_KEY_ID", KEY_ID)
    monkeypatch.setenv("GROUNDSWELL_IOS_PRIVATE_KEY", str(key_file))
    runtime = make_runtime(None, tmp_path)
    monkeypatch.setattr(cli.sources, "build_runtime", lambda settings=None: runtime)
    args = ["sources", "add", "ios", "--type", "appstore", "--option", f"app_id={APP_ID}"]
    added = runner.invoke(app, [*args, "--base-url", appstore.server.url, "--json"], catch_exceptions=False)
    assert json.loads(added.stdout)["credentials_env"] == [
        "GROUNDSWELL_IOS_ISSUER_ID",
        "GROUNDSWELL_IOS_KEY_ID",
        "GROUNDSWELL_IOS_PRIVATE_KEY",
    ]
    synced = runner.invoke(app, ["sources", "sync", "--json"], catch_exceptions=False)
    assert json.loads(synced.stdout)["accepted"] == 5
    assert stored_records(runtime, "ios", lambda p: [p["attributes"]["body"]]) == appstore.live_truth()
