"""Intent cues added for #13: capability questions ask, demand wording requests, sarcasm and rhetorical questions
complain. Checked against a flat prior and against a head that is sure of the wrong label."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from groundswell.core.classify.signals_rules import INTENT_RULES, apply_rules
from groundswell.core.labels import INTENTS


def _boosted(texts: Sequence[str], prior: str | None = None, mass: float = 0.9) -> list[str]:
    probs = np.full((len(texts), len(INTENTS)), 1 / len(INTENTS))
    if prior is not None:  # a head sure of ``prior``
        probs[:] = (1 - mass) / (len(INTENTS) - 1)
        probs[:, INTENTS.index(prior)] = mass
    return [INTENTS[int(row.argmax())] for row in apply_rules(list(texts), probs, list(INTENTS), INTENT_RULES)]


def test_capability_questions_are_questions_even_against_a_sure_request_head() -> None:
    texts = [
        "Hey, can we limit a dashboard to one region?",
        "Quick one: does the mobile app work offline?",
        "Is it possible for guests to comment without a seat?",
        "Sorry if this is basic, but could reports be sent as PDF?",
    ]
    assert _boosted(texts, prior="feature_request") == ["question"] * 4


def test_request_wording_inside_a_question_still_requests() -> None:
    texts = [
        "Can you add a dark theme?",
        "Could you please support Outlook calendars?",
        "Can the editor keep a version history? We'd use it every day.",
        "Is offline editing on the roadmap?",
        "Our whole team keeps asking for bulk edit, would make a big difference.",
    ]
    assert _boosted(texts) == ["feature_request"] * 5


def test_sarcasm_and_rhetorical_questions_are_complaints() -> None:
    texts = [
        "Wonderful, the invoices are wrong again.",
        "Great, another price increase with no notice.",
        "How is the refund still not processed after a month?",
        "Support has been a joke since the merger.",
    ]
    assert _boosted(texts, prior="praise", mass=0.6) == ["complaint"] * 4
    assert _boosted(["Great support, thanks again!"], prior="praise", mass=0.6) == ["praise"]
