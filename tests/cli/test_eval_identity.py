"""`groundswell eval identity` and `bench identity` through typer's CliRunner on tiny generated CSVs."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from groundswell.cli.bench_identity import register as register_bench
from groundswell.cli.evals import app as eval_app
from groundswell.core.matching.records import FIELDS
from groundswell.core.matching.synthetic import synthetic_people
from typer.testing import CliRunner


def _write(tmp_path: Path) -> tuple[Path, Path]:
    records, truth = synthetic_people(120, seed=9)
    rec_path, truth_path = tmp_path / "records.csv", tmp_path / "truth.csv"
    with rec_path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, [*FIELDS, "ignored"])
        writer.writeheader()
        for rec in records:
            writer.writerow({name: getattr(rec, name) or "" for name in FIELDS} | {"ignored": "x"})
    by_person: dict[str, list[str]] = {}
    for rec_id, person in truth.items():
        by_person.setdefault(person, []).append(rec_id)
    with truth_path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["rec_id_a", "rec_id_b"])
        for group in by_person.values():
            writer.writerows((group[0], other) for other in group[1:])  # a star: the closure adds the rest
    return rec_path, truth_path


def test_eval_identity_prints_one_json_object_with_stable_keys(tmp_path: Path) -> None:
    rec_path, truth_path = _write(tmp_path)
    result = CliRunner().invoke(
        eval_app, ["identity", "--records", str(rec_path), "--truth", str(truth_path), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"precision", "recall", "f1", "seconds", "records", "pairs_predicted", "pairs_true"} <= payload.keys()
    assert payload["records"] > 120
    assert payload["f1"] > 0.9
    assert payload["pairs_true"] > payload["records"] - 120  # star truth was closed transitively


def test_eval_identity_human_output(tmp_path: Path) -> None:
    rec_path, truth_path = _write(tmp_path)
    result = CliRunner().invoke(eval_app, ["identity", "--records", str(rec_path), "--truth", str(truth_path)])
    assert result.exit_code == 0
    assert "precision" in result.stdout


def test_bench_identity_json_keys() -> None:
    app = typer.Typer()
    register_bench(app)

    @app.callback()
    def _group() -> None:
        """Bench group stand-in."""

    result = CliRunner().invoke(app, ["identity", "--people", "300", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"people", "records_per_s", "seconds", "peak_rss_mb"} <= payload.keys()
    assert payload["people"] == 300
    assert payload["records_per_s"] > 0
