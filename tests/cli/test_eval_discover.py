"""`groundswell eval discover` on a tiny labelled CSV with the real local embedder."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from groundswell.cli.main import app
from typer.testing import CliRunner

TOPICS = {
    "refund": ["I want my money back", "please refund my order", "when will I get the refund",
               "refund has not arrived yet", "requesting a refund for the charge", "how long do refunds take"],
    "password": ["I forgot my password", "reset password link does not work", "cannot change my password",
                 "password reset email never came", "how do I reset my password", "my password is not accepted"],
    "weather": ["what is the weather tomorrow", "will it rain today", "is it going to be sunny this weekend",
                "weather forecast for paris", "how cold is it outside", "will it snow tonight"],
}  # fmt: skip


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GROUNDSWELL_DATA_DIR", str(tmp_path / "gs"))
    path = tmp_path / "d.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["text", "label"])
        writer.writerows((text, label) for label, texts in TOPICS.items() for text in texts)
    return path


def _run(*args: str) -> dict:
    result = CliRunner().invoke(app, ["eval", "discover", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_scores_discovered_themes_against_the_hidden_labels(dataset: Path) -> None:
    first = _run("--dataset", str(dataset), "--min-size", "3", "--seed", "4")
    assert {"themes", "nmi", "ari", "coverage", "stability_ari", "seconds"} <= set(first)
    assert first["texts"] == 18 and first["themes"] >= 2
    assert first["nmi"] > 0.6 and first["coverage"] > 0.6 and first["stability_ari"] == 1.0
    again = _run("--dataset", str(dataset), "--min-size", "3", "--seed", "4")
    assert {k: v for k, v in again.items() if k != "seconds"} == {k: v for k, v in first.items() if k != "seconds"}


def test_rejects_a_csv_without_text_and_label(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("body,tag\nhello,a\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "discover", "--dataset", str(path)])
    assert result.exit_code != 0 and "text,label" in result.output
