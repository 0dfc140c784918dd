"""`groundswell eval duplicates --data-dir DIR [--json]`: duplicate links of a demo ingest vs the planted truth.

Truth: ``_truth/units.jsonl`` (every signal with its message and offsets) and ``_truth/truth.json``'s ``duplicates``
(signal -> signal it repeats). Each signal is mapped to the stored unit of its message that overlaps it; the
duplicate detector is re-run over the stored units (as ``jobs.dedupe`` does, so ``seconds`` is its cost) and its
links are scored pairwise.
"""

from __future__ import annotations

import json
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.dedupe import DedupeItem, find_duplicates
from groundswell.core.dedupe_eval import Located, map_signals_to_units, score_duplicates
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.unit_locations import list_unit_locations
from groundswell.storage.units import list_dedupe_rows

__all__ = ["evaluate_duplicates", "read_truth_signals", "register"]


def read_truth_signals(truth_dir: Path) -> tuple[list[Located], dict[str, str]]:
    """(every truth signal located in its message, duplicate signal -> the signal it repeats)."""
    signals = []
    for line in (truth_dir / "units.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            signals.append(
                Located(
                    row["signal_id"],
                    row["source"],
                    str(row["external_id"]),
                    str(row["message_id"]),
                    int(row["char_start"]),
                    int(row["char_end"]),
                )
            )
    truth = json.loads((truth_dir / "truth.json").read_text(encoding="utf-8"))
    links = {d["signal_id"]: d["duplicate_of"] for d in truth.get("duplicates", []) if d.get("duplicate_of")}
    return signals, links


def _stored_units(engine: Engine) -> list[Located]:
    with session_scope(engine) as session:
        return [Located(*row) for row in list_unit_locations(session=session)]


def evaluate_duplicates(engine: Engine, truth_dir: Path) -> dict[str, Any]:
    """Scores of the duplicate detector on the stored units of a demo ingest (see ``core.dedupe_eval``)."""
    signals, truth_links = read_truth_signals(truth_dir)
    signal_units = map_signals_to_units(signals, _stored_units(engine))
    with session_scope(engine) as session:
        rows = list_dedupe_rows(session=session)
    started = perf_counter()
    predicted = find_duplicates(
        DedupeItem(uid, text, at, person, account) for uid, text, at, person, account, _ in rows
    )
    seconds = perf_counter() - started
    return {
        **score_duplicates(truth_links, signal_units, predicted),
        "seconds": round(seconds, 3),
        "units": len(rows),
        "signals": len(signals),
        "signals_mapped": len(signal_units),
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("duplicates")
    def eval_duplicates(
        data_dir: Annotated[Path, typer.Option(exists=True, file_okay=False, help="Data dir of a demo ingest.")],
        json_output: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
    ) -> None:
        """Duplicate links vs the demo's planted duplicates: pairwise precision, recall, F1."""
        from groundswell.runtime import build_runtime
        from groundswell.settings import Settings

        runtime = build_runtime(Settings(data_dir=data_dir))
        truth_dir = runtime.settings.exports_dir / "_truth"
        if not (truth_dir / "truth.json").exists() or not (truth_dir / "units.jsonl").exists():
            raise typer.BadParameter(f"{truth_dir} has no truth: run `groundswell demo` with this data dir first")
        err.print(f"eval duplicates: {data_dir}")
        result = evaluate_duplicates(runtime.engine, truth_dir)
        if json_output:
            print_json(result)
            return
        for key, value in result.items():
            out.print(f"{key:<28} {value}")
