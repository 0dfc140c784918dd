"""`groundswell eval classify`: theme classification from reviewed examples, scored on a labelled test CSV.

The train CSV plays the reviewed examples (labels = taxonomy nodes); each test text gets one label or ``other``
(``oos``/``other`` in the data is the "nothing fits" class)."""

from __future__ import annotations

from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.evals.report import report
from groundswell.cli.output import err, out
from groundswell.core.classify import ThemeClassifier
from groundswell.core.classify.evaluate import read_labelled_csv, score_labels
from groundswell.core.classify.theme import UNKNOWN_LABELS
from groundswell.core.protocols import Embedder

__all__ = ["evaluate_classify", "register"]


def evaluate_classify(
    train: Path, test: Path, embedder: Embedder, seed: int = 0, unknown_weight: float | None = None
) -> dict[str, Any]:
    """Fit on ``train``, predict ``test``, score; ``seconds`` covers fitting and predicting (embedding included)."""
    train_texts, train_labels = read_labelled_csv(train)
    test_texts, test_labels = read_labelled_csv(test)
    started = perf_counter()
    err.print(f"fitting on {len(train_texts)} examples of {len(set(train_labels))} labels …")
    classifier = ThemeClassifier(embedder, seed=seed, unknown_weight=unknown_weight).fit(train_texts, train_labels)
    err.print(f"predicting {len(test_texts)} texts …")
    predicted = [p.label for p in classifier.predict(test_texts)]
    seconds = perf_counter() - started
    return score_labels(test_labels, predicted) | {
        "seconds": round(seconds, 2),
        "train": len(train_texts),
        "test": len(test_texts),
        "threshold": round(classifier.threshold, 4),
        "other_as_class": any(label in UNKNOWN_LABELS for label in classifier.labels),
    }


def register(app: typer.Typer) -> None:
    """Adds ``classify`` to the eval group."""

    @app.command("classify")
    def eval_classify(
        train: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV text,label: reviewed examples.")],
        test: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="CSV text,label to score.")],
        seed: Annotated[int, typer.Option()] = 0,
        unknown_weight: Annotated[
            float | None,
            typer.Option(min=0.0, max=1.0, help="Prior share of texts that fit nothing (default: from the data)."),
        ] = None,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Accuracy, macro-F1, coverage and per-label precision/recall/F1 (label or `other` per text)."""
        from groundswell.runtime import build_runtime

        payload = report(
            lambda: evaluate_classify(train, test, build_runtime().embedder, seed, unknown_weight),
            json_output=json_output,
            width=10,
        )
        if payload is None:
            return
        for label, scores in payload["per_label"].items():
            out.print(f"  {label:<28} " + "  ".join(f"{k}={v}" for k, v in scores.items()))
