"""Cue rules that nudge the learned signal probabilities where wording is unambiguous.

Each rule adds probability mass to one label and the row is renormalised, so a rule shifts a decision without
erasing the model's evidence. The cues are general customer-feedback language, not any one corpus's phrasing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from groundswell.core.classify.sentiment_cues import SARCASM

__all__ = [
    "BUG_RULES",
    "CAPABILITY_QUESTION_RULES",
    "CHURN_RULES",
    "COMPLAINT_RULES",
    "INTENT_RULES",
    "OTHER_RULES",
    "PRAISE_RULES",
    "QUESTION_RULES",
    "REQUEST_RULES",
    "SENTIMENT_RULES",
    "SEVERITY_RULES",
    "Rule",
    "apply_rules",
]


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
        r"leav(?:e|ing) (?:you|the platform|altogether|for)",
        r"moving (?:on )?to (?:a |another )?(?:competitor|alternative|another)",
        r"(?:i'?m|we'?re|we are|i am) (?:going to |about to )?cancel",
        r"cancel(?:l?ed)? my (?:plan|subscription|account)",
        r"uninstall",
        r"delet(?:e|ing) my account",
        r"(?:we'?re|we are|i'?m|i am) (?:\w+ )?(?:evaluating|trialing|trialling|testing out) ",
        r"(?:we'?ll|we will) (?:have to |probably |likely )?(?:look at|switch|move to)\b",
        r"cancel at (?:the |our )?renewal",
        r"(?:before|at) (?:our|the) renewal",
        r"renewal is (?:coming up|next|soon)",
        r"(?:should|can) keep (?:using |paying for )?\w+ at all",
        r"last straw",
        r"can'?t (?:defend|justify) (?:this|the|paying)",
    ),
)
QUESTION_RULES = (
    Rule(
        "question",
        re.compile(
            r"(?:^|[.!]\s+)(?:how|what|where|why|which|when|who|does|do|is there|is it|is that|are there|can i|can we)"
            r"\b[^.!?]*\?",
            re.IGNORECASE,
        ),
        0.25,
    ),
    _rule(
        "question",
        0.3,
        r"quick question",
        r"(?:does|do) (?:anyone|anybody|you) know\b",
        r"sorry if this is (?:obvious|a dumb|a silly)",
        r"(?:i'?m |just )?wondering (?:if|whether|how|why|what|,)",
        r"i have a question",
        r"how (?:do|can|should) (?:i|we)\b",
    ),
)

# Requests win over the bug cues their wording often carries ("doesn't support X, please add it"): their boost is
# larger, and a bug cue only counts when no request cue is present (see BUG_RULES).
REQUEST_RULES = (
    _rule(
        "feature_request",
        0.8,
        r"please (?:add|bring back|let (?:me|us)|make it possible|consider|support|include|allow)",
        r"(?:can|could|would) you (?:please )?(?:add|consider|make|include|support|bring)",
        r"(?:i|we)(?:'d| would) (?:really )?(?:love|like) (?:to see |an? |the )?"
        r"(?:option|feature|way|ability|mode|to be able)",
        r"would love (?:to|an?|if|some|more|the)",
        r"(?:it|that) would be (?:great|nice|awesome|amazing|cool|helpful|useful) (?:if|to have)",
        r"would be (?:nice|great|awesome|helpful|useful) to (?:have|see|be able)",
        r"i wish (?:it|there|the app|you|i could)|wish (?:it|there was|there were)\b",
        r"(?:should|needs? to) support",
        r"(?:should|needs? to) (?:have|offer|include|let)|it needs an?\b|needs an? (?:option|way|setting|button)",
        r"would give (?:it )?(?:5|five|more) stars? if",
        r"any chance (?:of|you)",
        r"(?:feature )?(?:request|suggestion)s?:",
        r"(?:only thing|what'?s|the one thing) missing",
        r"add (?:an? )?(?:option|setting|toggle|button|way) (?:to|for)",
        r"(?:there is|there'?s) no (?:way|option) to",
        r"lacks? (?:an?|the|any)\b",
        # demand for something that does not exist yet
        r"(?:i|we)(?:'d| would) (?:definitely |really )?use (?:it|this|that)\b",
        r"(?:is|are) (?:\w+ ){0,3}on (?:the|your) roadmap",
        r"(?:team|customers|users|people|everyone) (?:\w+ )?keeps? asking",
        r"would make (?:a |such a )?(?:big |huge |real )?difference",
    ),
)
_NO_REQUEST = r"^(?!.*(?:" + "|".join(r.pattern.pattern for r in REQUEST_RULES) + r"))"
# A question about what the product can do ("can we pick which events notify us?", "does it support SSO?") asks;
# it is not a request unless it also carries request wording ("can you add ...", "would you consider ...").
CAPABILITY_QUESTION_RULES = (
    Rule(
        "question",
        re.compile(
            _NO_REQUEST + r".*(?:^|[.!?:,;]\s*|\bbut\s+)(?:can|could|does|do|is|are|will|should)\s+"
            r"(?!you\b)[^.!?]*\?",
            re.IGNORECASE | re.DOTALL,
        ),
        1.0,
    ),
)
BUG_RULES = (
    Rule(
        "bug_report",
        re.compile(
            _NO_REQUEST
            + r".*\b(?:does(?:n'?t| not) work|(?:stopped|stops|not) working|errors?\b|crash|broken|fail(?:s|ed|ing)?\b"
            r"|freez|bug\b|glitch)",
            re.IGNORECASE | re.DOTALL,
        ),
        0.3,
    ),
)
# Dissatisfaction with service, price or treatment (not a defect): outweighs a bug cue in the same text.
COMPLAINT_RULES = (
    _rule(
        "complaint",
        0.8,
        r"nobody (?:seems to )?cares?\b",
        r"(?:so|really|very|incredibly) frustrating",
        r"(?:not|un)acceptable",
        r"(?:so |sick and )?tired of",
        r"(?:nobody|no one|never) (?:follows? up|responds?|answers?|replies|gets back)",
        r"closed (?:my|our|the) (?:\w+ )*?ticket without",
        r"(?:for|at) (?:the )?(?:prices?|what) (?:we|i) pay",
        r"too expensive|overpriced|rip-?off",
        r"rude\b",
        r"waste of (?:money|time)",
        r"how is (?:this|it) still",
        r"keep (?:promising|saying)",
        r"never deliver",
        r"(?:terrible|awful|horrible|poor) (?:experience|service|support)",
        r"still no (?:answer|reply|response|refund)",
        r"how is [^.!?]{0,40}? still\b",
        r"(?:has been|is) a (?:mess|joke|disaster)",
        r"(?:another|yet another) excuse",
    ),
    Rule("complaint", SARCASM, 1.2),  # praise words for a complaint: "great, another outage"
)
# Conversation with nothing to act on: hand-overs, follow-ups, closing the loop.
OTHER_RULES = (
    _rule(
        "other",
        0.3,
        r"closing the loop",
        r"sounds good\b",
        r"(?:mark|close) (?:this|it|the ticket) as (?:done|resolved|closed)",
        r"nothing (?:more|else|further) (?:is )?needed",
        r"no (?:further )?action (?:is )?needed",
        r"you can close (?:this|the ticket|it)",
        r"following up on (?:my|our) (?:earlier|last|previous)",
        r"please ignore",
    ),
)
PRAISE_RULES = (
    _rule(
        "praise",
        0.3,
        r"keep it up",
        r"big fan",
        r"10/10",
        r"tell(?:ing)? everyone",
        r"(?:great|amazing|awesome|fantastic) (?:job|work|app|tool|product|support)",
        r"(?:love|loving) (?:this|it|the app|using)",
        r"best (?:app|tool)",
        r"(?:5|five) stars\b(?! if)",
        r"recommend (?:it|this)",
        r"keep up the good work",
        r"kudos",
    ),
)
INTENT_RULES = (
    CHURN_RULES
    + QUESTION_RULES
    + CAPABILITY_QUESTION_RULES
    + REQUEST_RULES
    + BUG_RULES
    + COMPLAINT_RULES
    + OTHER_RULES
    + PRAISE_RULES
)
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
