"""A simulated reviewer: how theme, sentiment and intent accuracy grow with reviewed units.

The labelled units are split once into a *pool* the reviewer labels from and a held-out *test* set that is only
scored. At each step the reviewer labels more pool units, picked either in the product's own review-queue order
(:func:`queue_order` over the current classifier's confidences, re-ranked after every refit) or
at random; every label (theme, sentiment, intent) trains the next fit exactly as a stored review label does
(:class:`core.classify.units.UnitClassifier` ``reviewed`` / ``reviewed_signals``).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from groundswell.core.classify.queue import HEADS, queue_order
from groundswell.core.classify.signals import ReviewedSignal
from groundswell.core.classify.theme import OTHER
from groundswell.core.classify.units import UnitClassification, UnitClassifier
from groundswell.core.protocols import Embedder
from groundswell.core.taxonomy import Taxonomy

__all__ = [
    "HEADS",
    "STEPS",
    "MemoEmbedder",
    "TruthUnit",
    "floor_shift",
    "learning_curve",
    "split_pool",
]

STEPS = (0, 25, 50, 100, 200)


@dataclass(frozen=True)
class TruthUnit:
    text: str
    theme: str  # leaf key, or ``other``
    sentiment: str
    intent: str


class MemoEmbedder:
    """Remembers every vector it computed: the simulation refits many times on the same texts."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.model_id = embedder.model_id
        self.dimension = embedder.dimension
        self._seen: dict[str, list[float]] = {}

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._seen))
        if missing:
            self._seen.update(zip(missing, self.embedder.embed(missing), strict=True))
        return [self._seen[t] for t in texts]


def split_pool(units: Sequence[TruthUnit], test_share: float, seed: int) -> tuple[list[TruthUnit], list[TruthUnit]]:
    """(pool, test): a seeded shuffle, ``test_share`` of the units held out for scoring only."""
    order = list(units)
    random.Random(seed).shuffle(order)
    cut = round(len(order) * test_share)
    return order[cut:], order[:cut]


def _leaf(result: UnitClassification) -> str:
    return result.subtheme_key or result.theme_key or OTHER


def _accuracy(results: Sequence[UnitClassification], truth: Sequence[TruthUnit]) -> dict[str, float]:
    got = {
        "theme": [_leaf(r) == t.theme for r, t in zip(results, truth, strict=True)],
        "sentiment": [r.sentiment == t.sentiment for r, t in zip(results, truth, strict=True)],
        "intent": [r.intent == t.intent for r, t in zip(results, truth, strict=True)],
    }
    themed = [_leaf(r) == OTHER for r, t in zip(results, truth, strict=True) if t.theme != OTHER]
    got["no_theme"] = themed  # share of units whose truth has a theme that got none
    return {head: round(float(np.mean(hits)), 4) if hits else 0.0 for head, hits in got.items()}


Fit = Callable[[Sequence[TruthUnit]], UnitClassifier]


def _fitter(taxonomy: Taxonomy, embedder: Embedder, seed: int) -> Fit:
    def fit(reviewed: Sequence[TruthUnit]) -> UnitClassifier:
        return UnitClassifier(
            taxonomy,
            embedder,
            reviewed=[(u.text, u.theme) for u in reviewed],
            reviewed_signals=[ReviewedSignal(u.text, u.sentiment, u.intent) for u in reviewed],
            seed=seed,
        )

    return fit


