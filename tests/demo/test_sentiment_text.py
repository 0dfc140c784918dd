"""The demo text carries the sentiment its unit is labelled with (issue #13)."""

from __future__ import annotations

import random

from groundswell.demo.phrasing_frames import SEVERITY_TAILS
from groundswell.demo.phrasing_sentiment import CALM_LEADS, FRAME_SENTIMENT, MARKERS
from groundswell.demo.textgen import _with_sentiment


def _has_marker(text: str, sentiment: str) -> bool:
    leads, tails = MARKERS[sentiment]
    return any(text.startswith(lead) for lead in leads) or any(text.endswith(tail) for tail in tails)


def test_a_label_the_frame_does_not_express_always_gets_a_marker() -> None:
    rng = random.Random(3)
    for intent in ("question", "feature_request", "other", "bug_report"):
        for sentiment in ("negative", "neutral", "positive"):
            if sentiment == FRAME_SENTIMENT.get(intent, "neutral"):
                continue
            for _ in range(30):
                text = _with_sentiment(rng, "Exports stall halfway.", intent, sentiment, "medium")
                if intent == "bug_report" and sentiment == "neutral":
                    assert any(text.startswith(lead) for lead in CALM_LEADS), text
                else:
                    assert _has_marker(text, sentiment), (intent, sentiment, text)


def test_units_that_are_not_negative_get_no_frustrated_severity_tail() -> None:
    rng = random.Random(5)
    frustrated = {tail for tails in SEVERITY_TAILS.values() for tail in tails if "{" not in tail}
    for _ in range(200):
        text = _with_sentiment(rng, "Exports stall halfway.", "bug_report", "neutral", "high")
        assert not any(tail in text for tail in frustrated - {"Needs attention this week please."}), text
