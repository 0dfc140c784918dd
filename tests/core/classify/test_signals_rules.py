"""Intent cue rules on their own (a flat prior, no model): each cue family moves the decision to its label."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from groundswell.core.classify.signals_rules import INTENT_RULES, apply_rules
from groundswell.core.labels import INTENTS


def _boosted(texts: Sequence[str]) -> list[str]:
    flat = np.full((len(texts), len(INTENTS)), 1 / len(INTENTS))
    return [INTENTS[int(row.argmax())] for row in apply_rules(list(texts), flat, list(INTENTS), INTENT_RULES)]


def test_churn_cues_naming_a_competitor_or_the_renewal_beat_bug_cues() -> None:
    assert (
        _boosted(
            [
                "Constant crashes, unusable. We're seriously evaluating Asana now.",
                "Login fails again. If this isn't fixed before our renewal we'll have to look at another tool.",
                "Sync errors every day. This is the last straw.",
                "We're already trialing another vendor.",
            ]
        )
        == ["churn_risk"] * 4
    )


def test_complaint_cues_about_service_and_price_beat_bug_cues() -> None:
    assert _boosted(
        [
            "The app crashes and nobody seems to care.",
            "Your agent closed my ticket without fixing anything.",
            "Export errors again, at the prices we pay. Not acceptable.",
            "Still no answer from support after a week.",
            "The app crashes on start.",
        ]
    ) == ["complaint"] * 4 + ["bug_report"]


def test_question_and_other_cues() -> None:
    assert (
        _boosted(
            [
                "Quick question: can I change the owner of a board.",
                "Does anyone know whether reports keep their filters",
                "Sounds good, talk on Tuesday.",
                "Just closing the loop, you can mark this as done.",
            ]
        )
        == ["question"] * 2 + ["other"] * 2
    )


def test_praise_cues_and_requests_still_win_over_questions() -> None:
    assert _boosted(["Big fan, keep it up!", "Quick question: could you add a dark mode?"]) == [
        "praise",
        "feature_request",
    ]
