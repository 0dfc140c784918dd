"""`groundswell eval weak-signals`: sentiment accuracy with and without the sources' own signals (stars, CSAT, NPS).

CSV columns: ``text``, ``sentiment`` and any of ``rating`` (1-5: app-store stars when ``channel`` is ``review``,
else CSAT), ``score`` (NPS 0-10), ``source`` (the unit of trust, default ``file``), ``channel``. The text classifier
is the shipped one (seed set only); the most a source may move a score is chosen by cross-validation
(:func:`core.classify.weak.cross_validate`), so ``weak_accuracy`` is a held-out figure on the file.
"""

from __future__ import annotations

import csv
from dataclasses import asdict
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.evals.report import report
from groundswell.cli.output import err
from groundswell.core.classify.signals import SignalClassifier
from groundswell.core.classify.weak import SourceSignal, cross_validate, source_signal
from groundswell.core.protocols import Embedder

__all__ = ["evaluate_weak", "read_weak_csv", "register"]


def _number(value: str | None) -> float | None:
    value = (value or "").strip()
    return float(value) if value else None


def read_weak_csv(path: Path) -> tuple[list[str], list[str], list[SourceSignal | None]]:
    """Texts, sentiment labels and each row's source signal (None where the row has neither rating nor score)."""
    texts: list[str] = []
    labels: list[str] = []
    signals: list[SourceSignal | None] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            text, label = (row.get("text") or "").strip(), (row.get("sentiment") or "").strip().lower()
            if not text or not label:
                continue
            try:
                rating, score = _number(row.get("rating")), _number(row.get("score"))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: rating/score is not a number ({exc})") from exc
            source = (row.get("source") or "").strip() or "file"
            channel = (row.get("channel") or "").strip().lower()
            texts.append(text)
            labels.append(label)
            signals.append(source_signal(source, channel, rating, None if score is None else round(score)))
    if not texts:
        raise ValueError(f"{path}: needs rows with 'text' and 'sentiment'")
    return texts, labels, signals


def demo_rows(records: int = 4000, seed: int = 7) -> tuple[list[str], list[str], list[SourceSignal | None]]:
    """A generated demo's Google Play reviews (stars) and Delighted responses (NPS, CSAT), read through the
    product's own connectors, with the truth's sentiment (duplicates left out)."""
    import json
    import tempfile

    from groundswell.cli.evals.learning_curve import DEMO_END
    from groundswell.connectors.files.delighted import DelightedExport
    from groundswell.connectors.files.googleplay import GooglePlayExport
    from groundswell.core.models import RawRecord
    from groundswell.demo.generate import generate_demo

    with tempfile.TemporaryDirectory() as tmp:
        summary = generate_demo(Path(tmp), seed=seed, records=records, end=DEMO_END)
        facts: dict[tuple[str, str], tuple[str, float | None, int | None]] = {}
        for source in (
            GooglePlayExport(summary.out_dir / "googleplay"),
            DelightedExport(summary.out_dir / "delighted"),
        ):
            for record in source.poll(None):
                if isinstance(record, RawRecord):
                    doc = source.normalize(record)
                    facts[(source.name, doc.external_id)] = (doc.channel.value, doc.rating, doc.score)
        rows = [json.loads(line) for line in (summary.truth_dir / "units.jsonl").read_text().splitlines()]
    texts, labels, signals = [], [], []
    for row in rows:
        key = (row["source"], str(row["external_id"]))
        if key in facts and not row.get("duplicate_of"):
            channel, rating, score = facts[key]
            texts.append(row["text"])
            labels.append(row["sentiment"])
            signals.append(source_signal(row["source"], channel, rating, score))
    return texts, labels, signals


def evaluate_weak(dataset: Path | None, embedder: Embedder, folds: int = 5) -> dict[str, Any]:
    """On ``dataset`` (a CSV as in the module docstring), or on a generated demo's rated units when None."""
    texts, labels, signals = read_weak_csv(dataset) if dataset is not None else demo_rows()
    started = perf_counter()
    err.print(f"fitting on the seed set, predicting {len(texts)} texts …")
    predicted = SignalClassifier(embedder).fit().predict(texts)
    result = cross_validate(
        labels,
        [p.sentiment for p in predicted],
        [p.sentiment_confidence for p in predicted],
        [p.sentiment_score for p in predicted],
        signals,
        folds=folds,
    )
    with_signal = sum(1 for s in signals if s is not None)
    return {"rows": len(texts), "rows_with_signal": with_signal, **asdict(result)} | {
        "seconds": round(perf_counter() - started, 2)
    }


def register(app: typer.Typer) -> None:
    """Adds ``weak-signals`` to the eval group."""

    @app.command("weak-signals")
    def eval_weak(
        dataset: Annotated[
            Path | None,
            typer.Option(
                exists=True, dir_okay=False, help="CSV: text, sentiment, rating and/or score (default: demo)."
            ),
        ] = None,
        folds: Annotated[int, typer.Option(min=2)] = 5,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Sentiment accuracy of the text alone, with source signals (cross-validated), and of the signal alone."""
        from groundswell.runtime import build_runtime

        report(lambda: evaluate_weak(dataset, build_runtime().embedder, folds), json_output=json_output, width=18)
