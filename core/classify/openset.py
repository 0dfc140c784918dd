"""The "nothing fits" threshold: chosen on out-of-fold scores of known texts and of simulated or real unknowns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["OpenSetScores", "choose_threshold"]


@dataclass(frozen=True)
class OpenSetScores:
    """Out-of-fold evidence: for known texts, their max probability and whether the top label was right;
    for unknown texts (real ``oos``/``other`` examples or texts of labels held out of the fold), their max
    probability."""

    known_confidence: np.ndarray
    known_correct: np.ndarray
    unknown_confidence: np.ndarray


def choose_threshold(scores: OpenSetScores, unknown_weight: float) -> float:
    """The confidence floor maximising ``(1 - w) * known accuracy + w * unknown rejection`` (w = unknown_weight).

    Known accuracy counts a known text only when its top label is right *and* it clears the floor. Candidates are
    the observed confidences (midpoints), plus 0 (never reject); ties go to the lowest floor.
    """
    known = scores.known_confidence
    unknown = scores.unknown_confidence
    if len(unknown) == 0 or len(known) == 0:
        return 0.0
    candidates = np.unique(np.concatenate([[0.0], known, unknown]))
    candidates = np.concatenate([[0.0], (candidates[:-1] + candidates[1:]) / 2])
    correct_conf = np.sort(known[scores.known_correct.astype(bool)])
    unknown_sorted = np.sort(unknown)
    accepted_correct = len(correct_conf) - np.searchsorted(correct_conf, candidates, side="left")
    rejected_unknown = np.searchsorted(unknown_sorted, candidates, side="left")
    objective = (1 - unknown_weight) * accepted_correct / len(known) + unknown_weight * rejected_unknown / len(unknown)
    return float(candidates[int(np.argmax(objective))])
