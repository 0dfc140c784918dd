"""Score the classifier against human-reviewed gold labels: per-theme scores, sibling confusion, drift by
source and by month, and the regression gate that decides whether a classifier may be promoted."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from groundswell.core.classify.evaluate import score_labels
from groundswell.core.classify.theme import OTHER
from groundswell.core.taxonomy import Taxonomy

__all__ = ["GateResult", "GoldItem", "gate", "score_gold", "theme_precision_counts"]


@dataclass(frozen=True)
class GoldItem:
    """One reviewed unit: its text, where and when it came from, and the human's leaf theme (None: other)."""

    unit_id: str
    text: str
    source: str
    created_at: datetime
    theme_key: str | None


@dataclass(frozen=True)
class GateResult:
    passed: bool
    message: str


def _accuracy_by(
    items: Sequence[GoldItem], truth: Sequence[str], predicted: Sequence[str], key: Callable[[GoldItem], str]
) -> dict[str, dict[str, float | int]]:
    groups: dict[str, list[bool]] = defaultdict(list)
    for item, gold, pred in zip(items, truth, predicted, strict=True):
        groups[key(item)].append(gold == pred)
    return {
        name: {"accuracy": round(sum(hits) / len(hits), 4), "count": len(hits)} for name, hits in sorted(groups.items())
    }


def _sibling_confusion(
    taxonomy: Taxonomy, truth: Sequence[str], predicted: Sequence[str]
) -> list[dict[str, str | int]]:
    """Mistakes between two leaves under the same parent, most frequent first."""
    counts: Counter[tuple[str, str]] = Counter()
    for gold, pred in zip(truth, predicted, strict=True):
        if gold == pred or OTHER in (gold, pred) or gold not in taxonomy or pred not in taxonomy:
            continue
        if taxonomy.get(gold).parent_key == taxonomy.get(pred).parent_key:
            counts[(gold, pred)] += 1
    return [
        {"truth": gold, "predicted": pred, "count": n, "parent": taxonomy.get(gold).parent_key or ""}
        for (gold, pred), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def theme_precision_counts(truth: Sequence[str | None], predicted: Sequence[str | None]) -> dict[str, tuple[int, int]]:
    """Per predicted theme (not "other"): (units predicted in it, of which the reviewer agrees)."""
    counts: dict[str, tuple[int, int]] = {}
    for gold, pred in zip(truth, predicted, strict=True):
        if pred is None or pred == OTHER:
            continue
        n, ok = counts.get(pred, (0, 0))
        counts[pred] = (n + 1, ok + (gold == pred))
    return counts


def score_gold(taxonomy: Taxonomy, items: Sequence[GoldItem], predicted: Sequence[str | None]) -> dict[str, Any]:
    """Scores of ``predicted`` leaf keys (None: other) against the items' reviewed labels."""
    if len(items) != len(predicted):
        raise ValueError(f"{len(items)} gold items but {len(predicted)} predictions")
    truth = [item.theme_key or OTHER for item in items]
    pred = [p or OTHER for p in predicted]
    scores = score_labels(truth, pred)
    return {
        "gold": len(items),
        "accuracy": scores["accuracy"],
        "macro_f1": scores["macro_f1"],
        "coverage": scores["coverage"],
        "per_theme": scores["per_label"],
        "sibling_confusion": _sibling_confusion(taxonomy, truth, pred),
        "drift": {
            "by_source": _accuracy_by(items, truth, pred, lambda item: item.source),
            "by_month": _accuracy_by(items, truth, pred, lambda item: item.created_at.strftime("%Y-%m")),
        },
    }


def gate(current: Mapping[str, Any], baseline: Mapping[str, Any], tolerance: float) -> GateResult:
    """Fails when accuracy or macro-F1 falls more than ``tolerance`` below the baseline run; else promote."""
    drops = []
    for metric in ("accuracy", "macro_f1"):
        if metric not in baseline:
            raise ValueError(f"baseline has no {metric!r}: is it the JSON output of `eval gold`?")
        before, now = float(baseline[metric]), float(current[metric])
        if now < before - tolerance:
            drops.append(f"{metric} {before:.4f} -> {now:.4f} (-{before - now:.4f})")
    if drops:
        return GateResult(False, f"regression beyond tolerance {tolerance}: " + "; ".join(drops))
    return GateResult(True, f"promote: accuracy and macro_f1 within {tolerance} of the baseline")
