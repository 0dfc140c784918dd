"""`privacy forget` and `privacy redact-trackers` with Jira configured through the environment (a loopback Jira
checked against the v3 OpenAPI document): the receipt lists the tracker's counts and reasons, a later run retries."""

from __future__ import annotations

import json
from pathlib import Path

from groundswell.cli.main import app
from groundswell.core.tickets import TicketDraft
from groundswell.jobs.pipeline import run_pipeline
from groundswell.jobs.tickets import build_ticket_service
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.fakes.jira import FakeJira
from tests.jobs.fakes import HashEmbedder
from tests.storage.forget_data import ANA_EMAIL, ANA_NAME, ANA_TRACES, corpus


def _env(tmp_path: Path, fake: FakeJira) -> dict[str, str]:
    return {
        "GROUNDSWELL_DATA_DIR": str(tmp_path),
        "GROUNDSWELL_JIRA_URL": fake.url,
        "GROUNDSWELL_JIRA_EMAIL": "bot@brightloop.io",
        "GROUNDSWELL_JIRA_API_TOKEN": "jira-token",
        "GROUNDSWELL_TICKET_TRACKER": "jira",
    }


def test_forget_reports_a_failed_tracker_and_redact_trackers_retries_it(tmp_path, fake_jira, monkeypatch):
    env = _env(tmp_path, fake_jira)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    runtime = Runtime(Settings())
    runtime.__dict__["embedder"] = HashEmbedder()
    run_pipeline(runtime=runtime, sources=[corpus()])
    draft = TicketDraft(title=f"Login loops for {ANA_NAME}", body=f"From {ANA_EMAIL}", theme_key="auth.sso")
    filed = build_ticket_service(runtime).file(draft, force=True)
    assert filed.status == "created" and filed.ticket is not None
    key = filed.ticket.key
    runtime.engine.dispose()
    fake_jira.fail_next(f"/issue/{key}", 500)
    runner = CliRunner(env=env)
    result = runner.invoke(app, ["privacy", "forget", "--email", ANA_EMAIL, "--actor", "dpo@example.org", "--json"])
    assert result.exit_code == 0, result.output
    receipt = json.loads(result.stdout)
    assert receipt["trackers"]["jira"]["updated"] == 0 and receipt["trackers"]["jira"]["failed"] == 1
    assert "500" in next(iter(receipt["trackers"]["jira"]["reasons"]))
    assert "lopez" in json.dumps(fake_jira.issues[key]).lower()

    again = runner.invoke(app, ["privacy", "redact-trackers"])
    assert again.exit_code == 0, again.output
    assert "jira tickets: 1 updated, 0 failed" in again.stdout
    text = json.dumps(fake_jira.issues[key]).lower()
    assert [n for n in ANA_TRACES if n in text] == []
    done = runner.invoke(app, ["privacy", "redact-trackers", "--json"])
    assert done.exit_code == 0 and json.loads(done.stdout) == {}
