"""`groundswell eval speakers`: speaker attribution accuracy on labelled dialogues, with turn order removed.

Dataset: JSON lines ``{"id", "turns": [{"speaker": "customer"|"agent"|"system_action", "text"}]}``. Gold
``agent`` and ``system_action`` count as the agent side (agent, rep, bot, system); the question scored is the
one ingestion asks: customer words or not. Two variants, both with the turns shuffled by a fixed seed:
``independent_turns`` (every turn its own unknown speaker; the headline figure) and ``speaker_keys`` (the
dataset's speakers kept as opaque keys, roles hidden). The model never trains on these dialogues: it is fitted
on the hand-written lines shipped in ``core.speakers_data``, so every dialogue here is held out.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from groundswell.core.models import SpeakerRole
from groundswell.core.speakers import AGENT_SIDE, Attribution, Turn, attribute_speakers

__all__ = ["evaluate", "load_dialogues", "register"]

SEED = 13
ROLES = ("customer", "agent")
Gold = list[tuple[str, str, str]]  # (gold role in ROLES, speaker label in the dataset, text)


def load_dialogues(path: Path) -> list[Gold]:
    """Each dialogue as (gold role, speaker label, text) triples; empty turns dropped."""
    dialogues: list[Gold] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        turns = [
            (_gold(str(t.get("speaker", ""))), str(t.get("speaker", "")), str(t.get("text", "")))
            for t in record.get("turns", [])
            if str(t.get("text", "")).strip()
        ]
        if turns:
            dialogues.append(turns)
    return dialogues


def _gold(speaker: str) -> str:
    return "customer" if speaker == "customer" else "agent"


def _side(role: SpeakerRole) -> str:
    return "agent" if role in AGENT_SIDE else "customer" if role == SpeakerRole.CUSTOMER else "unknown"


def _independent(dialogue: Gold) -> list[Turn]:
    return [Turn(None, text) for _, _, text in dialogue]


def _keyed(dialogue: Gold) -> list[Turn]:
    keys = {label: f"speaker-{n}" for n, label in enumerate(sorted({label for _, label, _ in dialogue}))}
    return [Turn(keys[label], text) for _, label, text in dialogue]


def _metrics(pairs: Sequence[tuple[str, str]]) -> dict[str, Any]:
    per_role: dict[str, dict[str, float | int]] = {}
    for role in ROLES:
        tp = sum(1 for g, p in pairs if g == role and p == role)
        predicted = sum(1 for _, p in pairs if p == role)
        support = sum(1 for g, _ in pairs if g == role)
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_role[role] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
        }
    correct = sum(1 for g, p in pairs if g == p)
    return {"accuracy": round(correct / len(pairs), 4) if pairs else 0.0, "per_role": per_role}


def _run(dialogues: Sequence[Gold], build: Callable[[Gold], list[Turn]]) -> dict[str, Any]:
    rng = random.Random(SEED)
    pairs: list[tuple[str, str]] = []
    for dialogue in dialogues:
        shuffled = list(dialogue)
        rng.shuffle(shuffled)
        attributions: list[Attribution] = attribute_speakers(build(shuffled))
        pairs.extend((gold, _side(a.role)) for (gold, _, _), a in zip(shuffled, attributions, strict=True))
    return _metrics(pairs)


def evaluate(dialogues: Sequence[Gold]) -> dict[str, Any]:
    """The eval's JSON object: headline = independent turns; both variants under ``variants``."""
    started = time.perf_counter()
    independent = _run(dialogues, _independent)
    keyed = _run(dialogues, _keyed)
    return {
        "accuracy": independent["accuracy"],
        "per_role": independent["per_role"],
        "turns": sum(len(d) for d in dialogues),
        "dialogues": len(dialogues),
        "variants": {"independent_turns": independent, "speaker_keys": keyed},
        "held_out": True,
        "seed": SEED,
        "seconds": round(time.perf_counter() - started, 3),
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("speakers")
    def speakers(
        dataset: Annotated[Path, typer.Option("--dataset", exists=True, dir_okay=False, help="labelled JSONL")],
        as_json: Annotated[bool, typer.Option("--json", help="print exactly one JSON object")] = False,
    ) -> None:
        """Speaker attribution accuracy with turn order removed (customer vs agent side)."""
        result = evaluate(load_dialogues(dataset))
        if as_json:
            typer.echo(json.dumps(result))
            return
        typer.echo(f"{result['dialogues']} dialogues, {result['turns']} turns, {result['seconds']}s")
        for name, variant in result["variants"].items():
            typer.echo(f"{name}: accuracy {variant['accuracy']:.3f}")
            for role, m in variant["per_role"].items():
                typer.echo(f"  {role:<9} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.3f} n={m['support']}")
