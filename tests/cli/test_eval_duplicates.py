"""`groundswell eval duplicates` on a small demo corpus ingested through the CLI (typer's CliRunner)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from groundswell.cli.evals import app as eval_app
from groundswell.cli.main import app
from groundswell.demo.generate import generate_demo
from typer.testing import CliRunner

pytestmark = pytest.mark.slow
END = datetime(2026, 10, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("gs-dupes")
    generate_demo(root / "exports", records=400, seed=3, end=END)
    result = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(root)}).invoke(app, ["ingest", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.strip().splitlines()[-1])["units_added"] > 300
    return root


def test_eval_duplicates_json_keys_and_floor(data_dir: Path) -> None:
    result = CliRunner().invoke(eval_app, ["duplicates", "--data-dir", str(data_dir), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"precision", "recall", "f1", "pairs_predicted", "pairs_true", "seconds", "precision_on_signals"} <= set(
        payload
    )
    assert payload["pairs_true"] >= 5 and payload["truth_links_mapped"] == payload["truth_links"]
    assert payload["signals_mapped"] >= 0.95 * payload["signals"]
    assert payload["precision_on_signals"] >= 0.8 and payload["recall"] >= 0.5 and payload["f1"] >= 0.6


def test_eval_duplicates_human_output(data_dir: Path) -> None:
    result = CliRunner().invoke(eval_app, ["duplicates", "--data-dir", str(data_dir)])
    assert result.exit_code == 0 and "precision_on_signals" in result.stdout


def test_eval_duplicates_without_a_demo_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(eval_app, ["duplicates", "--data-dir", str(tmp_path), "--json"])
    assert result.exit_code != 0 and "groundswell demo" in result.output
