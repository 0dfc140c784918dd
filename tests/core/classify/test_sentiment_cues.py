"""Sentiment cues beyond word valence (core/classify/sentiment_cues.py): politeness formulas, idioms, sarcasm,
calm framing and the intent prior, as they reach the lexicon evidence and the sentiment decision."""

from __future__ import annotations

import pytest
from groundswell.core.classify.sentiment_cues import intent_lean, is_calm, is_sarcastic, rewrite_idioms
from groundswell.core.classify.sentiment_lexicon import lexicon_evidence
from groundswell.core.classify.signals import decide_sentiment


@pytest.mark.parametrize(
    "text",
    [
        "Happy to hop on a call if that helps.",
        "Sounds good, talk Thursday.",
        "Thanks, that clears it up.",
        "Would appreciate an update when you can.",
        "No rush on this one.",
    ],
)
def test_politeness_formulas_carry_no_valence(text: str) -> None:
    assert abs(lexicon_evidence(text).compound) < 0.05, text


@pytest.mark.parametrize(
    "text",
    [
        "Reinstalled twice, no luck.",
        "They keep promising a fix and never deliver.",
        "The whole portal is down for everyone.",
        "My ticket got closed without a reply.",
        "How is the export limit still there after a year?",
    ],
)
def test_negative_idioms_read_negative(text: str) -> None:
    assert lexicon_evidence(text).compound < -0.2, text


def test_positive_idioms_read_positive() -> None:
    assert lexicon_evidence("Honestly the tool paid for itself within a month.").compound > 0.3
    assert lexicon_evidence("The new editor is night and day compared to the old one.").compound > 0.3
    assert rewrite_idioms("it works like a charm").strip() == "excellent"


@pytest.mark.parametrize(
    "text",
    [
        "Great, another outage right before the board meeting.",
        "Wonderful, the calendar sync broke again.",
        "Thanks for nothing.",
        "Love how the app logs me out every five minutes.",
        "Another week, another delay on the API keys.",
    ],
)
def test_sarcasm_is_negative_whatever_the_praise_words(text: str) -> None:
    assert is_sarcastic(text), text
    assert decide_sentiment(text, 0.4).label == "negative", text


@pytest.mark.parametrize(
    "text", ["Great support, thanks again!", "Love how fast the new search is.", "Nice work on the redesign."]
)
def test_sincere_praise_is_not_sarcasm(text: str) -> None:
    assert not is_sarcastic(text), text
    assert decide_sentiment(text, 0.2).label == "positive", text


def test_calm_framing_softens_a_negative_score() -> None:
    calm = "No big deal, just flagging that the footer link 404s."
    assert is_calm(calm) and is_calm("Is there a way to pin a report?") and not is_calm("The footer link 404s.")
    assert decide_sentiment(calm, -0.6).label == "neutral"
    assert decide_sentiment("The footer link 404s on every page.", -0.6).label == "negative"


def test_intent_prior_leans_by_intent_but_never_against_clear_words() -> None:
    labels = ["complaint", "praise", "question"]
    assert intent_lean([1.0, 0.0, 0.0], labels) == -1.0
    assert intent_lean([0.0, 0.0, 1.0], labels) == 0.0
    assert intent_lean([0.5, 0.5, 0.0], labels) == 0.0
    flat = "We were told the invoice would be corrected last Tuesday."
    assert decide_sentiment(flat, -0.2).label == "neutral"
    assert decide_sentiment(flat, -0.2, intent_lean=-1.0).label == "negative"
    assert decide_sentiment("Zero issues since we moved over, it just works.", 0.1, intent_lean=-1.0).label == (
        "positive"
    )
