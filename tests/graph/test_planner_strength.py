"""A word loosely like a theme never becomes a theme filter: below the minimum strength, the planner says it did
not recognise a theme and lists the closest ones."""

from __future__ import annotations

import pytest
from groundswell.core.query import Vocabulary
from groundswell.graph.planner import plan_question
from groundswell.graph.planner_themes import MIN_STRENGTH, match_strength

from tests.graph.conftest import AS_OF


def test_strength_is_coverage_weighed_by_what_the_phrase_leaves_unexplained() -> None:
    assert match_strength(["coupon", "code"], ["coupon", "code"]) == 1.0
    assert match_strength(["coupon"], ["coupon", "code"]) == 0.5 >= MIN_STRENGTH  # half a name, nothing else
    printing = match_strength(["print", "speed"], ["label", "print"], [["print", "speed"]])
    assert printing == 0.375 < MIN_STRENGTH  # half a name beside an unexplained word
    # an unexplained word elsewhere in the question (an unknown account) does not weaken the match
    assert match_strength(["initech", "coupon"], ["coupon", "code"], [["initech"], ["coupon"]]) == 0.5


@pytest.mark.parametrize(
    ("question", "closest"),
    [
        ("top complaints about printing speed", "Label printing"),
        ("is printing speed getting worse", "Label printing"),
        ("zebra speed issues", "Label printing > Printer drivers"),
    ],
)
def test_a_weak_likeness_is_not_a_theme_and_the_closest_themes_are_listed(
    vocab: Vocabulary, question: str, closest: str
) -> None:
    plan = plan_question(question, vocabulary=vocab, as_of=AS_OF)
    assert plan.kind == "clarify" and not plan.filters.themes
    assert plan.clarification is not None and plan.clarification.startswith("I did not recognise a theme in")
    assert f"Closest themes: {closest}" in plan.clarification


@pytest.mark.parametrize("question", ["any feedback about the sink", "complaints about the weather this week"])
def test_unrelated_words_never_become_a_theme(vocab: Vocabulary, question: str) -> None:
    plan = plan_question(question, vocabulary=vocab, as_of=AS_OF)
    assert not plan.filters.themes and "Closest themes:" in (plan.clarification or "")


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("coupon complaints past wk", "checkout.coupons"),
        ("how are coupons doing", "checkout.coupons"),
        ("complaints about the paymnt page", "checkout.payment_errors"),
        ("top issues with invntory", "sync.inventory"),
        ("what does Initech say about coupons?", None),  # the unknown account is asked about, not the theme
    ],
)
def test_strong_enough_matches_still_plan(vocab: Vocabulary, question: str, key: str | None) -> None:
    plan = plan_question(question, vocabulary=vocab, as_of=AS_OF)
    if key is None:
        assert plan.kind == "clarify" and "account called 'initech'" in (plan.clarification or "")
    else:
        assert plan.filters.themes == [key]
