"""`groundswell eval gold`: the current classifier against human-reviewed gold labels, with a regression gate.
Each run also records per-theme precision (`label_quality`), which answers resting on theme labels state.

The classifier is refit without the gold units' own labels (never scored on what it was trained on). Labels made
under older taxonomy versions count through the migration maps; ones whose theme was split since are not scored
and are counted as ``relabel_needed``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.classify.gold import gate, score_gold, theme_precision_counts
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.label_quality import save_label_quality
from groundswell.storage.review import carried_labels, gold_labels
from groundswell.storage.taxonomy import get_taxonomy

from groundswell.runtime import Runtime, build_runtime

__all__ = ["evaluate_gold", "register"]


def evaluate_gold(runtime: Runtime, gold_set: str = "default") -> dict[str, Any]:
    """Scores of the latest taxonomy's classifier on ``gold_set``; raises ValueError when there is nothing to score."""
    with session_scope(runtime.engine) as session:
        taxonomy = get_taxonomy(session=session)
        if taxonomy is None:
            raise ValueError("no taxonomy yet: import one with `groundswell taxonomy import`")
        items = gold_labels(session=session, gold_set=gold_set, version=taxonomy.version)
        stale = sum(c.stale for c in carried_labels(session=session, version=taxonomy.version, gold_set=gold_set))
    if not items:
        raise ValueError(f"gold set {gold_set!r} has no labels for taxonomy version {taxonomy.version}")
    classifier = runtime.fit_unit_classifier(hold_out={item.unit_id for item in items})
    if classifier is None:  # pragma: no cover - the taxonomy was read above
        raise ValueError("no taxonomy")
    predicted = [r.subtheme_key or r.theme_key for r in classifier.classify([item.text for item in items])]
    head = {"gold_set": gold_set, "taxonomy_version": taxonomy.version, "relabel_needed": stale}
    counts = theme_precision_counts([item.theme_key for item in items], predicted)
    with session_scope(runtime.engine) as session:  # what answers say of their theme labels
        save_label_quality(session=session, version=taxonomy.version, gold_set=gold_set, counts=counts,
                           measured_at=utcnow())  # fmt: skip
    return head | score_gold(taxonomy, items, predicted)


def _print(payload: dict[str, Any]) -> None:
    for key in ("gold_set", "taxonomy_version", "gold", "relabel_needed", "accuracy", "macro_f1", "coverage"):
        out.print(f"{key:<17} {payload[key]}")
    for theme, scores in payload["per_theme"].items():
        out.print(f"  {theme:<28} " + "  ".join(f"{k}={v}" for k, v in scores.items()))
    for pair in payload["sibling_confusion"]:
        out.print(f"  confused {pair['truth']} -> {pair['predicted']} x{pair['count']}")
    for group, rows in payload["drift"].items():
        out.print(
            f"{group}: " + ", ".join(f"{name}={row['accuracy']} (n={row['count']})" for name, row in rows.items())
        )


def register(app: typer.Typer) -> None:
    """Adds ``gold`` to the eval group."""

    @app.command("gold")
    def eval_gold(
        gold_set: Annotated[str, typer.Option(help="Which reviewed gold set to score.")] = "default",
        baseline: Annotated[
            Path | None, typer.Option(exists=True, dir_okay=False, help="A previous run's --json output to gate on.")
        ] = None,
        tolerance: Annotated[float, typer.Option(min=0.0, help="Allowed drop below the baseline.")] = 0.02,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Per-theme precision/recall/F1, accuracy, coverage, sibling confusion, drift by source and month."""
        try:
            payload = evaluate_gold(build_runtime(), gold_set)
            result = gate(payload, json.loads(baseline.read_text()), tolerance) if baseline else None
        except (ValueError, json.JSONDecodeError) as exc:
            raise typer.BadParameter(str(exc)) from exc
        if result is not None:
            payload["gate"] = {"passed": result.passed, "message": result.message, "tolerance": tolerance}
        if json_output:
            print_json(payload)
        else:
            _print(payload)
        if result is not None:
            (err if json_output or not result.passed else out).print(result.message)
            if not result.passed:
                raise typer.Exit(1)
