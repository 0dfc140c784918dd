import json

from groundswell.cli.main import app
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.audit import list_audit_events
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit
from sqlmodel import select
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket


def _ingest(tmp_path) -> str:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"], runtime.__dict__["vectors"] = HashEmbedder(), DictIndex()
    text = "My login keeps failing, write to ana.lopez@acme.com or call +1 415 555 0100 please"
    run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", text))])])
    with session_scope(runtime.engine) as session:
        return session.exec(select(FeedbackUnit)).one().id


def test_reveal_is_audited_and_erase_destroys_the_original(tmp_path):
    unit_id = _ingest(tmp_path)
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)})
    shown = runner.invoke(app, ["privacy", "reveal", unit_id, "--actor", "dpo@brightloop.io", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert "ana.lopez@acme.com" in data["text"] and data["erased_or_unknown"] == []
    email_token = next(t for t in data["revealed"] if t.startswith("<EMAIL_"))
    erased = runner.invoke(app, ["privacy", "erase", email_token, "--actor", "dpo@brightloop.io"])
    assert erased.exit_code == 0 and "erased 1 of 1" in erased.stdout
    again = json.loads(runner.invoke(app, ["privacy", "reveal", unit_id, "--actor", "x", "--json"]).stdout)
    assert "ana.lopez" not in again["text"] and again["erased_or_unknown"] == [email_token]
    runtime = Runtime(Settings(data_dir=tmp_path))
    with session_scope(runtime.engine) as session:
        actions = [e.action for e in list_audit_events(session=session)]
    assert actions == ["privacy.reveal", "privacy.erase", "privacy.reveal"]


def test_reveal_of_an_unknown_unit_is_a_clear_error(tmp_path):
    _ingest(tmp_path)
    result = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)}).invoke(
        app, ["privacy", "reveal", "nope", "--actor", "x"]
    )
    assert result.exit_code != 0
    assert "no live feedback unit 'nope'" in str(result.exception)
