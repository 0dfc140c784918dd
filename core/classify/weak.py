"""Weak supervision from what sources already say about a unit: app-store stars, CSAT ratings, NPS scores.

A source signal is a polarity in [-1, 1] (stars and CSAT on 1-5: ``(r - 3) / 2``; NPS on 0-10: detractors
negative, promoters positive, ``(s - 7.5) / 2.5`` clipped). It only nudges the *text's* sentiment score, and only
where the text is not clear: a text score at or beyond ``CLEAR`` (a confident positive or negative decision)
always wins, whatever the stars say.

How much a source is trusted is learned per source and kind, without labels: on the units whose text *is* clear,
how often the signal's sign agrees with the text's (``a``); trust = ``max_weight * max(0, 2a - 1)`` (0 when the
signal is no better than a coin, e.g. stars that ignore the text), and 0 until ``MIN_EVIDENCE`` clear units have
been seen. ``max_weight`` is chosen by cross-validation on labelled data (``eval weak-signals``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

from groundswell.core.classify.units import UnitClassification

__all__ = [
    "CLEAR",
    "MAX_WEIGHT",
    "MIN_EVIDENCE",
    "SourceSignal",
    "WeakEvaluation",
    "WeakSentiment",
    "apply_signal",
    "cross_validate",
    "fit_trust",
    "source_signal",
    "with_source_signals",
]

CLEAR = 0.5  # |text score| at or above this: the text decides (confidence >= 0.75)
MAX_WEIGHT = 1.0  # the most a fully agreeing source moves the score (cross-validated on the demo, dev)
MIN_EVIDENCE = 20  # clear units needed before a source is trusted at all
NEUTRAL_BAND = 0.2  # as core.classify.signals.NEUTRAL_BAND: the band a nudged score is decided with


@dataclass(frozen=True)
class SourceSignal:
    key: str  # "<source>:<kind>", the unit of trust (e.g. "googleplay:stars")
    polarity: float  # in [-1, 1]


def source_signal(source: str, channel: str, rating: float | None, score: int | None) -> SourceSignal | None:
    """The unit's source signal, if its record carries one (an NPS score wins over a rating)."""
    if score is not None:
        return SourceSignal(f"{source}:nps", max(-1.0, min(1.0, (float(score) - 7.5) / 2.5)))
    if rating is not None and 1.0 <= rating <= 5.0:
        kind = "stars" if channel == "review" else "csat"
        return SourceSignal(f"{source}:{kind}", (float(rating) - 3.0) / 2.0)
    return None


@dataclass(frozen=True)
class WeakSentiment:
    label: str
    score: float
    confidence: float
    nudged: bool  # the source signal changed the score


def _label(score: float) -> tuple[str, float]:
    if abs(score) < NEUTRAL_BAND:
        return "neutral", 1.0 - abs(score) / NEUTRAL_BAND / 2
    return ("positive" if score > 0 else "negative"), 0.5 + abs(score) / 2


def apply_signal(
    label: str, confidence: float, text_score: float, signal: SourceSignal | None, trust: dict[str, float]
) -> WeakSentiment:
    """The text's sentiment, nudged by the source signal unless the text is clear or the source untrusted."""
    weight = trust.get(signal.key, 0.0) if signal is not None else 0.0
    if signal is None or weight <= 0 or abs(text_score) >= CLEAR:
        return WeakSentiment(label, text_score, confidence, False)
    score = max(-1.0, min(1.0, text_score + weight * signal.polarity))
    new_label, new_confidence = _label(score)
    return WeakSentiment(new_label, round(score, 4), round(new_confidence, 4), True)


def fit_trust(
    signals: Sequence[SourceSignal | None], text_scores: Sequence[float], max_weight: float = MAX_WEIGHT
) -> dict[str, float]:
    """Trust per signal key from its agreement with the clear text decisions (see the module docstring)."""
    agree: dict[str, list[bool]] = defaultdict(list)
    for signal, score in zip(signals, text_scores, strict=True):
        if signal is not None and abs(score) >= CLEAR and signal.polarity != 0:
            agree[signal.key].append((signal.polarity > 0) == (score > 0))
    trust: dict[str, float] = {}
    for key, hits in agree.items():
        rate = sum(hits) / len(hits)
        trust[key] = round(max_weight * max(0.0, 2 * rate - 1), 4) if len(hits) >= MIN_EVIDENCE else 0.0
    return trust


