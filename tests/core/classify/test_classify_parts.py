"""Calibration, the open-set floor and the feature blocks, each on hand-made numbers."""

from __future__ import annotations

import numpy as np
import pytest
from groundswell.core.classify.calibration import fit_temperature, softmax
from groundswell.core.classify.features import FeatureBuilder, FeatureConfig, VectorCache
from groundswell.core.classify.openset import OpenSetScores, choose_threshold

from tests.core.classify.toy import HashingEmbedder


def test_temperature_recovers_the_scale_that_generated_the_labels() -> None:
    rng = np.random.default_rng(0)
    margins = rng.normal(size=(4_000, 3))
    probs = softmax(margins, 2.5)
    truth = np.array([rng.choice(3, p=row) for row in probs])
    assert fit_temperature(margins, truth) == pytest.approx(2.5, rel=0.1)


def test_temperature_stays_finite_on_separable_few_shot_margins() -> None:
    margins = np.array([[1.0, -1.0], [-1.0, 1.0]] * 5)
    truth = np.array([0, 1] * 5)
    scale = fit_temperature(margins, truth)
    assert 1.0 < scale < 10.0
    assert softmax(margins, scale).max() < 0.99
    assert fit_temperature(np.zeros((0, 2)), np.zeros(0, dtype=int)) == 1.0


def test_softmax_rows_sum_to_one_even_for_huge_margins() -> None:
    probs = softmax(np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]]), 1.0)
    assert np.allclose(probs.sum(axis=1), 1.0)
    assert probs[0, 0] == pytest.approx(1.0)
    assert probs[1] == pytest.approx([1 / 3] * 3)


def test_floor_separates_known_from_unknown_confidences() -> None:
    scores = OpenSetScores(
        known_confidence=np.array([0.9, 0.85, 0.8, 0.95]),
        known_correct=np.array([True, True, True, True]),
        unknown_confidence=np.array([0.3, 0.4, 0.5]),
    )
    threshold = choose_threshold(scores, unknown_weight=0.3).threshold
    assert 0.5 < threshold <= 0.8


def test_floor_weighs_unknowns_by_the_prior() -> None:
    scores = OpenSetScores(  # one known text is as unsure as the unknowns: who wins depends on the weight
        known_confidence=np.array([0.9, 0.4]),
        known_correct=np.array([True, True]),
        unknown_confidence=np.array([0.45]),
    )
    assert choose_threshold(scores, unknown_weight=0.1).threshold == 0.0
    assert choose_threshold(scores, unknown_weight=0.9).threshold > 0.45


def test_unknowns_already_answered_other_count_as_rejected() -> None:
    scores = OpenSetScores(np.array([0.9, 0.8]), np.array([True, True]), np.array([-1.0, -1.0]))
    floor = choose_threshold(scores, 0.5)
    assert floor.threshold == 0.0
    assert floor.objective == pytest.approx(1.0)


def test_floor_is_zero_without_evidence_about_unknowns() -> None:
    scores = OpenSetScores(np.array([0.9]), np.array([True]), np.array([]))
    assert choose_threshold(scores, 0.5).threshold == 0.0


def test_feature_blocks_follow_their_weights() -> None:
    texts = ["export fails", "login fails", "invoice wrong"]
    vectors = np.eye(3, 4, dtype=np.float32)
    full = FeatureBuilder(FeatureConfig()).fit(texts).transform(texts, vectors)
    embedding_only = FeatureBuilder(FeatureConfig(word_weight=0, char_weight=0)).fit(texts).transform(texts, vectors)
    assert embedding_only.shape == (3, 4)
    assert full.shape[1] > 4
    with pytest.raises(ValueError, match="weight 0"):
        FeatureBuilder(FeatureConfig(0, 0, 0)).fit(texts).transform(texts, vectors)


def test_vector_cache_embeds_each_text_once_and_keeps_order() -> None:
    embedder = HashingEmbedder()
    cache = VectorCache(embedder)
    first = cache.embed(["a b", "c d", "a b"])
    assert embedder.texts_embedded == 2
    second = cache.embed(["c d", "a b"])
    assert embedder.texts_embedded == 2
    assert np.array_equal(second, first[[1, 0]])
    cache.embed(["new text"], remember=False)
    cache.embed(["new text"], remember=False)
    assert embedder.texts_embedded == 4
    assert np.allclose(np.linalg.norm(first, axis=1), 1.0)
