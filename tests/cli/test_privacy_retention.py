import json

from groundswell.cli.main import app
from groundswell.jobs.ingest import ingest_source
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.storage.test_retention import _corpus


def test_retention_dry_run_shows_what_would_go_then_applies_it(tmp_path):
    runtime = Runtime(Settings(data_dir=tmp_path))
    ingest_source(engine=runtime.engine, source=_corpus())
    runtime.engine.dispose()
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path), "GROUNDSWELL_RETENTION": "tickets:365"})
    args = ["privacy", "retention", "--dry-run", "--json"]
    planned = json.loads(runner.invoke(app, args).stdout)
    assert planned == {"dry_run": True, "purged": {"tickets": {"feedback_unit": 1, "raw_record": 1, "vectors": 1}}}
    assert json.loads(runner.invoke(app, args).stdout) == planned  # a dry run changed nothing
    text = runner.invoke(app, ["privacy", "retention"])
    assert text.exit_code == 0 and "tickets: purged feedback_unit 1, raw_record 1, vectors 1" in text.stdout
    assert "nothing to purge" in runner.invoke(app, ["privacy", "retention"]).stdout


def test_retention_without_a_policy_or_with_a_bad_one_is_a_clear_error(tmp_path):
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)})
    assert "no retention configured" in str(runner.invoke(app, ["privacy", "retention"]).exception)
    bad = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path), "GROUNDSWELL_RETENTION": "zendesk:soon"})
    assert "not a number of days" in str(bad.invoke(app, ["privacy", "retention", "--dry-run"]).exception)
