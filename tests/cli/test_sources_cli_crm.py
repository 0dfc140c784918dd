"""`groundswell sources add|test|sync` for the CRM and call sources, each against its loopback fake."""

from __future__ import annotations

import json

import groundswell.cli.sources  # noqa: F401
import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

from groundswell import cli
from tests.connectors.http.conftest import make_runtime
from tests.connectors.http.stored import stored_payloads
from tests.fakes import gong, hubspot, salesforce

runner = CliRunner()


def _seeded(kind: str):
    if kind == "gong":
        fake = gong.FakeGong(page_size=2)
        for i in range(3):
            fake.add_call(f"90{i}", [("cust", f"Alerts arrive late {i}")])
        return fake, {"ACCESS_KEY": gong.ACCESS_KEY, "ACCESS_KEY_SECRET": gong.SECRET}, 3
    if kind == "salesforce":
        fake = salesforce.FakeSalesforce(page_size=2)
        for i in range(3):
            fake.add("Account", f"001X{i}", Name=f"Co {i}", ARR__c=1000.0 * (i + 1))
        return fake, {"TOKEN": salesforce.TOKEN}, 3
    fake = hubspot.FakeHubSpot(page_size=2)
    for i in range(3):
        fake.add("companies", str(i + 1), name=f"Co {i}", annualrevenue=str(1000 * (i + 1)))
    return fake, {"TOKEN": hubspot.TOKEN}, 3


@pytest.mark.parametrize("kind", ["gong", "salesforce", "hubspot"])
def test_add_test_and_sync(kind, tmp_path, monkeypatch):
    fake, credentials, records = _seeded(kind)
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    for key, value in credentials.items():
        monkeypatch.setenv(f"GROUNDSWELL_CRM_{key}", value)
    runtime = make_runtime(None, tmp_path)
    monkeypatch.setattr(cli.sources, "build_runtime", lambda settings=None: runtime)
    with fake.server:
        added = runner.invoke(app, ["sources", "add", "crm", "--type", kind, "--base-url", fake.server.url, "--json"])
        assert added.exit_code == 0, added.output
        assert json.loads(added.stdout)["credentials_env"] == [f"GROUNDSWELL_CRM_{k}" for k in credentials]
        shown = runner.invoke(app, ["sources", "test", "crm", "--limit", "2"], catch_exceptions=False)
        assert "credentials ok, 2 records" in shown.stdout
        assert stored_payloads(runtime, "crm") == {}  # test stores nothing
        synced = runner.invoke(app, ["sources", "sync", "--json"], catch_exceptions=False)
        summary = json.loads(synced.stdout)
        assert summary["errors"] == {} and summary["accepted"] == records
    assert fake.errors == []
