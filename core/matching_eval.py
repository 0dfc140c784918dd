"""Pairwise precision / recall / F1 of predicted clusters against labelled same-person pairs.

Truth is closed transitively: if (a, b) and (b, c) are labelled, (a, c) counts as a true pair too (the truth
describes entities, and predicted clusters are scored the same way: every pair inside a cluster is predicted).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

__all__ = ["PairScores", "closed_pairs", "cluster_pairs", "score_pairs"]

Pair = tuple[str, str]


@dataclass(frozen=True, slots=True)
class PairScores:
    precision: float
    recall: float
    f1: float
    pairs_predicted: int
    pairs_true: int
    pairs_correct: int


def cluster_pairs(clusters: Iterable[Iterable[str]]) -> set[Pair]:
    """All unordered pairs (sorted tuples) inside each cluster."""
    return {(a, b) if a < b else (b, a) for group in clusters for a, b in combinations(sorted(set(group)), 2)}


def closed_pairs(pairs: Iterable[tuple[str, str]]) -> set[Pair]:
    """Transitive closure of labelled pairs: connected components, then every pair within each."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        if a != b:
            parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    return cluster_pairs(groups.values())


def score_pairs(predicted: set[Pair], truth: set[Pair]) -> PairScores:
    """Precision, recall and F1 (0.0 when undefined) over sorted pairs."""
    correct = len(predicted & truth)
    precision = correct / len(predicted) if predicted else 0.0
    recall = correct / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairScores(precision, recall, f1, len(predicted), len(truth), correct)
