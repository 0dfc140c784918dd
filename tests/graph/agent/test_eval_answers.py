"""`groundswell eval answers` on the demo corpus: the stable keys, no leaks, a baseline in the same run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

from tests.graph.agent.conftest import Demo

pytestmark = pytest.mark.slow
KEYS = {"questions", "number_exactness", "ranking_agreement", "citation_validity", "permission_leaks"}


def test_eval_answers_reports_the_stable_keys(demo: Demo, tmp_path: Path) -> None:
    subset = tmp_path / "truth" / "questions.jsonl"  # no truth.json beside it: as_of comes from the setting
    subset.parent.mkdir()
    kinds: dict[str, dict] = {}
    for row in demo.questions:
        kinds.setdefault(row["expected"]["kind"] + row["expected"].get("of", ""), row)
    subset.write_text("\n".join(json.dumps(row) for row in kinds.values()) + "\n")
    (subset.parent / "units.jsonl").write_text((demo.truth_dir / "units.jsonl").read_text())  # quote support
    env = {
        "GROUNDSWELL_DATA_DIR": str(demo.runtime.settings.data_dir),
        "GROUNDSWELL_AGENT_AS_OF": demo.as_of.isoformat(),
    }
    result = CliRunner(env=env).invoke(
        app, ["eval", "answers", "--questions", str(subset), "--planner", "spec", "--k", "20", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert set(report) >= KEYS and set(report["baseline"]) >= KEYS
    assert report["questions"] == len(kinds) and report["permission_leaks"] == 0 and report["citation_validity"] == 1.0
    assert report["baseline"]["permission_leaks"] > 0  # retrieval knows nothing of scopes
    assert report["restricted_viewer"]["sources"] and report["restricted_viewer"]["segments"]
    assert report["as_of"] == demo.as_of.isoformat()
    assert report["quotes_scored"] > 0 and 0.0 <= report["quote_support_random"] <= 1.0
    # on this 500-record demo the product quotes ~0.75 supported, top-k retrieval < 0.1 (label error dominates)
    assert report["quote_support"] > report["baseline"]["quote_support"] + 0.3
    assert all("quote_support" in item for item in report["per_question"])


def test_eval_answers_without_questions_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner(env={"GROUNDSWELL_DATA_DIR": str(tmp_path)}).invoke(app, ["eval", "answers", "--json"])
    assert result.exit_code != 0 and "groundswell demo" in str(result.exception)
