"""End to end: deterministic identifier links, blocked probabilistic scoring (EM-fitted), guarded clustering."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from groundswell.core.matching.blocking import candidate_pairs
from groundswell.core.matching.cluster import guarded_clusters
from groundswell.core.matching.compare import COMPARISONS, IDENTIFIERS, Comparison, compare_pairs
from groundswell.core.matching.em import FSModel, fit_em
from groundswell.core.matching.records import MatchPair, MatchResult, PersonRecord, Prepared, prepare

__all__ = ["Resolution", "match_people", "resolve"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """The result plus what produced it: the fitted model and the number of candidate pairs."""

    result: MatchResult
    model: FSModel
    candidates: int


def _confidence(model: FSModel, cmp: Comparison) -> tuple[np.ndarray, np.ndarray]:
    """Match confidence per pair, and which identifier (index into IDENTIFIERS, −1 none) decided it outright."""
    conf = model.posterior(cmp.levels)
    rule = np.full(len(conf), -1, dtype=np.int8)
    for k in reversed(range(len(IDENTIFIERS))):
        decided = cmp.exact[IDENTIFIERS[k]] & ~cmp.name_conflict
        rule = np.where(decided, k, rule)
    return np.where(rule >= 0, 1.0, conf), rule


def _evidence(
    weights: tuple[np.ndarray, ...], log2_odds: float, cmp: Comparison, row: int, rule: int
) -> dict[str, Any]:
    levels = cmp.levels[row]
    fields = {
        name: {"level": int(levels[k]), "weight": round(float(weights[k][levels[k]]), 2)}
        for k, name in enumerate(COMPARISONS)
        if levels[k] >= 0
    }
    shared = [name for name in IDENTIFIERS if cmp.exact[name][row] and cmp.name_conflict[row]]
    return {
        "rule": IDENTIFIERS[rule] if rule >= 0 else "probabilistic",
        "log2_odds": round(log2_odds, 2),
        "fields": fields,
        "names_swapped": bool(cmp.swapped[row]),
        "shared_identifier_ignored": shared,
    }


def _scorer(prepared: Prepared, model: FSModel) -> Any:
    def score(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        pairs = np.sort(np.stack([a, b], axis=1), axis=1)
        return _confidence(model, compare_pairs(prepared, pairs))[0]

    return score


def resolve(records: list[PersonRecord], *, threshold: float = 0.5, min_average: float = 0.5) -> Resolution:
    """Link records of the same person.

    * exact normalised email, phone or external id → confidence 1.0, unless first or last names clearly differ
      (a shared inbox / switchboard / reused id), in which case that identifier is ignored for the pair;
    * otherwise the Fellegi–Sunter posterior P(match | field agreement levels), with m/u and the prior fitted
      by EM on the blocked candidate pairs (no labels); a pair matches when it reaches ``threshold``;
    * clusters: strongest links first, groups join only if their mean cross-pair confidence ≥ ``min_average``.
    """
    prepared = prepare(records)
    pairs = candidate_pairs(prepared)
    cmp = compare_pairs(prepared, pairs)
    model = fit_em(cmp.levels, COMPARISONS)
    conf, rule = _confidence(model, cmp)
    matched = np.flatnonzero(conf >= threshold)
    weights = model.weights()
    log2_odds = model.log_odds(cmp.levels[matched]) / np.log(2)
    ids = prepared.ids
    out_pairs: list[MatchPair] = []
    edges: list[tuple[int, int, float]] = []
    for row, odds in zip(matched, log2_odds, strict=True):
        i, j = int(pairs[row, 0]), int(pairs[row, 1])
        a, b = sorted((ids[i], ids[j]))
        out_pairs.append(
            MatchPair(a, b, round(float(conf[row]), 4), _evidence(weights, float(odds), cmp, int(row), int(rule[row])))
        )
        edges.append((i, j, float(conf[row])))
    groups = guarded_clusters(len(records), edges, _scorer(prepared, model), min_average=min_average)
    clusters = sorted(tuple(sorted(ids[i] for i in group)) for group in groups)
    out_pairs.sort(key=lambda p: (p.a, p.b))
    return Resolution(MatchResult(out_pairs, clusters), model, len(pairs))


def match_people(records: list[PersonRecord], *, threshold: float = 0.5, min_average: float = 0.5) -> MatchResult:
    """Pairs and clusters of the same person among ``records`` (see :func:`resolve`)."""
    return resolve(records, threshold=threshold, min_average=min_average).result
