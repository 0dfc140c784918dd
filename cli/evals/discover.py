"""`groundswell eval discover`: themes proposed from texts alone, scored against labels they never saw.

Two runs with different seeds (the seed decides input order and, above ``max_units`` texts, the clustered
sample) give ``stability_ari``. Noise counts as one cluster in ``nmi``/``ari``; ``coverage`` is the share of
texts placed in a theme.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.discovery import (
    DiscoveryConfig,
    cluster_embeddings,
    default_min_size,
    discover_themes,
    embed_texts,
)
from groundswell.core.discovery_eval import score_discovery, stability_ari
from groundswell.core.protocols import Embedder

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["evaluate_discovery", "read_labelled", "register"]


def read_labelled(path: Path) -> tuple[list[str], list[str]]:
    """Texts and labels from a ``text,label`` CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if not {"text", "label"} <= set(reader.fieldnames or ()):
            raise typer.BadParameter(f"{path} needs the columns text,label", param_hint="--dataset")
        rows = [(r["text"], r["label"]) for r in reader if (r.get("text") or "").strip()]
    return [t for t, _ in rows], [label for _, label in rows]


def evaluate_discovery(
    texts: list[str], labels: list[str], embedder: Embedder, config: DiscoveryConfig
) -> dict[str, Any]:
    """The eval's JSON object."""
    started = perf_counter()
    vectors = embed_texts(embedder, texts)
    result = discover_themes(texts, vectors, config=config)
    seconds = perf_counter() - started
    other = cluster_embeddings(vectors, replace(config, seed=config.seed + 1))
    return {
        "texts": len(texts),
        "themes": len(result.proposals),
        **score_discovery(labels, result.labels),
        "stability_ari": stability_ari(result.labels, other),
        "seconds": round(seconds, 3),
        "seed": config.seed,
        "min_size": config.min_cluster_size or default_min_size(len(texts)),
        "top_themes": [{"name": p.name, "size": p.size} for p in result.proposals[:10]],
    }


def register(app: typer.Typer) -> None:
    """Adds the command to the eval group."""

    @app.command("discover")
    def eval_discover(
        dataset: Annotated[Path, typer.Option("--dataset", exists=True, dir_okay=False, help="CSV text,label")],
        seed: Annotated[int, typer.Option(help="Same seed, same themes.")] = 0,
        min_size: Annotated[
            int | None, typer.Option("--min-size", help="Smallest theme (default: max(8, 0.2% of the texts)).")
        ] = None,
        json_output: Annotated[bool, typer.Option("--json", help="print exactly one JSON object")] = False,
    ) -> None:
        """Theme discovery quality: NMI/ARI vs the labels, coverage, stability across seeds."""
        texts, labels = read_labelled(dataset)
        err.print(f"Embedding and clustering {len(texts)} texts …")
        config = DiscoveryConfig(seed=seed, min_cluster_size=min_size)
        result = evaluate_discovery(texts, labels, build_runtime(Settings()).embedder, config)
        if json_output:
            print_json(result)
            return
        out.print(
            f"{result['themes']} themes from {result['texts']} texts in {result['seconds']}s: "
            f"NMI {result['nmi']:.3f} ARI {result['ari']:.3f} coverage {result['coverage']:.3f} "
            f"stability ARI {result['stability_ari']:.3f}"
        )
        for theme in result["top_themes"]:
            out.print(f"  {theme['size']:>5}  {theme['name']}")
