"""`groundswell eval weak-signals` through typer's CliRunner (real local embedder, a tiny CSV)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from groundswell.cli.evals import app as eval_app
from typer.testing import CliRunner

ROWS = [
    ("It works.", "positive", "5", ""),
    ("It works.", "positive", "4", ""),
    ("The export is okay I guess.", "negative", "1", ""),
    ("Absolutely love the new dashboards, brilliant work!", "positive", "1", ""),
    ("The app crashes every time and I lost my data, awful.", "negative", "", "10"),
    ("Used it this week.", "neutral", "3", ""),
]


def test_weak_signals_json_keys(tmp_path: Path) -> None:
    path = tmp_path / "weak.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "sentiment", "rating", "score", "channel"])
        writer.writerows([(*row, "review") for row in ROWS])
    result = CliRunner().invoke(eval_app, ["weak-signals", "--dataset", str(path), "--folds", "2", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {"rows", "rows_with_signal", "text_accuracy", "weak_accuracy", "signal_accuracy", "clear_changed"} <= (
        payload.keys()
    )
    assert payload["rows"] == 6 and payload["rows_with_signal"] == 6
    assert payload["clear_changed"] == 0


def test_a_bad_rating_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("text,sentiment,rating\nfine,positive,five\n", encoding="utf-8")
    result = CliRunner().invoke(eval_app, ["weak-signals", "--dataset", str(path)])
    assert result.exit_code != 0 and ":2:" in result.output


def test_demo_rows_carry_the_sources_stars_and_scores() -> None:
    from groundswell.cli.evals.weak import demo_rows

    texts, labels, signals = demo_rows(records=300)
    assert texts and len(texts) == len(labels) == len(signals)
    keys = {signal.key for signal in signals if signal is not None}
    assert "googleplay:stars" in keys and keys <= {"googleplay:stars", "delighted:nps", "delighted:csat"}
    assert set(labels) <= {"negative", "neutral", "positive"}