@dataclass(frozen=True)
class WeakEvaluation:
    text_accuracy: float  # the text classifier alone
    weak_accuracy: float  # with source signals, max_weight chosen on the other folds
    signal_accuracy: float  # the signal's sign alone (neutral inside the band), on units that have one
    chosen_weights: list[float]  # per fold
    nudged: int  # units whose score a signal moved (held-out folds)
    changed: int  # of those, units whose label changed
    clear_changed: int  # clear-text units whose label changed (must be 0)


GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5)


def cross_validate(
    labels: Sequence[str],
    texts_labels: Sequence[str],
    confidences: Sequence[float],
    text_scores: Sequence[float],
    signals: Sequence[SourceSignal | None],
    *,
    folds: int = 5,
    grid: Sequence[float] = GRID,
) -> WeakEvaluation:
    """``max_weight`` chosen per fold on the other folds' labelled units (accuracy), scored on the held-out fold;
    trust itself is fitted (label-free) on the other folds."""
    n = len(labels)
    fold_of = [i % folds for i in range(n)]

    def decide(rows: Sequence[int], trust: dict[str, float]) -> list[WeakSentiment]:
        return [apply_signal(texts_labels[i], confidences[i], text_scores[i], signals[i], trust) for i in rows]

    hits, chosen, nudged, changed, clear_changed = 0, [], 0, 0, 0
    for k in range(folds):
        train = [i for i in range(n) if fold_of[i] != k]
        test = [i for i in range(n) if fold_of[i] == k]
        if not test or not train:
            continue
        best: tuple[float, float, dict[str, float]] | None = None
        for weight in grid:
            trust = fit_trust([signals[i] for i in train], [text_scores[i] for i in train], weight)
            score = sum(r.label == labels[i] for r, i in zip(decide(train, trust), train, strict=True)) / len(train)
            if best is None or score > best[0] + 1e-12:
                best = (score, weight, trust)
        assert best is not None
        chosen.append(best[1])
        for result, i in zip(decide(test, best[2]), test, strict=True):
            hits += result.label == labels[i]
            nudged += result.nudged
            changed += result.label != texts_labels[i]
            clear_changed += result.label != texts_labels[i] and abs(text_scores[i]) >= CLEAR
    with_signal = [i for i in range(n) if signals[i] is not None]
    signal_hits = sum(_label(signals[i].polarity)[0] == labels[i] for i in with_signal)  # type: ignore[union-attr]
    return WeakEvaluation(
        text_accuracy=round(sum(texts_labels[i] == labels[i] for i in range(n)) / n, 4) if n else 0.0,
        weak_accuracy=round(hits / n, 4) if n else 0.0,
        signal_accuracy=round(signal_hits / len(with_signal), 4) if with_signal else 0.0,
        chosen_weights=chosen,
        nudged=nudged,
        changed=changed,
        clear_changed=clear_changed,
    )


def with_source_signals(
    results: Sequence[UnitClassification], signals: Sequence[SourceSignal | None], max_weight: float = MAX_WEIGHT
) -> list[UnitClassification]:
    """``results`` with sentiment nudged by each unit's source signal; trust fitted on these same results (the
    clear text decisions among them, no labels needed). A result whose text was clear is returned unchanged."""
    trust = fit_trust(signals, [r.sentiment_score for r in results], max_weight)
    out: list[UnitClassification] = []
    for result, signal in zip(results, signals, strict=True):
        confidence = result.confidence.get("sentiment", 0.5)
        weak = apply_signal(result.sentiment, confidence, result.sentiment_score, signal, trust)
        if not weak.nudged:
            out.append(result)
            continue
        confidences = {**result.confidence, "sentiment": weak.confidence}
        out.append(replace(result, sentiment=weak.label, sentiment_score=weak.score, confidence=confidences))
    return out
