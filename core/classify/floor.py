"""The "other" floor calibrated on reviewed units by cross-validation, and the uncertain band sent to review.

The theme classifier's own floor is chosen on its training examples (a taxonomy's names, descriptions and a few
examples, with unknowns simulated by holding labels out), which says little about real traffic: on the demo it
left a quarter of the units that have a theme without one. Once reviewers have labelled enough units, the floor is
chosen instead on those units' out-of-fold scores: reviewed themed units are the known side, reviewed ``other``
units the unknown side, and the unknown weight is the reviewed share of ``other`` (the traffic's own prior).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from groundswell.core.classify.openset import OpenSetScores, choose_threshold
from groundswell.core.classify.theme import OTHER, ThemeClassifier
from sklearn.model_selection import KFold

__all__ = ["MIN_REVIEWED", "REVIEW_BAND", "reviewed_floor"]

MIN_REVIEWED = 40  # reviewed units needed before they, not the training examples, set the floor
REVIEW_BAND = 0.1  # a top probability within this of the floor (either side) goes to review


def reviewed_floor(
    fit: Callable[[Sequence[tuple[str, str]]], ThemeClassifier],
    reviewed: Sequence[tuple[str, str]],
    *,
    folds: int = 3,
    seed: int = 0,
) -> float | None:
    """The floor maximising out-of-fold accuracy on ``reviewed`` (text, leaf or ``other``) pairs, or None when
    there are fewer than ``MIN_REVIEWED`` of them. ``fit(train pairs)`` returns a classifier trained on the
    taxonomy's examples plus those pairs."""
    if len(reviewed) < MIN_REVIEWED:
        return None
    known_conf: list[float] = []
    known_correct: list[bool] = []
    unknown_conf: list[float] = []
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(reviewed))):
        model = fit([reviewed[i] for i in train])
        probs = model.predict_proba([reviewed[i][0] for i in test])
        for row, i in zip(probs, test, strict=True):
            best = int(row.argmax())
            top, confidence = model.labels[best], float(row[best])
            truth = reviewed[i][1]
            if truth == OTHER:
                unknown_conf.append(-1.0 if top in (OTHER, "oos") else confidence)
            else:
                known_conf.append(confidence)
                known_correct.append(top == truth)
    if not known_conf or not unknown_conf:
        return None
    weight = float(np.clip(len(unknown_conf) / len(reviewed), 0.05, 0.5))
    scores = OpenSetScores(np.asarray(known_conf), np.asarray(known_correct), np.asarray(unknown_conf))
    return choose_threshold(scores, weight).threshold
