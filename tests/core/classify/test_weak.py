"""Weak supervision from stars / CSAT / NPS: mapping, learned trust, and clear text always winning."""

from __future__ import annotations

import pytest
from groundswell.core.classify.units import UnitClassification
from groundswell.core.classify.weak import (
    CLEAR,
    MIN_EVIDENCE,
    SourceSignal,
    apply_signal,
    cross_validate,
    fit_trust,
    source_signal,
    with_source_signals,
)

STARS = "googleplay:stars"


@pytest.mark.parametrize(
    ("channel", "rating", "score", "key", "polarity"),
    [
        ("review", 5.0, None, "s:stars", 1.0),
        ("review", 1.0, None, "s:stars", -1.0),
        ("survey", 3.0, None, "s:csat", 0.0),
        ("survey", None, 10, "s:nps", 1.0),
        ("survey", None, 0, "s:nps", -1.0),
        ("survey", 4.0, 9, "s:nps", 0.6),
    ],
)
def test_signals_map_to_a_polarity(channel: str, rating: float | None, score: int | None, key: str, polarity: float):
    signal = source_signal("s", channel, rating, score)
    assert signal is not None and signal.key == key and signal.polarity == pytest.approx(polarity)


def test_no_rating_no_score_no_signal() -> None:
    assert source_signal("s", "ticket", None, None) is None
    assert source_signal("s", "review", 0.0, None) is None  # outside 1-5: not a rating


def test_clear_text_wins_over_the_stars() -> None:
    five = SourceSignal(STARS, 1.0)
    kept = apply_signal("negative", 0.9, -0.8, five, {STARS: 1.0})
    assert (kept.label, kept.nudged) == ("negative", False)
    at_edge = apply_signal("negative", 0.75, -CLEAR, five, {STARS: 1.0})
    assert at_edge.label == "negative"


def test_unclear_text_follows_a_trusted_source() -> None:
    nudged = apply_signal("neutral", 0.7, 0.05, SourceSignal(STARS, 1.0), {STARS: 0.8})
    assert (nudged.label, nudged.nudged) == ("positive", True)
    untrusted = apply_signal("neutral", 0.7, 0.05, SourceSignal(STARS, 1.0), {STARS: 0.0})
    assert (untrusted.label, untrusted.nudged) == ("neutral", False)


def test_trust_is_the_agreement_with_clear_text_beyond_chance() -> None:
    n = MIN_EVIDENCE * 2
    agreeing = [SourceSignal("a:stars", 1.0 if i % 2 else -1.0) for i in range(n)]
    scores = [0.9 if i % 2 else -0.9 for i in range(n)]
    coin = [SourceSignal("b:stars", 1.0) for _ in range(n)]  # always 5 stars, whatever the text says
    trust = fit_trust(agreeing + coin, scores + scores, max_weight=1.0)
    assert trust == {"a:stars": 1.0, "b:stars": 0.0}
    few = fit_trust(agreeing[: MIN_EVIDENCE - 1], scores[: MIN_EVIDENCE - 1], max_weight=1.0)
    assert few == {"a:stars": 0.0}


def _result(sentiment: str, score: float) -> UnitClassification:
    confidence = {"theme": 0.9, "sentiment": 0.5 + abs(score) / 2, "intent": 0.9, "severity": 0.9}
    return UnitClassification(None, None, sentiment, score, "other", "low", confidence, False)


def test_with_source_signals_changes_only_unclear_units() -> None:
    clear = [_result("positive", 0.9) for _ in range(MIN_EVIDENCE)]
    signals = [SourceSignal(STARS, 1.0)] * MIN_EVIDENCE
    results = [*clear, _result("neutral", 0.0), _result("negative", -0.9), _result("neutral", 0.0)]
    out = with_source_signals(results, [*signals, SourceSignal(STARS, 1.0), SourceSignal(STARS, 1.0), None])
    assert out[:MIN_EVIDENCE] == clear
    assert out[MIN_EVIDENCE].sentiment == "positive" and out[MIN_EVIDENCE].confidence["sentiment"] > 0.5
    assert out[MIN_EVIDENCE + 1].sentiment == "negative"  # clear text, 5 stars: the text wins
    assert out[MIN_EVIDENCE + 2] == results[-1]  # no signal


def test_cross_validation_finds_a_helpful_signal_and_never_flips_clear_text() -> None:
    n = 100
    truth = ["positive" if i % 2 else "negative" for i in range(n)]
    # the text is clear and right on 60 units, unsure (neutral, score 0) on the rest; the stars are right
    scores = [(0.9 if i % 2 else -0.9) if i < 60 else 0.0 for i in range(n)]
    text_labels = [("positive" if s > 0 else "negative") if s else "neutral" for s in scores]
    signals = [SourceSignal(STARS, 1.0 if i % 2 else -1.0) for i in range(n)]
    result = cross_validate(truth, text_labels, [0.9] * n, scores, signals, folds=5)
    assert result.text_accuracy == 0.6
    assert result.weak_accuracy == 1.0
    assert result.clear_changed == 0 and result.changed == 40
