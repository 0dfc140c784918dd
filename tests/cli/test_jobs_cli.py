"""`groundswell jobs list|pause|resume|run` and `groundswell worker --help` against a temporary data dir."""

from __future__ import annotations

import json

import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner


@pytest.fixture
def runner(tmp_path, monkeypatch) -> CliRunner:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    return CliRunner()


def _json(result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_list_pause_resume_and_run(runner):
    jobs = {j["id"]: j for j in _json(runner.invoke(app, ["jobs", "list", "--json"]))["jobs"]}
    assert "spikes" in jobs and jobs["spikes"]["next_run"] and not jobs["spikes"]["paused"]
    assert _json(runner.invoke(app, ["jobs", "pause", "spikes", "--json"]))["paused"] is True
    jobs = {j["id"]: j for j in _json(runner.invoke(app, ["jobs", "list", "--json"]))["jobs"]}
    assert jobs["spikes"]["paused"] and jobs["spikes"]["next_run"] is None  # listing (re-syncing) keeps it paused
    resumed = _json(runner.invoke(app, ["jobs", "resume", "spikes", "--json"]))
    assert resumed["paused"] is False and resumed["next_run"]
    ran = _json(runner.invoke(app, ["jobs", "run", "tickets-sync", "--json"]))
    assert ran["status"] == "ran" and ran["result"]["checked"] == 0


def test_unknown_job_is_a_clear_error(runner):
    result = runner.invoke(app, ["jobs", "run", "nope"])
    assert result.exit_code != 0 and "no job 'nope'" in str(result.exception)


def test_worker_command_exists(runner):
    result = runner.invoke(app, ["worker", "--help"])
    assert result.exit_code == 0 and "foreground" in result.output
