"""The "other" floor calibrated on reviewed units by cross-validation, and the uncertain band routed to review."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from groundswell.core.classify.floor import MIN_REVIEWED, REVIEW_BAND, reviewed_floor
from groundswell.core.classify.theme import OTHER, Prediction, ThemeClassifier
from groundswell.core.classify.units import UnitClassifier
from groundswell.core.taxonomy import Taxonomy, ThemeDef

from tests.core.classify.toy import THEMES, HashingEmbedder

TAXONOMY = Taxonomy(1, tuple(ThemeDef(key, key.title(), description=texts[0]) for key, texts in THEMES.items()))
OFF = [
    f"my {thing} recipe for {meal} tonight" for thing in ("cake", "soup", "bread", "pie") for meal in ("lunch", "tea")
]


def _reviewed(n_other: int) -> list[tuple[str, str]]:
    themed = [(f"{text} today", key) for key, texts in THEMES.items() for text in texts]
    return themed + [(OFF[i % len(OFF)] + f" {i}", OTHER) for i in range(n_other)]


def _fit(embedder: HashingEmbedder) -> Callable[[Sequence[tuple[str, str]]], ThemeClassifier]:
    def fit(pairs: Sequence[tuple[str, str]]) -> ThemeClassifier:
        texts = [t for texts in THEMES.values() for t in texts[:2]] + [t for t, _ in pairs]
        labels = [k for k, texts in THEMES.items() for _ in texts[:2]] + [k for _, k in pairs]
        return ThemeClassifier(embedder, folds=2).fit(texts, labels)

    return fit


def test_too_few_reviews_keep_the_example_floor() -> None:
    pairs = _reviewed(4)[: MIN_REVIEWED - 1]
    assert reviewed_floor(_fit(HashingEmbedder()), pairs) is None


def test_no_reviewed_other_units_no_calibration() -> None:
    assert reviewed_floor(_fit(HashingEmbedder()), _reviewed(0) * 2) is None


def test_reviewed_other_units_set_a_floor_in_range() -> None:
    pairs = _reviewed(12)
    assert len(pairs) >= MIN_REVIEWED
    floor = reviewed_floor(_fit(HashingEmbedder()), pairs)
    assert floor is not None and 0.0 <= floor < 1.0


def test_units_near_the_floor_go_to_review() -> None:
    classifier = UnitClassifier(TAXONOMY, HashingEmbedder(), reviewed=_reviewed(12))
    classifier.themes.threshold = 0.5
    assert classifier.near_floor(Prediction("billing", 0.5 + REVIEW_BAND / 2, {"billing": 0.5 + REVIEW_BAND / 2}))
    assert classifier.near_floor(Prediction(OTHER, 0.6, {"billing": 0.5 - REVIEW_BAND / 2}))
    assert not classifier.near_floor(Prediction("billing", 0.95, {"billing": 0.95}))
    assert classifier.example_floor >= 0.0
