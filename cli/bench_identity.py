"""`groundswell bench identity`: person-matching throughput on seeded synthetic noisy records."""

from __future__ import annotations

import resource
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.matching import resolve
from groundswell.core.matching.synthetic import synthetic_people
from groundswell.core.matching_eval import cluster_pairs, score_pairs

__all__ = ["bench_identity", "register"]


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def bench_identity(people: int, seed: int = 7) -> dict[str, Any]:
    """Generate ``people`` people (+ ~30 % corrupted duplicates), time resolution only, score it too."""
    records, truth = synthetic_people(people, seed=seed)
    started = perf_counter()
    resolution = resolve(records)
    seconds = perf_counter() - started
    groups: dict[str, list[str]] = {}
    for rec_id, person in truth.items():
        groups.setdefault(person, []).append(rec_id)
    scores = score_pairs(cluster_pairs(resolution.result.clusters), cluster_pairs(groups.values()))
    return {
        "people": people,
        "records": len(records),
        "candidate_pairs": resolution.candidates,
        "seconds": round(seconds, 3),
        "records_per_s": round(len(records) / max(seconds, 1e-9), 1),
        "peak_rss_mb": _peak_rss_mb(),
        "f1": round(scores.f1, 4),
    }


def register(app: typer.Typer) -> None:
    """Adds ``identity`` to the bench group."""

    @app.command("identity")
    def bench_identity_command(
        people: Annotated[int, typer.Option(help="Synthetic people to generate (records ≈ 1.6 × people).")] = 100_000,
        seed: Annotated[int, typer.Option()] = 7,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Records/s for identity resolution (blocking, EM, scoring, clustering) and peak RSS."""
        err.print(f"generating and resolving {people} synthetic people …")
        payload = bench_identity(people, seed)
        if json_output:
            print_json(payload)
            return
        for key, value in payload.items():
            out.print(f"{key:<16} {value}")
