"""Cue rules that nudge the learned signal probabilities where wording is unambiguous.

Each rule adds probability mass to one label and the row is renormalised, so a rule shifts a decision without
erasing the model's evidence. The cues are general customer-feedback language, not any one corpus's phrasing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

__all__ = ["CHURN_RULES", "INTENT_RULES", "QUESTION_RULES", "SENTIMENT_RULES", "SEVERITY_RULES", "Rule", "apply_rules"]


@dataclass(frozen=True)
class Rule:
    label: str
    pattern: re.Pattern[str]
    boost: float  # probability mass added to ``label`` before renormalising


def _rule(label: str, boost: float, *words: str) -> Rule:
    return Rule(label, re.compile(r"\b(?:" + "|".join(words) + r")", re.IGNORECASE), boost)


CHURN_RULES = (
    _rule(
        "churn_risk",
        1.5,
        r"cancel(?:l?ing|l?ed)? (?:our|my|the) (?:subscription|account|plan|contract)",
        r"switch(?:ing)? (?:to|providers|vendors)",
        r"not (?:be )?renew",
        r"won'?t (?:be )?renew",
        r"(?:move|moving|migrate|migrating) (?:away|off|to another)",
        r"(?:evaluating|looking at|trialing|trialling) (?:other|alternative|competitor)",
        r"look(?:ing)? (?:for|at) alternatives",
        r"terminate (?:the|our) contract",
        r"leav(?:e|ing) (?:you|the platform|altogether)",
    ),
)
QUESTION_RULES = (
    Rule(
        "question",
        re.compile(
            r"(?:^|[.!]\s+)(?:how|what|where|why|which|when|who|does|do|is there|is it|is that|are there)\b[^.!?]*\?",
            re.IGNORECASE,
        ),
        0.25,
    ),
)
INTENT_RULES = CHURN_RULES + QUESTION_RULES
SENTIMENT_RULES = (
    _rule(
        "negative",
        0.35,
        r"crash",
        r"errors?\b",
        r"broken",
        r"fail",
        r"outage",
        r"unusable",
        r"not working",
        r"doesn'?t work",
        r"can'?t (?:log|sign|access|open|save)",
        r"data loss",
        r"frustrat",
        r"unacceptable",
    ),
    _rule("positive", 0.3, r"love", r"great job", r"thank(?:s| you)", r"awesome", r"excellent", r"fantastic"),
)
SEVERITY_RULES = (
    _rule(
        "critical",
        0.5,
        r"(?:is|are|went|all) down\b",
        r"outage",
        r"data loss",
        r"lost (?:all|our|the) data",
        r"security (?:issue|hole|breach|vulnerability)",
        r"nobody can",
        r"no one can",
    ),
    _rule("high", 0.25, r"crash", r"blocked", r"urgent", r"asap", r"every (?:time|user)", r"can'?t (?:log|sign)"),
)


def apply_rules(texts: list[str], probs: np.ndarray, labels: list[str], rules: tuple[Rule, ...]) -> np.ndarray:
    """Probabilities with rule boosts added to matching rows and renormalised (labels absent are ignored)."""
    adjusted = probs.copy()
    column = {label: i for i, label in enumerate(labels)}
    for rule in rules:
        if rule.label not in column:
            continue
        hits = np.fromiter((bool(rule.pattern.search(t)) for t in texts), dtype=bool, count=len(texts))
        adjusted[hits, column[rule.label]] += rule.boost
    return adjusted / adjusted.sum(axis=1, keepdims=True)
