"""The simulated reviewer: reviews train the next fit (all three heads) and the queue order interleaves heads."""

from __future__ import annotations

from pathlib import Path

import pytest
from groundswell.cli.evals.learning_curve import read_truth
from groundswell.core.classify.learning_curve import MemoEmbedder, TruthUnit, learning_curve, split_pool
from groundswell.core.classify.queue import queue_order
from groundswell.core.classify.signals import ReviewedSignal, SignalClassifier
from groundswell.demo.generate import generate_demo

from tests.core.classify.toy import HashingEmbedder


@pytest.fixture(scope="module")
def tiny_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_demo(tmp_path_factory.mktemp("demo"), seed=3, records=300).truth_dir


def test_the_curve_rises_with_reviews(tiny_demo: Path) -> None:
    taxonomy, units = read_truth(tiny_demo)
    payload = learning_curve(taxonomy, HashingEmbedder(), units, steps=(0, 40, 120), random_seeds=1)
    assert payload["steps"] == [0, 40, 120]
    assert payload["pool"] + payload["test"] == len(units)
    for strategy in ("active", "random"):
        theme = payload[strategy]["theme"]
        assert theme[-1] > theme[0]
        assert set(payload[strategy]) == {"theme", "sentiment", "intent", "no_theme"}
    assert payload["active"]["theme"][0] == payload["random"]["theme"][0]  # the same unreviewed start
    assert set(payload["active_minus_random"]) == {"theme", "sentiment", "intent"}
    shift = payload["floor"]
    assert sum(row["before"] for row in shift["per_theme"].values()) == payload["test"]
    assert sum(row["after"] for row in shift["per_theme"].values()) == payload["test"]


def test_reviewed_signals_train_their_heads() -> None:
    text = "zqx frobnicator wobble"
    before = SignalClassifier(HashingEmbedder()).fit().predict([text])[0]
    flipped = "praise" if before.intent != "praise" else "question"
    taught = [ReviewedSignal(f"{text} {n}", intent=flipped, sentiment=None) for n in range(8)]
    after = SignalClassifier(HashingEmbedder()).fit(reviewed=taught).predict([text])[0]
    assert after.intent == flipped


def test_unlabelled_or_unknown_heads_are_skipped() -> None:
    bogus = [ReviewedSignal("some text", sentiment="ecstatic", intent=None, severity=None)]
    classifier = SignalClassifier(HashingEmbedder()).fit(reviewed=bogus)
    assert "ecstatic" not in classifier.sentiment.labels


def test_queue_order_lets_each_head_bring_its_least_sure_unit() -> None:
    confidences = [
        {"theme": 0.1, "sentiment": 0.9, "intent": 0.9},
        {"theme": 0.2, "sentiment": 0.9, "intent": 0.9},
        {"theme": 0.9, "sentiment": 0.3, "intent": 0.9},
        {"theme": 0.9, "sentiment": 0.9, "intent": 0.4},
    ]
    assert queue_order(confidences) == [0, 2, 3, 1]
    assert queue_order([]) == []


def test_split_is_seeded_and_complete() -> None:
    units = [TruthUnit(str(n), "a", "neutral", "other") for n in range(10)]
    pool, test = split_pool(units, 0.3, seed=1)
    assert len(test) == 3 and sorted(pool + test, key=lambda u: int(u.text)) == units
    assert split_pool(units, 0.3, seed=1) == (pool, test)


def test_memo_embedder_embeds_each_text_once() -> None:
    inner = HashingEmbedder()
    memo = MemoEmbedder(inner)
    memo.embed(["a", "b", "a"])
    memo.embed(["b", "c"])
    assert inner.texts_embedded == 3