def _run(
    fit: Fit,
    pool: Sequence[TruthUnit],
    test: Sequence[TruthUnit],
    steps: Sequence[int],
    pick: Callable[[UnitClassifier, list[TruthUnit], int], list[TruthUnit]],
    first: tuple[UnitClassifier, dict[str, float]],
) -> tuple[list[dict[str, float]], UnitClassifier]:
    """Scores after each step; ``pick(current classifier, remaining pool, n)`` chooses the next n to review."""
    classifier, scores = first
    reviewed: list[TruthUnit] = []
    remaining = list(pool)
    curve = []
    for step in steps:
        need = min(step, len(pool)) - len(reviewed)
        if need > 0:
            chosen = pick(classifier, remaining, need)
            taken = {id(u) for u in chosen}
            reviewed += chosen
            remaining = [u for u in remaining if id(u) not in taken]
            classifier = fit(reviewed)
            scores = _accuracy(classifier.classify([u.text for u in test]), test)
        curve.append(scores)
    return curve, classifier


def _queue_pick(classifier: UnitClassifier, remaining: list[TruthUnit], n: int) -> list[TruthUnit]:
    results = classifier.classify([u.text for u in remaining])
    return [remaining[i] for i in queue_order([r.confidence for r in results])[:n]]


def _random_pick(rng: random.Random) -> Callable[[UnitClassifier, list[TruthUnit], int], list[TruthUnit]]:
    return lambda _classifier, remaining, n: rng.sample(remaining, n)


def _by_head(curve: Sequence[Mapping[str, float]]) -> dict[str, list[float]]:
    return {head: [row[head] for row in curve] for head in (*HEADS, "no_theme")}


def learning_curve(
    taxonomy: Taxonomy,
    embedder: Embedder,
    units: Sequence[TruthUnit],
    *,
    steps: Sequence[int] = STEPS,
    random_seeds: int = 3,
    test_share: float = 0.4,
    seed: int = 0,
) -> dict[str, object]:
    """Accuracy per head on the held-out test units after each number of reviewed pool units, for queue-order
    and random selection (random: the mean over ``random_seeds`` seeds, each seed's curve beside it).

    ``active_minus_random``: per head, the mean over the steps after 0 of active minus random accuracy;
    ``no_theme`` beside the heads: the share of test units whose truth has a theme that got none."""
    memo = MemoEmbedder(embedder)
    pool, test = split_pool(units, test_share, seed)
    steps = sorted(set(steps))
    fit = _fitter(taxonomy, memo, seed)
    start = fit([])
    first = (start, _accuracy(start.classify([u.text for u in test]), test))
    active, last = _run(fit, pool, test, steps, _queue_pick, first)
    randoms = [_run(fit, pool, test, steps, _random_pick(random.Random(s)), first)[0] for s in range(random_seeds)]
    mean_random = [
        {head: round(float(np.mean([run[i][head] for run in randoms])), 4) for head in (*HEADS, "no_theme")}
        for i in range(len(steps))
    ]
    later = [i for i, step in enumerate(steps) if step > 0]
    gain = {
        head: round(float(np.mean([active[i][head] - mean_random[i][head] for i in later])), 4) if later else 0.0
        for head in HEADS
    }
    return {
        "steps": list(steps),
        "pool": len(pool),
        "test": len(test),
        "active": _by_head(active),
        "random": _by_head(mean_random),
        "random_runs": [_by_head(run) for run in randoms],
        "active_minus_random": gain,
        "floor": floor_shift(last, [u.text for u in test]),
    }


def floor_shift(classifier: UnitClassifier, texts: Sequence[str]) -> dict[str, object]:
    """Units per theme (leaf) at the floor chosen on the training examples vs the floor calibrated on reviews."""
    probs = classifier.themes.predict_proba(texts)
    calibrated = classifier.themes.threshold
    try:
        classifier.themes.threshold = classifier.example_floor
        before = Counter(p.label for p in classifier.themes.decide(probs))
    finally:
        classifier.themes.threshold = calibrated
    after = Counter(p.label for p in classifier.themes.decide(probs))
    per_theme = {
        key: {"before": before[key], "after": after[key], "change": after[key] - before[key]}
        for key in sorted(set(before) | set(after))
    }
    return {
        "example_floor": round(classifier.example_floor, 4),
        "calibrated_floor": round(calibrated, 4),
        "per_theme": per_theme,
    }
