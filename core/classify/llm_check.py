"""Checks a language model's labels against the offline classifier's, so an injected instruction cannot quietly
relabel feedback: a unit whose model labels contradict confident offline labels is flagged for review, and a batch
where most units contradict them is suspect (one unit's text may have steered the rest) and is asked again one
unit per request, so each label depends only on its own unit's text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from groundswell.core.classify.units import UnitClassification

__all__ = ["CONFIDENT", "batch_is_suspect", "disagrees"]

CONFIDENT = 0.5  # offline confidence from which a contradicting model label counts as a large disagreement
SUSPECT_SHARE = 0.5  # share of a batch's units that must disagree for the batch to be asked again unit by unit
_POLAR = {"positive": 1, "negative": -1}


def disagrees(labels: Mapping[str, Any], offline: UnitClassification, confident: float = CONFIDENT) -> bool:
    """True when the model's intent differs from a confident offline intent, or its sentiment has the opposite
    polarity of a confident offline sentiment (positive vs negative)."""
    intent = labels.get("intent") != offline.intent and offline.confidence.get("intent", 0.0) >= confident
    flipped = _POLAR.get(str(labels.get("sentiment")), 0) * _POLAR.get(offline.sentiment, 0) < 0
    return intent or (flipped and offline.confidence.get("sentiment", 0.0) >= confident)


def batch_is_suspect(
    answers: Sequence[Mapping[str, Any]], offline: Sequence[UnitClassification], share: float = SUSPECT_SHARE
) -> bool:
    """A batch of two or more answered units where at least two, and at least ``share`` of them, disagree."""
    if len(answers) < 2:
        return False
    wrong = sum(disagrees(a, o) for a, o in zip(answers, offline, strict=True))
    return wrong >= max(2, share * len(answers))
