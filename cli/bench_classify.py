"""`groundswell bench classify`: offline classification throughput (theme + sentiment/intent/severity) per unit."""

from __future__ import annotations

import json
import resource
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer

from cli.output import err, out, print_json
from core.classify import SignalClassifier, ThemeClassifier
from core.protocols import Embedder

__all__ = ["bench_classify", "register"]

EXAMPLES_PER_THEME = 10


def _demo_units(units: int, seed: int, root: Path) -> list[dict[str, Any]]:
    from demo.generate import generate_demo

    generate_demo(root, seed=seed, records=units)
    with (root / "_truth" / "units.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [rows[i % len(rows)] for i in range(units)]


def bench_classify(units: int, embedder: Embedder, seed: int = 11) -> dict[str, Any]:
    """Fit on reviewed examples (10 per demo theme) and the signal seed set, then time classifying ``units``
    demo units end to end: embedding once, theme label or ``other``, sentiment, intent and severity."""
    with tempfile.TemporaryDirectory(prefix="gs-bench-classify-") as tmp:
        rows = _demo_units(units, seed, Path(tmp))
    reviewed: dict[str, list[str]] = {}
    for row in rows:
        if len(bucket := reviewed.setdefault(row["theme_id"], [])) < EXAMPLES_PER_THEME:
            bucket.append(row["text"])
    started = perf_counter()
    themes = ThemeClassifier(embedder, seed=0).fit(
        [t for texts in reviewed.values() for t in texts], [k for k, texts in reviewed.items() for _ in texts]
    )
    signals = SignalClassifier(embedder).fit()
    fit_seconds = perf_counter() - started
    texts = [row["text"] for row in rows]
    err.print(f"bench: classifying {len(texts)} units …")
    started = perf_counter()
    vectors = themes.cache.embed(texts, remember=False)
    embed_seconds = perf_counter() - started
    predicted = themes.predict(texts, vectors)
    signals.predict(texts, vectors)
    seconds = perf_counter() - started
    return {
        "units": len(texts),
        "seconds": round(seconds, 2),
        "units_per_s": round(len(texts) / max(seconds, 1e-9), 1),
        "units_per_s_without_embedding": round(len(texts) / max(seconds - embed_seconds, 1e-9), 1),
        "embed_seconds": round(embed_seconds, 2),
        "fit_seconds": round(fit_seconds, 2),
        "other_share": round(sum(p.label == "other" for p in predicted) / max(len(texts), 1), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def register(app: typer.Typer) -> None:
    """Adds ``classify`` to the bench group."""

    @app.command("classify")
    def bench_classify_command(
        units: Annotated[int, typer.Option(help="Demo feedback units to classify.")] = 5_000,
        seed: Annotated[int, typer.Option()] = 11,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Units/s for theme + signal classification (local embeddings included) and peak RSS."""
        from runtime import build_runtime

        payload = bench_classify(units, build_runtime().embedder, seed)
        if json_output:
            print_json(payload)
            return
        for key, value in payload.items():
            out.print(f"{key:<30} {value}")
