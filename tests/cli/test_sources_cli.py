"""`groundswell sources …` against the Zendesk loopback fake, credentials from the environment."""

from __future__ import annotations

import json

import groundswell.cli.sources  # noqa: F401
import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

from groundswell import cli
from tests.connectors.http.conftest import make_runtime, seeded_zendesk, stored_truth
from tests.fakes.zendesk import EMAIL, TOKEN

runner = CliRunner()


@pytest.fixture
def runtime(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GROUNDSWELL_HELPDESK_EMAIL", EMAIL)
    monkeypatch.setenv("GROUNDSWELL_HELPDESK_TOKEN", TOKEN)
    runtime = make_runtime(None, tmp_path)
    monkeypatch.setattr(cli.sources, "build_runtime", lambda settings=None: runtime)
    return runtime


@pytest.fixture
def zendesk():
    fake = seeded_zendesk()
    with fake.server:
        yield fake
    assert fake.errors == []


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_add_test_sync_list_backfill(runtime, zendesk):
    added = json.loads(
        _run("sources", "add", "helpdesk", "--type", "zendesk", "--base-url", zendesk.server.url, "--json")
    )
    assert added["credentials_env"] == ["GROUNDSWELL_HELPDESK_EMAIL", "GROUNDSWELL_HELPDESK_TOKEN"]
    listed = json.loads(_run("sources", "list", "--json"))
    assert listed["sources"][0]["stale"] is True  # never synced

    shown = _run("sources", "test", "helpdesk", "--limit", "3")
    assert "credentials ok, 3 records" in shown and TOKEN not in shown
    assert stored_truth(runtime, "helpdesk") == {}  # test stores nothing

    summary = json.loads(_run("sources", "sync", "--json"))
    assert summary["accepted"] == 12 and summary["errors"] == {}
    assert stored_truth(runtime, "helpdesk") == zendesk.live_truth()
    status = json.loads(_run("sources", "list", "--json"))["sources"][0]
    assert (status["stale"], status["records"], status["kind"]) == (False, 12, "api")

    again = json.loads(_run("sources", "backfill", "helpdesk", "--json"))
    assert (again["accepted"], again["unchanged"]) == (0, 12)  # read again, stored once


def test_wrong_credentials_fail_with_a_clear_message(runtime, zendesk, monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_HELPDESK_TOKEN", "wrong-token-value")
    _run("sources", "add", "helpdesk", "--type", "zendesk", "--base-url", zendesk.server.url)
    result = runner.invoke(app, ["sources", "test", "helpdesk"])
    assert "credentials expired for source helpdesk" in str(result.exception)
    assert "wrong-token-value" not in result.output + str(result.exception)
