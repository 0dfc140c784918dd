"""`groundswell eval signals`: sentiment / intent / severity of the shipped signal classifier on a labelled CSV.

Columns: ``text`` plus any of ``sentiment``, ``intent``, ``severity`` (a missing column scores ``null``; empty
cells are skipped for that head). The classifier is trained on the shipped seed set only, never on the file.
``vader_sentiment_accuracy`` is stock VADER (compound >= 0.05 positive, <= -0.05 negative) on the same rows.
"""

from __future__ import annotations

import csv
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.evals.report import report
from groundswell.cli.output import err, out
from groundswell.core.classify.evaluate import score_labels
from groundswell.core.classify.sentiment_lexicon import vader_compound
from groundswell.core.classify.signals import SignalClassifier
from groundswell.core.protocols import Embedder

__all__ = ["HEADS", "evaluate_signals", "read_signal_csv", "register", "vader_label"]

HEADS = ("sentiment", "intent", "severity")


def read_signal_csv(path: Path) -> tuple[list[str], dict[str, list[str]]]:
    """Texts and, per head column present, its labels (lower-cased, stripped; ``""`` = unlabelled)."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = {(name or "").strip().lower(): name for name in reader.fieldnames or []}
        if "text" not in columns:
            raise ValueError(f"{path}: needs a 'text' column (found {sorted(columns)})")
        present = [head for head in HEADS if head in columns]
        if not present:
            raise ValueError(f"{path}: needs at least one of {', '.join(HEADS)} columns")
        texts: list[str] = []
        labels: dict[str, list[str]] = {head: [] for head in present}
        for row in reader:
            text = (row.get(columns["text"]) or "").strip()
            if not text:
                continue
            texts.append(text)
            for head in present:
                labels[head].append((row.get(columns[head]) or "").strip().lower())
    if not texts:
        raise ValueError(f"{path}: no rows with text")
    return texts, labels


def vader_label(text: str) -> str:
    """Stock VADER's label with its authors' usual ±0.05 compound thresholds."""
    score = vader_compound(text)
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def evaluate_signals(dataset: Path, embedder: Embedder, seed: int = 0) -> dict[str, Any]:
    """Fit on the seed set, predict every text, score each labelled head; ``seconds`` covers fit + predict."""
    texts, labels = read_signal_csv(dataset)
    started = perf_counter()
    err.print(f"fitting on the seed set, predicting {len(texts)} texts …")
    predicted = SignalClassifier(embedder, seed=seed).fit().predict(texts)
    seconds = perf_counter() - started
    payload: dict[str, Any] = {"rows": len(texts)}
    per_label: dict[str, Any] = {}
    for head in HEADS:
        payload[f"{head}_accuracy"] = payload[f"{head}_macro_f1"] = None
        if head not in labels:
            continue
        rows = [i for i, label in enumerate(labels[head]) if label]
        scores = score_labels([labels[head][i] for i in rows], [getattr(predicted[i], head) for i in rows])
        payload[f"{head}_accuracy"], payload[f"{head}_macro_f1"] = scores["accuracy"], scores["macro_f1"]
        per_label[head] = scores["per_label"]
        if head == "sentiment":
            vader = score_labels([labels[head][i] for i in rows], [vader_label(texts[i]) for i in rows])
            payload["vader_sentiment_accuracy"], payload["vader_sentiment_macro_f1"] = (
                vader["accuracy"],
                vader["macro_f1"],
            )
            payload["mixed_units"] = sum(1 for p in predicted if p.mixed)
    return payload | {"per_label": per_label, "seconds": round(seconds, 2)}


def register(app: typer.Typer) -> None:
    """Adds ``signals`` to the eval group."""

    @app.command("signals")
    def eval_signals(
        dataset: Annotated[
            Path,
            typer.Option(exists=True, dir_okay=False, help="CSV with text and any of sentiment, intent, severity."),
        ],
        seed: Annotated[int, typer.Option()] = 0,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Accuracy, macro-F1 and per-label scores of sentiment / intent / severity (null when unlabelled)."""
        from groundswell.runtime import build_runtime

        payload = report(
            lambda: evaluate_signals(dataset, build_runtime().embedder, seed), json_output=json_output, width=26
        )
        if payload is None:
            return
        for head, scores in payload["per_label"].items():
            for label, values in scores.items():
                out.print(f"  {head}/{label:<20} " + "  ".join(f"{k}={v}" for k, v in values.items()))
