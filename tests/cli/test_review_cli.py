"""`groundswell review …` and `groundswell eval gold` through typer's CliRunner against a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

import groundswell.cli.evals.gold  # noqa: F401
import pytest
from groundswell.cli.main import app
from groundswell.core.taxonomy import Taxonomy
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.label_quality import label_quality, save_label_quality
from groundswell.storage.models import AuditEvent, Classification, FeedbackUnit
from groundswell.storage.taxonomy import save_taxonomy
from sqlmodel import select
from typer.testing import CliRunner

from groundswell import cli
from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.core.classify.test_units import THEMES
from tests.jobs.fakes import DictIndex, HashEmbedder
from tests.storage.test_identity_events import make_unit

TEXTS = {
    "u1": "the csv export download is stuck",
    "u2": "saml error on okta login",
    "u3": "my 2fa code never arrives",
    "u4": "excel dates are mangled in the xlsx export",
}


@pytest.fixture
def runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path))
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    monkeypatch.setattr(cli.evals.gold, "build_runtime", lambda: runtime)
    with session_scope(runtime.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
        for n, (uid, text) in enumerate(TEXTS.items()):
            make_unit(session, uid, None)
            session.get(FeedbackUnit, uid).text = text
            confidence = {"theme": 0.1 * (n + 1)}
            session.add(
                Classification(
                    unit_id=uid, taxonomy_version=1, confidence=confidence, needs_review=True, created_at=utcnow()
                )
            )
    return runtime


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_queue_then_label_settles_a_unit_and_is_audited(runtime: Runtime) -> None:
    code, output = _run("review", "queue", "--limit", "2", "--json")
    assert code == 0, output
    assert [u["unit_id"] for u in json.loads(output)["units"]] == ["u1", "u2"]
    code, output = _run("review", "label", "u1", "export.csv", "--reviewer", "ana", "--severity", "high")
    assert code == 0 and "labelled u1 as export.csv" in output
    code, output = _run("review", "label", "u2", "other", "--reviewer", "ana")
    assert code == 0, output
    code, output = _run("review", "label", "u2", "other", "--reviewer", "ana", "--json")  # the same label again
    assert code == 0 and json.loads(output)["unchanged"] is True
    code, output = _run("review", "label", "u3", "auth", "--reviewer", "ana")
    assert code != 0
    code, output = _run("review", "queue", "--json")
    assert [u["unit_id"] for u in json.loads(output)["units"]] == ["u3", "u4"]
    with session_scope(runtime.engine) as session:
        row = session.get(Classification, ("u1", 1))
        assert (row.subtheme_key, row.severity, row.classifier) == ("export.csv", "high", "human")
        assert session.get(Classification, ("u2", 1)).theme_key is None
        actions = [e.action for e in session.exec(select(AuditEvent))]
    assert actions.count("review.label") == 2 and actions.count("review.queue") == 2


def test_eval_gold_holds_gold_units_out_and_gates_against_a_baseline(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    held_out: list[set[str]] = []
    fit = runtime.fit_unit_classifier
    monkeypatch.setattr(
        runtime, "fit_unit_classifier", lambda *, hold_out=(): held_out.append(set(hold_out)) or fit(hold_out=hold_out)
    )
    for uid, theme in (("u1", "export.csv"), ("u2", "auth.sso"), ("u3", "auth.mfa"), ("u4", "export.xlsx")):
        assert _run("review", "label", uid, theme, "--reviewer", "ana", "--gold-set", "g")[0] == 0
    with session_scope(runtime.engine) as session:  # a previous run's figures
        save_label_quality(session=session, version=1, gold_set="g", counts={"export.csv": (99, 99)},
                           measured_at=utcnow())  # fmt: skip
    code, output = _run("eval", "gold", "--gold-set", "g", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["gold"] == 4 and set(report["per_theme"]) == {"export.csv", "export.xlsx", "auth.sso", "auth.mfa"}
    assert report["drift"]["by_source"]["zendesk"]["count"] == 4
    assert held_out == [set(TEXTS)]  # never scored on what it was trained on
    with session_scope(runtime.engine) as session:  # what answers resting on these themes will say
        keys = sorted(report["per_theme"])
        stored = {q["key"]: q for q in label_quality(session=session, version=1, keys=keys, gold_set="g")}
    # the run replaced the stale figures planted before it; what it measured matches its report
    assert stored["export.csv"]["reviewed"] != 99
    for key, scores in report["per_theme"].items():
        if stored[key]["reviewed"]:
            assert stored[key]["precision"] == round(scores["precision"], 4)
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps(report))
    code, output = _run("eval", "gold", "--gold-set", "g", "--baseline", str(baseline))
    assert code == 0 and "promote" in output
    baseline.write_text(json.dumps({"accuracy": report["accuracy"] + 0.5, "macro_f1": report["macro_f1"]}))
    code, output = _run("eval", "gold", "--gold-set", "g", "--baseline", str(baseline), "--tolerance", "0.02")
    assert code == 1 and "regression beyond tolerance" in output
    code, output = _run("eval", "gold", "--gold-set", "empty")
    assert code != 0 and "no labels" in output


def test_eval_gold_scores_labels_through_later_versions_and_counts_split_ones(runtime: Runtime) -> None:
    for uid, theme in (("u1", "export.csv"), ("u2", "auth.sso"), ("u3", "auth.mfa"), ("u4", "export.xlsx")):
        assert _run("review", "label", uid, theme, "--reviewer", "ana")[0] == 0
    assert _run("taxonomy", "merge", "auth.mfa", "--into", "auth.sso")[0] == 0
    assert _run("taxonomy", "split", "export.xlsx", "--into", "export.dates,export.numbers")[0] == 0
    code, output = _run("eval", "gold", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert (report["taxonomy_version"], report["gold"], report["relabel_needed"]) == (3, 3, 1)
    assert set(report["per_theme"]) == {"export.csv", "auth.sso"}  # auth.mfa's label now reads auth.sso
