"""Theme discovery: finds planted clusters, names them by their distinctive words, same seed → same output."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from groundswell.core.discovery import (
    DiscoveryConfig,
    cluster_embeddings,
    default_min_size,
    discover_themes,
    embed_texts,
    resolved,
    select_unfit,
)
from groundswell.core.discovery_eval import score_discovery, stability_ari
from groundswell.core.discovery_terms import ctfidf_terms

TOPICS = {
    "refund": ["refund", "money back", "reimburse"],
    "login": ["password", "login", "locked out"],
    "export": ["csv export", "download", "spreadsheet"],
}
FILLER = ["please help", "this week", "again today", "for our team", "since monday", "right now"]


def planted(seed: int = 3, per_topic: int = 30, noise: int = 6) -> tuple[list[str], np.ndarray, list[str]]:
    """Three tight clusters in 32-d plus a few scattered points; texts use each topic's words."""
    rng = np.random.default_rng(seed)
    centers = np.eye(32)[:3] * 4.0
    texts, vectors, labels = [], [], []
    for t, (topic, words) in enumerate(TOPICS.items()):
        for i in range(per_topic):
            texts.append(f"{words[i % 3]} {words[(i + 1) % 3]} {FILLER[i % len(FILLER)]}")
            vectors.append(centers[t] + rng.normal(0, 0.35, 32))
            labels.append(topic)
    for i in range(noise):
        texts.append(f"random remark {FILLER[i]}")
        vectors.append(rng.normal(0, 1.0, 32))
        labels.append("noise")
    return texts, np.asarray(vectors), labels


CONFIG = DiscoveryConfig(min_cluster_size=5, distance_threshold=4.0, min_member_similarity=0.5)


def test_finds_the_planted_clusters_and_names_them_by_their_words() -> None:
    texts, vectors, labels = planted()
    result = discover_themes(texts, vectors, config=CONFIG)
    assert len(result.proposals) == 3 and [p.size for p in result.proposals] == [30, 30, 30]
    for proposal in result.proposals:
        topics = {labels[i] for i in proposal.members}
        assert len(topics) == 1
        (topic,) = topics
        assert set(proposal.terms[:3]) <= {w for w in " ".join(TOPICS[topic]).split()} | set(TOPICS[topic])
        assert all(labels[i] == topic for i in proposal.examples) and len(set(proposal.examples)) == 3
        assert not any(w in proposal.name for w in ("please", "week", "today"))
    assert score_discovery(labels, result.labels)["nmi"] > 0.9


def test_same_seed_same_proposals_and_input_order_does_not_matter() -> None:
    texts, vectors, _ = planted()
    first = discover_themes(texts, vectors, config=CONFIG)
    again = discover_themes(texts, vectors, config=CONFIG)
    assert first.proposals == again.proposals and np.array_equal(first.labels, again.labels)
    other_seed = discover_themes(texts, vectors, config=replace(CONFIG, seed=99))
    assert stability_ari(first.labels, other_seed.labels) == 1.0
    assert [p.name for p in other_seed.proposals] == [p.name for p in first.proposals]


def test_sampling_above_max_units_assigns_the_rest_to_their_nearest_cluster() -> None:
    _, vectors, labels = planted(per_topic=40, noise=0)
    sampled = cluster_embeddings(vectors, replace(CONFIG, max_units=60))
    assert (sampled >= 0).all() and score_discovery(labels, sampled)["ari"] == 1.0


def test_suggests_the_nearest_existing_parent() -> None:
    texts, vectors, labels = planted()
    parents = {"billing": np.eye(32)[0], "auth": np.eye(32)[1]}
    result = discover_themes(texts, vectors, parents=parents, config=CONFIG)
    by_topic = {labels[p.members[0]]: p for p in result.proposals}
    assert by_topic["refund"].suggested_parent == "billing" and by_topic["login"].suggested_parent == "auth"
    assert by_topic["refund"].parent_similarity is not None and by_topic["refund"].parent_similarity > 0.9


def test_ctfidf_prefers_words_distinctive_of_a_cluster() -> None:
    texts = ["invoice overdue again", "overdue invoice please", "login broken again", "broken login please"]
    terms = ctfidf_terms(texts, [0, 0, 1, 1], n_terms=2)
    assert {terms[0][0], terms[1][0]} == {"invoice overdue", "login broken"} or {
        terms[0][0].split()[0],
        terms[1][0].split()[0],
    } <= {"invoice", "overdue", "login", "broken"}
    assert "please" not in terms[0] and "again" not in terms[1]


def test_select_unfit_and_small_inputs() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert select_unfit(vectors, np.array([[1.0, 0.0]]), 0.5).tolist() == [False, True]
    assert select_unfit(vectors, np.zeros((0, 2)), 0.5).all()
    assert discover_themes(["a", "b"], vectors, config=CONFIG).proposals == []
    with pytest.raises(ValueError, match="vectors or an embedder"):
        discover_themes(["a"])


class _HashEmbedder:
    model_id, dimension = "hash", 8

    def embed(self, texts: list[str]) -> list[list[float]]:
        return [[float(len(t) % (i + 2)) for i in range(8)] for t in texts]


def test_embeds_through_the_protocol_in_batches() -> None:
    vectors = embed_texts(_HashEmbedder(), ["a", "bb", "ccc"], batch_size=2)
    assert vectors.shape == (3, 8)


def test_default_min_size_grows_with_the_unassigned_units_beyond_the_clustered_sample() -> None:
    assert [default_min_size(n) for n in (0, 50, 4_000, 4_001, 10_003, 20_000)] == [8, 8, 8, 9, 21, 40]
    assert resolved(DiscoveryConfig(), 20_000).min_cluster_size == 40
    assert resolved(DiscoveryConfig(min_cluster_size=5), 20_000).min_cluster_size == 5  # --min-size overrides


def test_the_default_rule_drops_small_clusters_and_stays_reproducible() -> None:
    texts, vectors, _ = planted(per_topic=30)
    small = replace(CONFIG, min_cluster_size=None)  # 96 texts: the floor of 8 applies
    first, again = discover_themes(texts, vectors, config=small), discover_themes(texts, vectors, config=small)
    assert [p.size for p in first.proposals] == [30, 30, 30] and first.proposals == again.proposals
    # a tight group of five: a theme with --min-size 5, noise under the default floor of 8
    tiny = np.vstack([vectors, np.eye(32)[5] * 4.0 + np.random.default_rng(1).normal(0, 0.1, (5, 32))])
    grown = [*texts, *["odd one"] * 5]
    assert len(discover_themes(grown, tiny, config=CONFIG).proposals) == 4
    result = discover_themes(grown, tiny, config=small)
    assert len(result.proposals) == 3 and (result.labels[-5:] == -1).all()
