"""The "nothing fits" threshold: chosen on out-of-fold scores of known texts and of simulated or real unknowns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["Floor", "OpenSetScores", "choose_threshold"]


@dataclass(frozen=True)
class OpenSetScores:
    """Out-of-fold evidence: for known texts, their max probability and whether the top label was right;
    for unknown texts (real ``oos``/``other`` examples or texts of labels held out of the fold), their max
    probability."""

    known_confidence: np.ndarray
    known_correct: np.ndarray
    unknown_confidence: np.ndarray


@dataclass(frozen=True)
class Floor:
    threshold: float
    objective: float  # the weighted score reached on the out-of-fold evidence (to compare set-ups)


def choose_threshold(scores: OpenSetScores, unknown_weight: float) -> Floor:
    """The confidence floor maximising ``(1 - w) * known accuracy + w * unknown rejection`` (w = unknown_weight).

    Known accuracy counts a known text only when its top label is right *and* it clears the floor. Candidates are
    the observed confidences (midpoints), plus 0 (never reject); ties go to the lowest floor. An unknown text with
    a negative confidence counts as always rejected (it was already answered ``other``).
    """
    known = scores.known_confidence
    unknown = scores.unknown_confidence
    if len(unknown) == 0 or len(known) == 0:
        return Floor(0.0, float(np.mean(scores.known_correct)) if len(known) else 0.0)
    candidates = np.unique(np.concatenate([[0.0], known, unknown]))
    candidates = np.concatenate([[0.0], (candidates[:-1] + candidates[1:]) / 2])
    candidates = candidates[candidates >= 0]
    correct_conf = np.sort(known[scores.known_correct.astype(bool)])
    unknown_sorted = np.sort(unknown)
    accepted_correct = len(correct_conf) - np.searchsorted(correct_conf, candidates, side="left")
    rejected_unknown = np.searchsorted(unknown_sorted, candidates, side="left")
    objective = (1 - unknown_weight) * accepted_correct / len(known) + unknown_weight * rejected_unknown / len(unknown)
    best = int(np.argmax(objective))
    return Floor(float(candidates[best]), float(objective[best]))
