"""Turns a planned signal (theme, intent, sentiment, severity) into varied customer text.

Variety comes from: many core statements per theme, slot fillers, intent frames (including
sarcasm), severity/sentiment tails, typos, slang, lower-casing and a few non-English snippets.
"""

from __future__ import annotations

import random
import re

from groundswell.demo.catalog import theme_by_id
from groundswell.demo.phrasing_a import BANK_A
from groundswell.demo.phrasing_b import BANK_B
from groundswell.demo.phrasing_frames import (
    CONTEXT,
    FRAMES,
    LABELLED_REQUEST_FRAMES,
    PRAISE_CONTEXT,
    REQUEST_ASK,
    SENTIMENT_TAILS,
    SEVERITY_TAILS,
    SLANG,
    TOPIC_QUESTIONS,
)
from groundswell.demo.phrasing_sentiment import (
    CALM_LEADS,
    FACTUAL_SEVERITY_TAILS,
    FRAME_SENTIMENT,
    MARKERS,
    POSITIVE_CONTEXT,
)
from groundswell.demo.phrasing_slots import SLOTS

__all__ = ["BANK", "fill", "pick", "render_signal", "sample_labels", "topic"]

BANK: dict[str, dict[str, tuple]] = {**BANK_A, **BANK_B}
_SLOT = re.compile(r"\{(\w+)\}")
_QUESTION_WORDS = ("can ", "could ", "is ", "how ", "where ", "why ", "does ", "do ", "would you", "any ", "what ")

SENTIMENT_BY_INTENT: dict[str, dict[str, float]] = {
    "bug_report": {"negative": 0.83, "neutral": 0.15, "positive": 0.02},
    "complaint": {"negative": 1.0},
    "churn_risk": {"negative": 1.0},
    "question": {"neutral": 0.72, "negative": 0.18, "positive": 0.1},
    "feature_request": {"neutral": 0.6, "positive": 0.25, "negative": 0.15},
    "praise": {"positive": 1.0},
    "other": {"neutral": 0.75, "positive": 0.15, "negative": 0.1},
}
SEVERITY_BY_INTENT: dict[str, dict[str, float]] = {
    "bug_report": {"low": 0.2, "medium": 0.45, "high": 0.27, "critical": 0.08},
    "complaint": {"low": 0.15, "medium": 0.45, "high": 0.3, "critical": 0.1},
    "churn_risk": {"medium": 0.3, "high": 0.5, "critical": 0.2},
    "question": {"low": 0.55, "medium": 0.4, "high": 0.05},
    "feature_request": {"low": 0.5, "medium": 0.45, "high": 0.05},
    "praise": {"low": 1.0},
    "other": {"low": 0.7, "medium": 0.3},
}
_TAILED = ("bug_report", "complaint", "churn_risk", "other")
_SEVERITY_TAIL_P = {"critical": 0.8, "high": 0.45, "medium": 0.15, "low": 0.2}


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    """One key drawn with the given weights (dict order is the tie-break, so it is deterministic)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def fill(template: str, rng: random.Random, extra: dict[str, str] | None = None) -> str:
    """Replace every ``{slot}`` by a random filler (``extra`` wins over the shared slots)."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if extra and name in extra:
            return extra[name]
        return rng.choice(SLOTS[name])

    return _SLOT.sub(one, template)


def sample_labels(rng: random.Random, intents: dict[str, float], churn_boost: float = 1.0) -> tuple[str, str, str]:
    """Intent, sentiment and severity: correlated with each other, not determined by the theme."""
    weights = dict(intents)
    if "churn_risk" in weights:
        weights["churn_risk"] *= churn_boost
    intent = pick(rng, weights)
    return intent, pick(rng, SENTIMENT_BY_INTENT[intent]), pick(rng, SEVERITY_BY_INTENT[intent])


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 2)
    if rng.random() < 0.5:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i + 1 :]


