"""Clusters from matched pairs: union in confidence order, but two groups join only if they agree on average."""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations

import numpy as np

__all__ = ["PREFILL_UP_TO", "PairScorer", "guarded_clusters"]

#: Given arrays of record positions (i, j), the match confidence of each pair.
PairScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]
#: Components up to this size have all their internal pairs scored in one batch up front.
PREFILL_UP_TO = 60


class _Union:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.members: dict[int, list[int]] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def group(self, root: int) -> list[int]:
        return self.members.get(root, [root])

    def join(self, ri: int, rj: int) -> None:
        mi, mj = self.group(ri), self.group(rj)
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        self.parent[rj] = ri
        self.members[ri] = mi + mj
        self.members.pop(rj, None)


class _Scores:
    """Pair confidences, cached; missing ones scored in batches."""

    def __init__(self, scorer: PairScorer, known: dict[tuple[int, int], float]) -> None:
        self.scorer, self.cache = scorer, known

    def fill(self, pairs: list[tuple[int, int]]) -> None:
        todo = [p for p in pairs if p not in self.cache]
        if todo:
            arr = np.asarray(todo, dtype=np.int64)
            self.cache.update(zip(todo, self.scorer(arr[:, 0], arr[:, 1]).tolist(), strict=True))

    def mean(self, left: list[int], right: list[int]) -> float:
        pairs = [(a, b) if a < b else (b, a) for a in left for b in right]
        self.fill(pairs)
        return sum(self.cache[p] for p in pairs) / len(pairs)


def guarded_clusters(
    n: int,
    edges: list[tuple[int, int, float]],
    scorer: PairScorer,
    *,
    min_average: float = 0.5,
    max_size: int = 200,
) -> list[list[int]]:
    """Clusters (two or more positions each) from matched ``(i, j, confidence)`` edges.

    Edges are taken strongest first. Joining two singletons needs only the edge; joining larger groups needs the
    mean confidence over *all* cross pairs (scored on demand) to reach ``min_average``, so one weak or accidental
    link cannot chain two different people's groups together (average-linkage guard). Groups never exceed
    ``max_size``.
    """
    plain = _Union(n)
    for i, j, _ in edges:
        ri, rj = plain.find(i), plain.find(j)
        if ri != rj:
            plain.join(ri, rj)
    scores = _Scores(scorer, {(min(i, j), max(i, j)): c for i, j, c in edges})
    prefill = [p for g in plain.members.values() if 2 < len(g) <= PREFILL_UP_TO for p in combinations(sorted(g), 2)]
    scores.fill(prefill)
    guarded = _Union(n)
    for i, j, _ in sorted(edges, key=lambda e: -e[2]):
        ri, rj = guarded.find(i), guarded.find(j)
        if ri == rj:
            continue
        mi, mj = guarded.group(ri), guarded.group(rj)
        if len(mi) + len(mj) > max_size:
            continue
        if (len(mi) > 1 or len(mj) > 1) and scores.mean(mi, mj) < min_average:
            continue
        guarded.join(ri, rj)
    return [sorted(group) for group in guarded.members.values() if len(group) > 1]
