"""`groundswell eval learning-curve` through typer's CliRunner (real local embedder, a tiny generated demo)."""

from __future__ import annotations

import json

from groundswell.cli.evals import app as eval_app
from typer.testing import CliRunner


def test_learning_curve_json_has_the_curve_keys() -> None:
    args = ["learning-curve", "--records", "150", "--steps", "0,30", "--random-seeds", "1", "--json"]
    result = CliRunner().invoke(eval_app, args)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert {
        "steps",
        "pool",
        "test",
        "units",
        "active",
        "random",
        "random_runs",
        "active_minus_random",
        "floor",
        "seconds",
    } <= (payload.keys())
    assert payload["steps"] == [0, 30]
    for strategy in ("active", "random"):
        assert {head: len(values) for head, values in payload[strategy].items()} == {
            "theme": 2,
            "sentiment": 2,
            "intent": 2,
            "no_theme": 2,
        }
    assert {"example_floor", "calibrated_floor", "per_theme"} <= payload["floor"].keys()


def test_bad_steps_are_a_clear_error() -> None:
    result = CliRunner().invoke(eval_app, ["learning-curve", "--steps", "0,ten"])
    assert result.exit_code != 0
    assert "--steps" in result.output