def _vary(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    if rng.random() < 0.16:
        for _ in range(rng.choice((1, 1, 2))):
            candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
            if candidates:
                i = rng.choice(candidates)
                words[i] = _typo(words[i], rng)
    text = " ".join(words)
    if rng.random() < 0.08:
        slang = rng.choice(SLANG)
        text = f"{slang} {text[:1].lower()}{text[1:]}" if rng.random() < 0.5 else f"{text.rstrip('.')} {slang}"
    if rng.random() < 0.1:
        text = text.lower().rstrip(".")
    return text


def _core(theme_id: str, key: str, rng: random.Random, extra: dict[str, str]) -> str | None:
    options = BANK[theme_id][key]
    return fill(rng.choice(options), rng, extra) if options else None


def _ask(theme_id: str, intent: str, rng: random.Random, extra: dict[str, str]) -> str | None:
    """An ``asks`` line fitting the intent: a question asks a question, a request requests (either, if none fits)."""
    options = BANK[theme_id]["asks"]
    fitting = [a for a in options if bool(REQUEST_ASK.match(a)) == (intent == "feature_request")]
    if intent in ("question", "feature_request") and fitting:
        options = tuple(fitting)
    elif intent == "question" and options:  # only requests to draw from: ask about the theme instead
        options = tuple(q.replace("{topic}", topic(theme_id, rng)) for q in TOPIC_QUESTIONS)
    return fill(rng.choice(options), rng, extra) if options else None


_PROPER = ("Salesforce", "HubSpot", "Slack", "Excel", "EU")
_ACRONYMS = ("sso", "saml", "mfa", "2fa", "utc", "siem", "rbac", "sfdc", "roi", "csm", "ux", "api", "eu", "gdpr")
_CASED = {"okta": "Okta", "azure": "Azure", "ad": "AD", "id": "ID", "url": "URL", "sla": "SLA", "csv": "CSV"}


def _word(word: str) -> str:
    return word.upper() if word in _ACRONYMS else _CASED.get(word, word)


def topic(theme_id: str, rng: random.Random | None = None) -> str:
    """How a message names the theme mid-sentence: its name ("slow loading", "CSV export timeouts") or, with ``rng``,
    more often one of its aliases ("SAML login", "face ID")."""
    theme = theme_by_id(theme_id)
    if rng is not None and theme.aliases and rng.random() < 0.7:
        return " ".join(_word(w) for w in rng.choice(theme.aliases).split(" "))
    first = theme.name.split(" ")[0]
    return theme.name if first.isupper() or first in _PROPER else theme.name[:1].lower() + theme.name[1:]


def _with_sentiment(rng: random.Random, text: str, intent: str, sentiment: str, severity: str) -> str:
    """Severity tail and sentiment marker, so the text carries the sentiment it is labelled with.

    When the intent frame expresses another sentiment than the label, a sentiment lead or tail is always added; a
    neutral bug report opens calmly; a unit that is not negative never gets a frustrated severity tail.
    """
    if intent in _TAILED and rng.random() < _SEVERITY_TAIL_P[severity]:
        tails = SEVERITY_TAILS if sentiment == "negative" else FACTUAL_SEVERITY_TAILS
        text += " " + fill(rng.choice(tails[severity]), rng)
    expressed = FRAME_SENTIMENT.get(intent, "neutral")
    if sentiment != expressed:
        if intent == "bug_report" and sentiment == "neutral":
            return f"{rng.choice(CALM_LEADS)} {text[:1].lower()}{text[1:]}"
        leads, tails = MARKERS[sentiment]
        if rng.random() < 0.5:
            return f"{rng.choice(leads)} {text}"
        return f"{text} {rng.choice(tails)}"
    if intent not in FRAME_SENTIMENT and rng.random() < 0.12:
        text += " " + rng.choice(SENTIMENT_TAILS[sentiment])
    return text


def render_signal(
    rng: random.Random, theme_id: str, intent: str, sentiment: str, severity: str, version: str, *, foreign_p: float
) -> tuple[str, str]:
    """The signal's text and its language code."""
    extra = {"ver": version}
    foreign = BANK[theme_id]["foreign"]
    if foreign and rng.random() < foreign_p:
        lang, template = rng.choice(foreign)
        text = fill(template, rng, extra)
        return (text if text.endswith("?") else text + "."), lang
    core = _core(theme_id, "says", rng, extra)
    ask = _ask(theme_id, intent, rng, extra) or core
    frames = [f for f in FRAMES[intent] if core is not None or "{core}" not in f]
    if intent == "feature_request" and ask is not None and not REQUEST_ASK.match(ask):
        frames = [f for f in frames if f in LABELLED_REQUEST_FRAMES]
    frame = rng.choice(frames)
    if "{ask}" in frame and ask is not None and not ask.startswith(_QUESTION_WORDS):
        frame = frame.replace("{ask}?", "{ask}.")
    text = fill(frame, rng, {"core": core or "", "ask": ask or "", "topic": topic(theme_id, rng), **extra})
    text = _capitalize(text.replace("..", ".").replace("?.", "?").replace("?,", "?"))
    text = _with_sentiment(rng, text, intent, sentiment, severity)
    if rng.random() < 0.4:
        pool = PRAISE_CONTEXT if intent == "praise" else CONTEXT
        if sentiment != "positive":
            pool = tuple(line for line in pool if line not in POSITIVE_CONTEXT)
        context = fill(rng.choice(pool), rng)
        text = f"{_capitalize(context)} {text}" if rng.random() < 0.5 else f"{text} {_capitalize(context)}"
    return _vary(text, rng), "en"
