"""`groundswell eval …`: quality on labelled data, one module per eval (stable flags and JSON keys)."""

from __future__ import annotations

import typer
from groundswell.cli.evals import (
    alerts,
    answers,
    classify,
    discover,
    duplicates,
    gold,
    identity,
    learning_curve,
    pii,
    planner,
    signals,
    speakers,
    units,
    weak,
)

__all__ = ["app"]

app = typer.Typer(no_args_is_help=True, help="Measure quality on labelled data (one JSON object with --json).")
for module in (
    answers,
    pii,
    identity,
    speakers,
    units,
    duplicates,
    classify,
    discover,
    gold,
    planner,
    alerts,
    signals,
    learning_curve,
    weak,
):
    module.register(app)
