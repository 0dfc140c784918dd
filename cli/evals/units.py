"""`groundswell eval units`: feedback-unit splitting against the demo corpus's planted signals.

Reads an export directory with the real importers (no database), cuts every conversation with
:func:`core.parsing.split_units` and scores the units' spans against ``DIR/_truth/units.jsonl``
with :func:`core.segment_eval.score_units` (one-to-one, IoU >= 0.5).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import out, print_json
from groundswell.core.models import ConversationDoc, RawRecord
from groundswell.core.parsing import split_units
from groundswell.core.protocols import FeedbackSource
from groundswell.core.segment_eval import Scores, Span, score_units

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["evaluate_units", "predicted_spans", "read_truth", "register"]

TRUTH_FILE = Path("_truth") / "units.jsonl"


def read_truth(path: Path) -> list[Span]:
    """Planted signals, one JSON object a line (source, external_id, message_id, char_start, char_end)."""
    spans: list[Span] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            spans.append(
                Span(
                    str(row["source"]),
                    str(row["external_id"]),
                    str(row["message_id"]),
                    int(row["char_start"]),
                    int(row["char_end"]),
                )
            )
    return spans


def _documents(source: FeedbackSource) -> Iterator[ConversationDoc]:
    for item in source.poll(None):
        if isinstance(item, RawRecord) and not item.deleted:
            doc = source.normalize(item)
            if isinstance(doc, ConversationDoc):
                yield doc


def predicted_spans(sources: list[FeedbackSource]) -> list[Span]:
    """Every unit the ingest path would cut from these sources, as spans into its message text."""
    return [
        Span(draft.source, draft.external_id, draft.message_id, draft.char_start, draft.char_end)
        for source in sources
        for doc in _documents(source)
        for draft in split_units(doc)
    ]


def _ratios(scores: Scores) -> dict[str, float]:
    return {"precision": round(scores.precision, 4), "recall": round(scores.recall, 4), "f1": round(scores.f1, 4)}


def evaluate_units(exports: Path, settings: Settings | None = None) -> dict[str, Any]:
    """The eval's JSON object for one export directory."""
    truth = read_truth(exports / TRUTH_FILE)
    started = perf_counter()
    sources = build_runtime(settings or Settings()).file_sources(exports)
    scores = score_units(predicted_spans(sources), truth)
    return {
        **_ratios(scores),
        "units": scores.units,
        "signals": scores.signals,
        "matched": scores.matched,
        "chatter_rate": round(scores.chatter_rate, 4),
        "per_source": {name: _ratios(s) for name, s in sorted(scores.per_source.items())},
        "seconds": round(perf_counter() - started, 3),
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("units")
    def eval_units(
        exports: Annotated[
            Path, typer.Option("--exports", exists=True, file_okay=False, help="export dir with _truth/units.jsonl")
        ],
        json_output: Annotated[bool, typer.Option("--json", help="print exactly one JSON object")] = False,
    ) -> None:
        """Unit splitting quality: precision, recall, F1 of unit spans vs planted signals (IoU >= 0.5)."""
        if not (exports / TRUTH_FILE).is_file():
            raise typer.BadParameter(f"no {TRUTH_FILE} under {exports}", param_hint="--exports")
        result = evaluate_units(exports)
        if json_output:
            print_json(result)
            return
        out.print(
            f"{result['units']} units vs {result['signals']} signals in {result['seconds']}s: "
            f"P {result['precision']:.3f} R {result['recall']:.3f} F1 {result['f1']:.3f} "
            f"chatter {result['chatter_rate']:.3f}"
        )
        for name, m in result["per_source"].items():
            out.print(f"  {name:<11} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f}")
