"""`groundswell eval learning-curve`: a simulated reviewer on the demo truth, review-queue order vs random.

A command of its own rather than a key of `eval gold`: `eval gold` scores the stored human labels of a live
database (and gates promotions on them, so it must stay quick); this simulation needs no database, generates a
small demo corpus (or reads an existing one's ``_truth/``) and refits the classifier a dozen times.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.classify.learning_curve import HEADS, STEPS, TruthUnit, learning_curve
from groundswell.core.classify.theme import OTHER
from groundswell.core.protocols import Embedder
from groundswell.core.taxonomy import load_taxonomy

__all__ = ["DEMO_END", "evaluate_learning_curve", "read_truth", "register"]

# The generated demo ends at a fixed moment so the figures are the same on any day (the corpus depends on it).
DEMO_END = datetime(2026, 11, 1, tzinfo=UTC)


def read_truth(truth_dir: Path) -> tuple[Any, list[TruthUnit]]:
    """The demo's seed taxonomy and its planted signals (duplicates left out; a theme the seed taxonomy lacks
    reads ``other``, which is what a reviewer would answer)."""
    taxonomy = load_taxonomy(truth_dir / "seed_taxonomy.json")
    units = []
    with (truth_dir / "units.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("duplicate_of") or not str(row.get("text", "")).strip():
                continue
            theme = row.get("theme_id")
            leaf = theme if theme and theme in taxonomy and taxonomy.is_leaf(theme) else OTHER
            units.append(TruthUnit(row["text"], leaf, row["sentiment"], row["intent"]))
    return taxonomy, units


def evaluate_learning_curve(
    embedder: Embedder,
    *,
    truth_dir: Path | None = None,
    records: int = 1000,
    seed: int = 7,
    steps: tuple[int, ...] = STEPS,
    random_seeds: int = 3,
) -> dict[str, Any]:
    """The curve on ``truth_dir`` (a demo's ``_truth/``), or on a fresh demo of ``records`` records."""
    started = perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if truth_dir is None:
            from groundswell.demo.generate import generate_demo

            truth_dir = generate_demo(Path(tmp), seed=seed, records=records, end=DEMO_END).truth_dir
        taxonomy, units = read_truth(truth_dir)
    err.print(f"simulating a reviewer on {len(units)} demo units …")
    payload = learning_curve(taxonomy, embedder, units, steps=steps, random_seeds=random_seeds)
    return payload | {"units": len(units), "seconds": round(perf_counter() - started, 1)}


def _print(payload: dict[str, Any]) -> None:
    out.print(f"pool {payload['pool']}, held-out test {payload['test']} units; accuracy after N reviewed units")
    out.print(f"{'':<22}" + "".join(f"{step:>8}" for step in payload["steps"]))
    for head in (*HEADS, "no_theme"):
        for strategy in ("active", "random"):
            out.print(f"{head + ' (' + strategy + ')':<22}" + "".join(f"{v:>8.3f}" for v in payload[strategy][head]))
    floor = payload["floor"]
    out.print(f"'other' floor: {floor['example_floor']} (training examples) -> {floor['calibrated_floor']} (reviews)")
    for key, row in floor["per_theme"].items():
        if row["change"]:
            out.print(f"  {key:<32} {row['before']:>5} -> {row['after']:>5} ({row['change']:+d})")
    gains = payload["active_minus_random"].items()
    out.print("active - random (mean after 0): " + ", ".join(f"{k} {v:+.3f}" for k, v in gains))


def register(app: typer.Typer) -> None:
    """Adds ``learning-curve`` to the eval group."""

    @app.command("learning-curve")
    def eval_learning_curve(
        truth: Annotated[
            Path | None, typer.Option(exists=True, file_okay=False, help="A demo's _truth/ (default: generate one).")
        ] = None,
        records: Annotated[int, typer.Option(min=100, help="Records of the generated demo.")] = 1000,
        seed: Annotated[int, typer.Option(help="Seed of the generated demo.")] = 7,
        steps: Annotated[str, typer.Option(help="Reviewed-unit counts, comma separated.")] = ",".join(map(str, STEPS)),
        random_seeds: Annotated[int, typer.Option(min=1, help="Random-selection runs to average.")] = 3,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Theme, sentiment and intent accuracy after 0, 25, 50, 100, 200 reviews: queue order vs random."""
        from groundswell.runtime import build_runtime

        try:
            counts = tuple(int(part) for part in steps.split(",") if part.strip())
        except ValueError as exc:
            raise typer.BadParameter(f"--steps: {exc}") from exc
        embedder = build_runtime().embedder
        payload = evaluate_learning_curve(
            embedder, truth_dir=truth, records=records, seed=seed, steps=counts, random_seeds=random_seeds
        )
        if json_output:
            print_json(payload)
        else:
            _print(payload)
