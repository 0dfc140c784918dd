"""`groundswell eval classify` and `bench classify` through typer's CliRunner (real local embedder, tiny CSVs)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from groundswell.cli.bench_classify import register as register_bench
from groundswell.cli.evals import app as eval_app
from typer.testing import CliRunner

TRAIN = {
    "billing": [
        "I was charged twice this month",
        "the invoice amount is wrong",
        "please refund the extra charge",
        "my card was billed two times",
        "why did my invoice go up",
    ],
    "login": [
        "I cannot log in",
        "password reset email never arrives",
        "two-factor code is rejected",
        "locked out of my account",
        "single sign-on keeps looping",
    ],
    "export": [
        "CSV export is empty",
        "the Excel export fails",
        "exported file is missing columns",
        "scheduled export never arrives",
        "export download times out",
    ],
}
TEST = [
    ("I got billed twice, refund please", "billing"),
    ("can't sign in to my account", "login"),
    ("the csv export has no rows", "export"),
    ("what's a good pasta recipe for dinner", "oos"),
]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerows(rows)
    return path


def _files(tmp_path: Path) -> tuple[Path, Path]:
    train = [(text, label) for label, texts in TRAIN.items() for text in texts]
    train += [("the weather is nice today", "oos"), ("who won the football game", "oos")]
    return _write(tmp_path / "train.csv", train), _write(tmp_path / "test.csv", TEST)


def test_eval_classify_prints_one_json_object_with_stable_keys(tmp_path: Path) -> None:
    train, test = _files(tmp_path)
    result = CliRunner().invoke(eval_app, ["classify", "--train", str(train), "--test", str(test), "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"accuracy", "macro_f1", "coverage", "seconds", "per_label"} <= payload.keys()
    assert set(payload["per_label"]) == {"billing", "login", "export", "other"}
    assert set(payload["per_label"]["billing"]) == {"precision", "recall", "f1", "support"}
    assert payload["accuracy"] >= 0.75
    assert 0 < payload["coverage"] <= 1


def test_eval_classify_human_output(tmp_path: Path) -> None:
    train, test = _files(tmp_path)
    result = CliRunner().invoke(eval_app, ["classify", "--train", str(train), "--test", str(test)])
    assert result.exit_code == 0, result.output
    assert "macro_f1" in result.stdout and "billing" in result.stdout


def test_malformed_row_is_a_clear_error_naming_the_line(tmp_path: Path) -> None:
    train, _ = _files(tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nfine,billing\nthis row,has,three cells\n", encoding="utf-8")
    result = CliRunner().invoke(eval_app, ["classify", "--train", str(train), "--test", str(bad), "--json"])
    assert result.exit_code != 0
    assert "bad.csv:3" in result.output
    assert result.stdout.strip() == "" or "{" not in result.stdout


def test_bench_classify_json_keys() -> None:
    app = typer.Typer()
    register_bench(app)
    app.command("noop")(lambda: None)  # a second command keeps `classify` a subcommand
    result = CliRunner().invoke(app, ["classify", "--units", "120", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"units", "units_per_s", "seconds", "peak_rss_mb"} <= payload.keys()
    assert payload["units"] == 120
    assert payload["units_per_s"] > 0
