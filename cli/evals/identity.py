"""`groundswell eval identity`: pairwise precision/recall/F1 of person matching against labelled pairs."""

from __future__ import annotations

import csv
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer

from cli.output import err, out, print_json
from core.matching import match_people, records_from_rows
from core.matching_eval import closed_pairs, cluster_pairs, score_pairs

__all__ = ["evaluate_identity", "read_truth", "register"]


def read_truth(path: Path, known: set[str]) -> list[tuple[str, str]]:
    """Pairs from the first two columns; a first row naming no known rec_id is a header and skipped."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [row[:2] for row in csv.reader(handle) if len(row) >= 2]
    if rows and not ({rows[0][0].strip(), rows[0][1].strip()} & known):
        rows = rows[1:]
    return [(a.strip(), b.strip()) for a, b in rows]


def evaluate_identity(records_path: Path, truth_path: Path) -> dict[str, Any]:
    """Match the records, score every pair implied by the predicted clusters against the closed truth."""
    with records_path.open(newline="", encoding="utf-8") as handle:
        records = records_from_rows(csv.DictReader(handle))
    truth = closed_pairs(read_truth(truth_path, {r.rec_id for r in records}))
    started = perf_counter()
    result = match_people(records)
    seconds = perf_counter() - started
    scores = score_pairs(cluster_pairs(result.clusters), truth)
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "seconds": round(seconds, 3),
        "records": len(records),
        "clusters": len(result.clusters),
        "pairs_predicted": scores.pairs_predicted,
        "pairs_true": scores.pairs_true,
        "pairs_correct": scores.pairs_correct,
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("identity")
    def eval_identity(
        records: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV with rec_id + person columns.")],
        truth: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV: first two columns = same person.")],
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Person matching quality: pairwise precision, recall, F1 (truth closed transitively)."""
        err.print(f"matching {records} …")
        payload = evaluate_identity(records, truth)
        if json_output:
            print_json(payload)
            return
        for key, value in payload.items():
            out.print(f"{key:<16} {value}")
