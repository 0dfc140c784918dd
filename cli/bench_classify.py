"""`groundswell bench classify`: offline classification throughput (theme + sentiment/intent/severity) per unit."""

from __future__ import annotations

import json
import resource
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Annotated, Any

import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.classify import SignalClassifier, ThemeClassifier
from groundswell.core.classify.llm import LlmUnitClassifier, MemoryLabelCache
from groundswell.core.classify.units import UnitClassifier
from groundswell.core.llm_usage import MemoryUsageLog, Pricing
from groundswell.core.protocols import ChatModel, Embedder
from groundswell.core.taxonomy import Taxonomy, load_taxonomy

__all__ = ["bench_classify", "bench_llm_classify", "register"]

EXAMPLES_PER_THEME = 10


def _demo_units(units: int, seed: int, root: Path) -> tuple[list[dict[str, Any]], Taxonomy]:
    from groundswell.demo.generate import generate_demo

    generate_demo(root, seed=seed, records=units)
    with (root / "_truth" / "units.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    return [rows[i % len(rows)] for i in range(units)], load_taxonomy(root / "_truth" / "seed_taxonomy.json")


def bench_llm_classify(
    texts: list[str], taxonomy: Taxonomy, embedder: Embedder, chat: ChatModel, *, pricing: Pricing, batch_size: int
) -> dict[str, Any]:
    """Classify ``texts`` with the LLM (seed-taxonomy prompt, offline fallback, in-memory cache and ledger), then
    again to show the cache: tokens per unit, calls, cost, cache hit rate, units/s."""
    usage, cache = MemoryUsageLog(), MemoryLabelCache()
    fallback = lambda: UnitClassifier(taxonomy, embedder)  # noqa: E731 - fitted only if a unit falls back
    classifier = LlmUnitClassifier(
        taxonomy, chat, fallback, cache=cache, usage=usage, pricing=pricing, batch_size=batch_size
    )
    err.print(f"bench: classifying {len(texts)} units with {chat.model_id} …")
    started = perf_counter()
    classifier.classify(texts)
    seconds = perf_counter() - started
    first = classifier.usage
    classifier.begin_run()
    started = perf_counter()
    classifier.classify(texts)
    rerun_seconds = perf_counter() - started
    tokens = first["prompt_tokens"] + first["completion_tokens"]
    return {
        "model": chat.model_id,
        "units": len(texts),
        "units_per_s": round(len(texts) / max(seconds, 1e-9), 1),
        "calls": first["calls"],
        "tokens_per_unit": round(tokens / max(len(texts), 1), 1),
        "prompt_tokens": first["prompt_tokens"],
        "completion_tokens": first["completion_tokens"],
        "cost_usd": first["cost_usd"],
        "cache_hit_rate": round(first["cached_units"] / max(len(texts), 1), 4),
        "fallback_units": first["fallback_units"],
        "error_messages": first["error_messages"][:3],
        "rerun_calls": classifier.usage["calls"],
        "rerun_cache_hit_rate": round(classifier.usage["cached_units"] / max(len(texts), 1), 4),
        "rerun_units_per_s": round(len(texts) / max(rerun_seconds, 1e-9), 1),
    }


def bench_classify(
    units: int,
    embedder: Embedder,
    seed: int = 11,
    *,
    chat: ChatModel | None = None,
    pricing: Pricing | None = None,
    llm_units: int = 200,
    batch_size: int = 20,
) -> dict[str, Any]:
    """Fit on reviewed examples (10 per demo theme) and the signal seed set, then time classifying ``units``
    demo units end to end: embedding once, theme label or ``other``, sentiment, intent and severity.
    With a chat model, also the LLM classifier on the first ``llm_units`` units (key ``llm``)."""
    with tempfile.TemporaryDirectory(prefix="gs-bench-classify-") as tmp:
        rows, taxonomy = _demo_units(units, seed, Path(tmp))
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
    payload: dict[str, Any] = {
        "units": len(texts),
        "seconds": round(seconds, 2),
        "units_per_s": round(len(texts) / max(seconds, 1e-9), 1),
        "units_per_s_without_embedding": round(len(texts) / max(seconds - embed_seconds, 1e-9), 1),
        "embed_seconds": round(embed_seconds, 2),
        "fit_seconds": round(fit_seconds, 2),
        "other_share": round(sum(p.label == "other" for p in predicted) / max(len(texts), 1), 4),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if chat is not None:
        payload["llm"] = bench_llm_classify(
            texts[:llm_units], taxonomy, embedder, chat, pricing=pricing or Pricing(), batch_size=batch_size
        )
    return payload


def register(app: typer.Typer) -> None:
    """Adds ``classify`` to the bench group."""

    @app.command("classify")
    def bench_classify_command(
        units: Annotated[int, typer.Option(help="Demo feedback units to classify.")] = 5_000,
        seed: Annotated[int, typer.Option()] = 11,
        llm_units: Annotated[int, typer.Option(help="Units sent to the LLM, when one is configured.")] = 200,
        json_output: Annotated[bool, typer.Option("--json")] = False,
    ) -> None:
        """Units/s for theme + signal classification (local embeddings included) and peak RSS; with an LLM
        configured, also its tokens per unit, calls, cost, cache hit rate and units/s (key ``llm``)."""
        from groundswell.runtime import build_runtime

        runtime = build_runtime()
        payload = bench_classify(
            units,
            runtime.embedder,
            seed,
            chat=runtime.chat_model,
            pricing=runtime.llm_pricing,
            llm_units=llm_units,
            batch_size=runtime.settings.llm_classify_batch_size,
        )
        if json_output:
            print_json(payload)
            return
        for key, value in payload.items():
            out.print(f"{key:<30} {value}")
