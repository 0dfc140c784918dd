"""`groundswell ticket …` end to end: the local tracker, and Jira (loopback fake) with a failure and a retry."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from groundswell.cli.main import app
from groundswell.storage.db import utcnow
from typer.testing import CliRunner

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.fakes.jira import FakeJira
from tests.storage.signal_data import Row, seed


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    engine = build_runtime(Settings()).engine
    now = utcnow()
    seed(
        engine,
        [Row(f"u{i}", now - timedelta(days=i), "auth.sso", f"A{i % 2}", "enterprise", 50_000.0) for i in range(6)],
    )
    engine.dispose()
    return tmp_path


def _run(*args: str, code: int = 0) -> dict:
    result = CliRunner().invoke(app, ["ticket", *args, "--json"])
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def test_local_create_dedupes_and_lists(data_dir):
    (created,) = _run("create", "--theme", "auth.sso")["results"]
    assert created["status"] == "created" and created["ticket"]["tracker"] == "local"
    (again,) = _run("create", "--theme", "auth.sso")["results"]
    assert again["status"] == "existing" and again["existing"][0]["key"] == created["ticket"]["key"]
    (linked,) = _run("create", "--theme", "auth.sso", "--link", created["ticket"]["key"])["results"]
    assert linked["status"] == "linked"
    tickets = _run("list")["tickets"]
    assert [t["status"] for t in tickets] == ["open", "open"]
    assert tickets[0]["title"].startswith("SSO login failures: 6 mentions, 2 accounts ($100k ARR)")
    assert _run("status", str(created["ticket_id"]))["ticket"]["key"] == created["ticket"]["key"]


def test_jira_failure_saves_a_draft_and_retry_files_it(data_dir, monkeypatch):
    with FakeJira() as fake:
        monkeypatch.setenv("GROUNDSWELL_TICKET_TRACKER", "jira")
        monkeypatch.setenv("GROUNDSWELL_JIRA_URL", fake.url)
        monkeypatch.setenv("GROUNDSWELL_JIRA_EMAIL", "bot@brightloop.io")
        monkeypatch.setenv("GROUNDSWELL_JIRA_API_TOKEN", "jira-token")
        fake.fail_next("/rest/api/3/search", 503)
        (failed,) = _run("create", "--theme", "auth.sso", "--title", "SSO is broken", code=1)["results"]
        assert failed["status"] == "draft" and "ticket retry" in failed["message"]
        assert [t["status"] for t in _run("list", "--status", "draft")["tickets"]] == ["draft"]
        (retried,) = _run("retry")["results"]
        assert retried["status"] == "created" and retried["ticket"]["key"] == "GS-1"
        assert fake.issues["GS-1"]["fields"]["summary"] == "SSO is broken"
        fake.close_issue("GS-1")
        status = _run("status", str(failed["ticket_id"]))
        assert status["ticket"]["status"] == "closed" and status["outcome"]["verdict"] == "too early"
    assert fake.problems == []


def test_unconfigured_tracker_is_a_clear_error(data_dir):
    result = CliRunner().invoke(app, ["ticket", "create", "--theme", "auth.sso", "--tracker", "jira"])
    assert result.exit_code != 0
    assert "tracker 'jira' is not configured" in str(result.exception)
