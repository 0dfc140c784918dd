"""`groundswell eval planner` on a small demo export: the demo's questions and the rephrased dev/held-out sets."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from groundswell.cli.evals.planner import demo_vocabulary, load_jsonl
from groundswell.cli.main import app
from groundswell.core.query import Filters, QueryPlan, Window
from groundswell.demo.generate import DemoSummary, generate_demo
from groundswell.graph.planner_eval import expected_theme_key, score_plan
from typer.testing import CliRunner

END = datetime(2026, 6, 1, tzinfo=UTC)
FIXTURES = Path(__file__).parents[1] / "graph" / "fixtures"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoSummary:
    return generate_demo(tmp_path_factory.mktemp("planner-demo"), seed=3, records=400, end=END)


def _report(demo: DemoSummary, *extra: str) -> dict:
    result = CliRunner().invoke(app, ["eval", "planner", "--exports", str(demo.out_dir), *extra, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_questions_plan_exactly_and_missing_themes_are_asked_back(demo: DemoSummary) -> None:
    report = _report(demo)
    assert report["questions"] == demo.questions
    assert report["plan_accuracy"] >= 0.95, report["failures"]
    assert set(report["fields"]) >= {"kind", "window", "theme", "segment", "source", "intent"}
    assert report["missing_theme"]["questions"] >= 1
    assert report["missing_theme"]["rate"] == 1.0


@pytest.mark.parametrize("name", ["rephrased_dev.jsonl", "rephrased_heldout.jsonl"])
def test_rephrasings_cover_every_question_twice_and_mostly_plan_right(demo: DemoSummary, name: str) -> None:
    rows = load_jsonl(FIXTURES / name)
    originals = {q["id"] for q in load_jsonl(demo.truth_dir / "questions.jsonl")}
    assert all(sum(r["of"] == q for r in rows) >= 2 for q in originals)
    report = _report(demo, "--rephrased", str(FIXTURES / name))
    assert report["questions"] == len(rows)
    assert report["plan_accuracy"] >= 0.85, report["failures"]


def test_scoring_flags_each_wrong_field(demo: DemoSummary) -> None:
    vocab = demo_vocabulary(demo.out_dir)
    key = expected_theme_key("Authentication > SSO login failures", vocab)
    assert key == "auth.sso_login" and expected_theme_key("Billing", vocab) == "billing"
    assert expected_theme_key("Admin & security > EU data residency", vocab) is None  # left out of the seed
    window = {"start": "2026-05-02T00:00:00Z", "end": "2026-06-01T00:00:00Z"}
    spec = {"kind": "count", "filters": {"theme": "Billing", "segment": "SMB", "window": window}}
    last30 = Window(start=datetime(2026, 5, 2, tzinfo=UTC), end=END)
    good = QueryPlan(kind="count", as_of=END, filters=Filters(themes=["billing"], segments=["SMB"], window=last30))
    assert all(score_plan(good, spec, vocab).values())
    bad = good.model_copy(update={"kind": "ranking", "filters": Filters(segments=["Enterprise"])})
    wrong = {k for k, ok in score_plan(bad, spec, vocab).items() if not ok}
    assert wrong == {"kind", "theme", "segment", "window"}
    assert demo_vocabulary(demo.out_dir).releases["4.12.0"] == demo.release_412


def test_own_spec_rows_are_scored_without_a_demo_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.graph.conftest import AS_OF, VOCAB

    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))  # no demo export there
    vocab = tmp_path / "vocab.json"
    vocab.write_text(VOCAB.model_dump_json())
    pm = FIXTURES / "rephrased_pm_dev.jsonl"
    args = ["eval", "planner", "--questions", str(pm), "--vocabulary", str(vocab), "--as-of", AS_OF.isoformat()]
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["questions"] == len(load_jsonl(pm)) and report["plan_accuracy"] >= 0.90  # as test_planner_pm
    styles = report["by_style"]
    assert set(styles) == {"formal", "slack", "terse", "typo"} and all(0 <= v <= 1 for v in styles.values())
    missing = CliRunner().invoke(app, ["eval", "planner", "--questions", str(pm), "--json"])
    assert missing.exit_code != 0 and "groundswell demo" in missing.output


def test_rephrased_files_may_mix_own_spec_rows_with_rephrasings(demo: DemoSummary, tmp_path: Path) -> None:
    original = load_jsonl(demo.truth_dir / "questions.jsonl")[0]
    mixed = tmp_path / "mixed.jsonl"
    rows = [{"id": "r1", "of": original["id"], "question": original["question"]},
            {"id": "own", "question": original["question"], "expected": original["expected"]}]  # fmt: skip
    mixed.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    report = _report(demo, "--rephrased", str(mixed))
    assert report["questions"] == 2 and report["plan_accuracy"] == 1.0, report["failures"]
