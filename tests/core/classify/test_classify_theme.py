"""ThemeClassifier on a tiny themed set with a hashing stand-in embedder: few-shot, `other`, calibration, I/O."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from groundswell.core.classify import OTHER, ThemeClassifier

from tests.core.classify.toy import HELD_OUT, OFF_TOPIC, THEMES, HashingEmbedder, themed


@pytest.fixture
def fitted(embedder: HashingEmbedder) -> ThemeClassifier:
    return ThemeClassifier(embedder, seed=3).fit(*themed())


def test_few_shot_fit_predicts_held_out_paraphrases(fitted: ThemeClassifier) -> None:
    predictions = fitted.predict([text for text, _ in HELD_OUT])
    assert [p.label for p in predictions] == [label for _, label in HELD_OUT]
    assert all(0.0 <= p.confidence <= 1.0 for p in predictions)
    assert all(abs(sum(fitted.predict_proba([t])[0]) - 1) < 1e-9 for t, _ in HELD_OUT)
    assert set(predictions[0].scores) <= set(THEMES)


def test_off_topic_texts_are_other_with_a_floor_learned_from_held_out_labels(fitted: ThemeClassifier) -> None:
    assert 0 < fitted.threshold < 1
    assert [p.label for p in fitted.predict(OFF_TOPIC)] == [OTHER] * len(OFF_TOPIC)


@pytest.mark.parametrize("as_class", [None, False, True])
def test_oos_examples_teach_other_and_oos_is_never_answered(embedder: HashingEmbedder, as_class: bool | None) -> None:
    texts, labels = themed()
    texts += [*OFF_TOPIC, "my cat sleeps all day", "the train to berlin is late", "pasta recipe with salt"]
    labels += ["oos"] * 6
    classifier = ThemeClassifier(embedder, seed=0, other_as_class=as_class).fit(texts, labels)
    assert ("oos" in classifier.labels) is bool(as_class) or as_class is None
    assert classifier.threshold > 0 or "oos" in classifier.labels
    predictions = classifier.predict(["the soup recipe needs more salt", "I was charged twice, refund please"])
    assert [p.label for p in predictions] == [OTHER, "billing"]


def test_confidence_of_right_answers_exceeds_that_of_wrong_ones(fitted: ThemeClassifier) -> None:
    texts = [t for t, _ in HELD_OUT] + ["export of my invoice fails", "phone login crashes", "charged for export"]
    truth = [label for _, label in HELD_OUT] + ["export", "mobile", "billing"]
    probs = fitted.predict_proba(texts)
    top = [fitted.labels[i] for i in probs.argmax(axis=1)]
    right = [p.max() for p, label, gold in zip(probs, top, truth, strict=True) if label == gold]
    wrong = [p.max() for p, label, gold in zip(probs, top, truth, strict=True) if label != gold]
    assert right and wrong
    assert np.mean(right) > np.mean(wrong)
    assert fitted.scale > 0


def test_same_seed_same_model(embedder: HashingEmbedder) -> None:
    first = ThemeClassifier(embedder, seed=7).fit(*themed())
    second = ThemeClassifier(HashingEmbedder(), seed=7).fit(*themed())
    texts = [t for t, _ in HELD_OUT] + OFF_TOPIC
    assert np.array_equal(first.predict_proba(texts), second.predict_proba(texts))
    assert first.threshold == second.threshold


def test_refit_with_more_examples_only_embeds_the_new_ones(embedder: HashingEmbedder) -> None:
    texts, labels = themed()
    classifier = ThemeClassifier(embedder).fit(texts, labels)
    before = embedder.texts_embedded
    classifier.fit([*texts, "invoice sent to the wrong address"], [*labels, "billing"])
    assert embedder.texts_embedded - before == 1


def test_save_and_load_give_the_same_predictions(fitted: ThemeClassifier, tmp_path: Path) -> None:
    path = tmp_path / "themes.pkl"
    fitted.save(path)
    loaded = ThemeClassifier.load(path, HashingEmbedder())
    texts = [t for t, _ in HELD_OUT] + OFF_TOPIC
    assert loaded.predict(texts) == fitted.predict(texts)
    assert loaded.labels == fitted.labels


def test_load_refuses_another_embedder_or_another_file(fitted: ThemeClassifier, tmp_path: Path) -> None:
    path = tmp_path / "themes.pkl"
    fitted.save(path)
    other = HashingEmbedder()
    other.model_id = "another-model"
    with pytest.raises(ValueError, match="embedder"):
        ThemeClassifier.load(path, other)
    bogus = tmp_path / "bogus.pkl"
    bogus.write_bytes(__import__("pickle").dumps({"format": 99}))
    with pytest.raises(ValueError, match="format"):
        ThemeClassifier.load(bogus, HashingEmbedder())


@pytest.mark.parametrize(
    "text",
    ["", "ok", "🙂🔥🚀", "def f(x):\n    return {k: v for k, v in x.items()}", "Das Wetter ist heute schön", "?!"],
)
def test_odd_inputs_get_other_or_a_low_confidence_label(fitted: ThemeClassifier, text: str) -> None:
    (prediction,) = fitted.predict([text])
    assert prediction.label == OTHER or prediction.confidence < 0.6


def test_very_long_text_is_classified_without_error(fitted: ThemeClassifier) -> None:
    (prediction,) = fitted.predict(["I was charged twice on my invoice. " * 2_000])
    assert prediction.label == "billing"


def test_bad_training_input_is_refused(embedder: HashingEmbedder) -> None:
    with pytest.raises(ValueError, match="texts but"):
        ThemeClassifier(embedder).fit(["a", "b"], ["x"])
    with pytest.raises(ValueError, match="two labels"):
        ThemeClassifier(embedder).fit(["a", "b", "c"], ["x", "x", "oos"])
    with pytest.raises(RuntimeError, match="fit"):
        ThemeClassifier(embedder).predict(["a"])


def test_empty_batch_and_two_labels_with_one_example_each(embedder: HashingEmbedder) -> None:
    classifier = ThemeClassifier(embedder).fit(["invoice charged twice", "cannot log in"], ["billing", "login"])
    assert classifier.predict([]) == []
    assert classifier.predict(["charged twice on the invoice"])[0].label == "billing"
