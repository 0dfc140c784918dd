"""`groundswell eval pii --dataset FILE.jsonl [--json]`: precision/recall/F2 of the offline PII detector."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.privacy import ENTITY_TYPES, PiiDetector
from groundswell.core.privacy.evaluate import PiiExample, evaluate_detector, parse_example

__all__ = ["load_examples", "register"]


def load_examples(path: Path) -> list[PiiExample]:
    """JSON lines ``{"text": ..., "spans": [{"start", "end", "type"}]}``; blank lines are skipped."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                examples.append(parse_example(json.loads(line)))
            except (ValueError, KeyError, TypeError) as error:
                raise typer.BadParameter(f"{path}:{number}: not a PII example ({error})") from error
    return examples


def eval_pii(
    dataset: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="JSONL with text and gold spans.")],
    json_output: Annotated[bool, typer.Option("--json", help="Print exactly one JSON object.")] = False,
) -> None:
    """Scores the detector: a prediction counts when it overlaps a gold span of the same type (Presidio names)."""
    examples = load_examples(dataset)
    err.print(f"eval pii: {len(examples)} texts from {dataset}")
    step = max(len(examples) // 10, 1)

    def progress(done: int) -> None:
        if done % step == 0:
            err.print(f"  {done}/{len(examples)}")

    result = evaluate_detector(PiiDetector().detect, examples, ENTITY_TYPES, progress)
    if json_output:
        print_json(result)
    else:
        out.print(result)


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""
    app.command("pii")(eval_pii)
