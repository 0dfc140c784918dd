"""The migration path re-keys 16-bit pseudonyms left by an older version; `privacy rekey` then finds nothing."""

import json

import groundswell.core.privacy.redact as redact
import pytest
from groundswell.cli.main import app
from groundswell.core.privacy.reveal import TOKEN, is_legacy
from groundswell.graph.checkpoint import build_checkpointer, close_checkpointer
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import create_db_engine, session_scope
from groundswell.storage.models import FeedbackUnit, PseudonymEntry
from sqlalchemy import update
from sqlmodel import select
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.graph.test_checkpoint_forget import save_thread, threads
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket

TEXT = "My login keeps failing, write to ana.lopez@acme.com or call +1 415 555 0100 please"


def _legacy_ingest(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"], runtime.__dict__["vectors"] = HashEmbedder(), DictIndex()
    with monkeypatch.context() as patch:
        patch.setattr(redact, "TOKEN_HEX", redact.LEGACY_HEX)
        run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", TEXT))])])
    with session_scope(runtime.engine) as session:
        session.execute(update(PseudonymEntry).values(scheme=1))  # as an older version left them
        unit = session.exec(select(FeedbackUnit)).one()
        assert TOKEN.findall(unit.text) and all(is_legacy(t) for t in TOKEN.findall(unit.text))
        return unit.id


def test_the_next_start_rekeys_and_reveal_still_shows_the_originals(tmp_path, monkeypatch):
    unit_id = _legacy_ingest(tmp_path, monkeypatch)
    runtime = Runtime(Settings(data_dir=tmp_path))  # migrate, then re-key (what every entry point does)
    with session_scope(runtime.engine) as session:
        text = session.exec(select(FeedbackUnit)).one().text
        assert {e.scheme for e in session.exec(select(PseudonymEntry))} == {2}
    assert TOKEN.findall(text) and not any(is_legacy(t) for t in TOKEN.findall(text))
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)})
    shown = runner.invoke(app, ["privacy", "reveal", unit_id, "--actor", "dpo", "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert "ana.lopez@acme.com" in data["text"] and "415 555 0100" in data["text"] and data["erased_or_unknown"] == []
    again = runner.invoke(app, ["privacy", "rekey", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {"rekeyed": 0, "erased_kept": 0, "unreadable": 0, "rows": {}}


def test_the_rekey_drops_conversations_that_hold_legacy_tokens(tmp_path, monkeypatch):
    """A thread quoting an old token could never be revealed again: it goes; other threads stay."""
    _legacy_ingest(tmp_path, monkeypatch)
    settings = Settings(data_dir=tmp_path)
    with session_scope(create_db_engine(settings.resolved_database_url)) as session:  # no start-up re-key
        old = session.exec(select(FeedbackUnit)).one().text
    saver = build_checkpointer(database_url=None, sqlite_path=settings.checkpoint_path)
    try:
        save_thread(saver, "holds-old-tokens", f"who wrote '{old}'?")
        save_thread(saver, "plain", "top themes this week")
    finally:
        close_checkpointer(saver)
    Runtime(settings).engine  # noqa: B018 - the start-up path re-keys
    saver = build_checkpointer(database_url=None, sqlite_path=settings.checkpoint_path)
    try:
        assert threads(saver) == {"plain"}
    finally:
        close_checkpointer(saver)
