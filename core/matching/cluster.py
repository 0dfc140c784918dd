"""Clusters from matched pairs: union in confidence order, but two groups join only if they agree on average."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["PairScorer", "guarded_clusters"]

#: Given arrays of record positions (i, j), the match confidence of each pair.
PairScorer = Callable[[np.ndarray, np.ndarray], np.ndarray]


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
    link cannot chain two different people's groups together (average-linkage guard).
    """
    parent = list(range(n))
    members: dict[int, list[int]] = {}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _conf in sorted(edges, key=lambda e: -e[2]):
        ri, rj = find(i), find(j)
        if ri == rj:
            continue
        mi, mj = members.get(ri, [ri]), members.get(rj, [rj])
        if len(mi) + len(mj) > max_size:
            continue
        if len(mi) > 1 or len(mj) > 1:
            a = np.repeat(np.asarray(mi), len(mj))
            b = np.tile(np.asarray(mj), len(mi))
            if float(scorer(a, b).mean()) < min_average:
                continue
        if len(mi) < len(mj):
            ri, rj, mi, mj = rj, ri, mj, mi
        parent[rj] = ri
        members[ri] = mi + mj
        members.pop(rj, None)
    return [sorted(group) for group in members.values() if len(group) > 1]
