"""Matching building blocks: EM on labelled-free synthetic levels, blocking, clustering guard, pair metrics."""

from __future__ import annotations

import numpy as np
from groundswell.core.matching.blocking import BLOCK_CAP, WINDOW, candidate_pairs
from groundswell.core.matching.cluster import guarded_clusters
from groundswell.core.matching.em import fit_em
from groundswell.core.matching.records import PersonRecord, prepare
from groundswell.core.matching_eval import closed_pairs, cluster_pairs, score_pairs


def test_em_recovers_m_and_u_without_labels() -> None:
    rng = np.random.default_rng(0)
    n_match, n_non = 300, 3000
    true_m, true_u = np.array([0.05, 0.15, 0.8]), np.array([0.85, 0.1, 0.05])
    levels = np.vstack(
        [
            np.stack([rng.choice(3, n_match, p=true_m) for _ in range(4)], axis=1),
            np.stack([rng.choice(3, n_non, p=true_u) for _ in range(4)], axis=1),
        ]
    ).astype(np.int8)
    levels[::7, 0] = -1  # missing values are skipped
    model = fit_em(levels, {f"f{k}": 3 for k in range(4)})
    assert abs(model.prior - n_match / (n_match + n_non)) < 0.03
    for m, u in zip(model.m, model.u, strict=True):
        assert np.allclose(m, true_m, atol=0.07)
        assert np.allclose(u, true_u, atol=0.03)
    posterior = model.posterior(levels)
    assert posterior[:n_match].mean() > 0.8 > 0.2 > posterior[n_match:].mean()


def test_em_on_nothing_returns_the_prior_model() -> None:
    model = fit_em(np.empty((0, 1), dtype=np.int8), {"f": 2})
    assert model.iterations == 0


def test_blocking_finds_swapped_and_typo_pairs_but_not_strangers() -> None:
    records = [
        PersonRecord(rec_id="a", first_name="sarah", last_name="bruhn", postcode="4510", dob="19300213"),
        PersonRecord(rec_id="b", first_name="bruhn", last_name="sarah"),
        PersonRecord(rec_id="c", first_name="sara", last_name="brun", postcode="4510"),
        PersonRecord(rec_id="d", first_name="ivo", last_name="tanaka", postcode="9999", dob="20011111"),
    ]
    pairs = {tuple(p) for p in candidate_pairs(prepare(records)).tolist()}
    assert {(0, 1), (0, 2)} <= pairs
    assert not any(3 in p for p in pairs)


def test_oversized_blocks_fall_back_to_a_window() -> None:
    records = [PersonRecord(rec_id=str(k), dob="19700101") for k in range(BLOCK_CAP * 3)]
    pairs = candidate_pairs(prepare(records))
    n = len(records)
    assert len(pairs) == sum(n - step for step in range(1, WINDOW + 1)) < n * (n - 1) // 2
    assert (pairs[:, 0] < pairs[:, 1]).all()


def test_cluster_guard_stops_chaining_through_one_weak_link() -> None:
    strong = {(0, 1): 0.99, (2, 3): 0.99, (1, 2): 0.6}
    edges = [(a, b, c) for (a, b), c in strong.items()]

    def scorer(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.array([strong.get((min(x, y), max(x, y)), 0.01) for x, y in zip(a, b, strict=True)])

    assert guarded_clusters(4, edges, scorer) == [[0, 1], [2, 3]]
    everyone_agrees = lambda a, b: np.full(len(a), 0.9)  # noqa: E731
    assert guarded_clusters(4, edges, everyone_agrees) == [[0, 1, 2, 3]]
    assert guarded_clusters(4, edges, everyone_agrees, max_size=3) == [[0, 1], [2, 3]]


def test_pair_metrics_and_transitive_truth() -> None:
    truth = closed_pairs([("a", "b"), ("c", "b"), ("d", "e")])
    assert truth == {("a", "b"), ("a", "c"), ("b", "c"), ("d", "e")}
    predicted = cluster_pairs([("a", "b"), ("d", "e", "f")])
    scores = score_pairs(predicted, truth)
    assert scores.pairs_correct == 2
    assert scores.precision == 2 / 4
    assert scores.recall == 2 / 4
    assert scores.f1 == 0.5
    assert score_pairs(set(), truth).f1 == 0.0
