"""`groundswell eval identity`: pairwise precision/recall/F1 of person matching against labelled pairs.

`groundswell eval identity-demo`: the same scores for the people a demo ingest stored (identifier occurrences in
``_truth/people.csv`` → the person holding that identifier), plus person → account accuracy."""

from __future__ import annotations

import csv
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.identity import normalize_email, normalize_phone
from groundswell.core.matching import match_people, records_from_rows
from groundswell.core.matching_eval import closed_pairs, cluster_pairs, score_pairs
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.identity_reads import identifier_holders, person_account_refs

__all__ = ["evaluate_identity", "evaluate_identity_demo", "identifier_keys", "read_truth", "register"]


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


def identifier_keys(row: dict[str, str]) -> list[tuple[str, str]]:
    """The identifiers ingest stores for one ``people.csv`` row (source ids first, then email, handle, phone)."""
    source = row["source"]
    native = row["rec_id"].split(":", 2)[-1]
    keys = [("source_user", f"{source}:{native}"), ("crm_id", f"{source}:{native}")]
    if row.get("email") and (email := normalize_email(row["email"])):
        keys.append(("email", email))
    if row.get("handle"):
        keys.append(("handle", f"{source}:{row['handle'].lower()}"))
    if row.get("phone") and (phone := normalize_phone(row["phone"])):
        keys.append(("phone", phone))
    return keys


def evaluate_identity_demo(engine: Engine, truth_path: Path) -> dict[str, Any]:
    """Pairwise P/R/F1 of stored people over identifier occurrences, and account attachment accuracy."""
    with truth_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with session_scope(engine) as session:
        holder = identifier_holders(session=session)
        account_of = person_account_refs(session=session)
    predicted: dict[int, list[str]] = {}
    truth: dict[str, list[str]] = {}
    found = attached = correct = with_account = 0
    for row in rows:
        if row["person_id"]:  # an empty person_id is a shared inbox: it belongs to nobody
            truth.setdefault(row["person_id"], []).append(row["rec_id"])
        pid = next((holder[key] for key in identifier_keys(row) if key in holder), None)
        if pid is None:
            continue
        found += 1
        predicted.setdefault(pid, []).append(row["rec_id"])
        if row["person_id"] and row.get("account_id"):
            with_account += 1
            ours = account_of.get(pid)
            attached += ours is not None
            correct += ours == row["account_id"]
    scores = score_pairs(cluster_pairs(predicted.values()), cluster_pairs(truth.values()))
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "pairs_predicted": scores.pairs_predicted,
        "pairs_true": scores.pairs_true,
        "pairs_correct": scores.pairs_correct,
        "occurrences": len(rows),
        "occurrences_found": found,
        "people_true": len(truth),
        "people_predicted": len(predicted),
        "account_known": with_account,
        "account_attached": round(attached / with_account, 4) if with_account else 0.0,
        "account_accuracy": round(correct / with_account, 4) if with_account else 0.0,
    }


def _print(payload: dict[str, Any], json_output: bool) -> None:
    if json_output:
        print_json(payload)
        return
    for key, value in payload.items():
        out.print(f"{key:<20} {value}")


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
        _print(evaluate_identity(records, truth), json_output)

    @app.command("identity-demo")
    def eval_identity_demo(
        data_dir: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Data dir of a demo ingest.")],
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Stored people vs the demo's truth: pairwise P/R/F1 over identifier occurrences, account accuracy."""
        from groundswell.runtime import build_runtime
        from groundswell.settings import Settings

        runtime = build_runtime(Settings(data_dir=data_dir))
        truth = runtime.settings.exports_dir / "_truth" / "people.csv"
        if not truth.exists():
            raise typer.BadParameter(f"{truth} not found: run `groundswell demo` with this data dir first")
        _print(evaluate_identity_demo(runtime.engine, truth), json_output)
