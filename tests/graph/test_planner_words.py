"""Word-level rules: typo-tolerant keywords (rapidfuzz) and the verb "complain"."""

from __future__ import annotations

import pytest
from groundswell.core.query import QueryPlan, Vocabulary
from groundswell.graph.planner import plan_question
from groundswell.graph.planner_text import STRUCTURE, Text

from tests.graph.conftest import AS_OF


def _plan(question: str, vocab: Vocabulary) -> QueryPlan:
    return plan_question(question, vocabulary=vocab, as_of=AS_OF)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("whcih", "which"), ("mnay", "many"), ("hwo", "hwo"), ("whos", "who's"), ("whats", "what's")],
)
def test_swapped_letters_and_dropped_apostrophes_are_repaired(typed: str, meant: str) -> None:
    assert Text.parse(typed).raw == [meant]  # three letters are too few to tell a typo from another word


@pytest.mark.parametrize("word", ["here", "rise", "take", "very", "three", "form"])
def test_real_words_near_a_keyword_are_left_alone(word: str) -> None:
    assert Text.parse(word, ["form", "email"]).raw == [word]
    assert "there" in STRUCTURE and "raise" in STRUCTURE  # the words these would have become


def test_typed_keywords_still_shape_the_plan(vocab: Vocabulary) -> None:
    plan = _plan("whcih accounts complaind about coupon codes", vocab)
    assert plan.kind == "set" and plan.filters.themes == ["checkout.coupons"]
    assert _plan("emial notifications by source", vocab).filters.themes == ["notify.email"]
    october = _plan("how mnay sms complaints in octobr", vocab).filters.window
    assert october is not None and (october.start.month, october.end.month) == (10, 11)


@pytest.mark.parametrize(
    "question",
    [
        "which accounts complained about the card form",
        "whos complaining the most about label margins",
        "how much ARR sits behind accounts complaining about inventory sync?",
    ],
)
def test_complain_about_names_a_topic_and_sets_no_intent_or_sentiment(vocab: Vocabulary, question: str) -> None:
    f = _plan(question, vocab).filters
    assert f.themes and not f.intents and not f.sentiments


def test_complain_without_about_is_negative_and_the_noun_is_the_intent(vocab: Vocabulary) -> None:
    assert _plan("which accounts complained last week?", vocab).filters.sentiments == ["negative"]
    assert _plan("how many checkout complaints last week?", vocab).filters.intents == ["complaint"]
