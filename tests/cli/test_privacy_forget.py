"""`privacy forget` end to end on SQLite and embedded Chroma: a byte scan of every file in the data dir finds
nothing of the person afterwards, the receipt says what went where, and a re-sync brings nothing back."""

from __future__ import annotations

import json
from pathlib import Path

from groundswell.cli.main import app
from groundswell.graph.checkpoint import build_checkpointer, close_checkpointer
from groundswell.jobs.pipeline import run_pipeline
from typer.testing import CliRunner

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.graph.test_checkpoint_forget import save_thread
from tests.jobs.fakes import HashEmbedder
from tests.storage.forget_data import ANA_EMAIL, ANA_NAME, ANA_TRACES, add_copies, corpus


def _runtime(tmp_path: Path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    return runtime


def _files_holding(root: Path, needles: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes().lower()
        found += [f"{path.relative_to(root)}: {n}" for n in needles if n.encode() in data]
    return found


def test_forget_leaves_no_byte_of_the_person_in_the_database_or_chroma(tmp_path):
    runtime = _runtime(tmp_path)
    report = run_pipeline(runtime=runtime, sources=[corpus()])
    assert runtime.vectors.count() == 3, report
    add_copies(runtime.engine)
    runtime.engine.dispose()
    saver = build_checkpointer(database_url=None, sqlite_path=runtime.settings.checkpoint_path)
    save_thread(saver, "t-ana", f"what did {ANA_NAME} say?")
    save_thread(saver, "t-other", "top themes")
    close_checkpointer(saver)
    assert _files_holding(tmp_path, ANA_TRACES)  # her data is really on disk before
    runner = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)})
    result = runner.invoke(app, ["privacy", "forget", "--email", ANA_EMAIL, "--actor", "dpo@example.org", "--json"])
    assert result.exit_code == 0, result.output
    receipt = json.loads(result.stdout)
    assert receipt["people"] == 1 and receipt["removed"]["feedback_unit"] == 2 and receipt["removed"]["vectors"] == 2
    assert receipt["removed"]["pseudonym"] >= 2  # her name and phone in the vault
    assert receipt["removed"]["conversation_threads"] == 1
    assert receipt["suppressed_identifiers"] >= 3 and len(receipt["receipt_id"]) == 32
    assert _files_holding(tmp_path, ANA_TRACES) == []
    after = _runtime(tmp_path)
    assert after.vectors.count() == 1
    again = run_pipeline(runtime=after, sources=[corpus()])
    assert [s.counts["suppressed"] for s in again.sources] == [2]
    after.engine.dispose()
    assert _files_holding(tmp_path, ANA_TRACES) == []


def test_forget_without_a_person_is_a_clear_error(tmp_path):
    result = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)}).invoke(app, ["privacy", "forget", "--actor", "x"])
    assert result.exit_code != 0 and "--email, --external-id or --person" in str(result.exception)
