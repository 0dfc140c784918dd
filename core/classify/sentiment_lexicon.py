"""Lexicon evidence for sentiment: VADER (``vaderSentiment``, lexicon shipped in the package) per clause.

VADER handles negation ("not bad"), intensifiers, caps and the "but" shift inside a sentence. On top of it:
- a small product-feedback lexicon (software words VADER lacks: "crashes", "laggy", "intuitive", ...);
- "no/zero/without + problem word" phrases ("zero fuss", "no issues") read as positive;
- frustration idioms ("nobody seems to care", "fed up", "last straw") read as negative;
- clauses split on sentence ends and contrast words, so a unit holding praise and a complaint is flagged mixed
  and the clause after a contrast ("..., but it crashes daily") weighs more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from groundswell.core.classify.sentiment_cues import rewrite_idioms
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["PRODUCT_LEXICON", "LexiconEvidence", "lexicon_evidence", "vader_compound"]

# Valence on VADER's -4..4 scale: general software / service review words absent from VADER's lexicon.
PRODUCT_LEXICON: dict[str, float] = {
    "crashes": -2.0,
    "crashed": -2.0,
    "crashing": -2.0,
    "freezes": -1.8,
    "froze": -1.8,
    "freezing": -1.6,
    "hangs": -1.4,
    "bug": -1.3,
    "bugs": -1.5,
    "buggy": -2.0,
    "glitch": -1.5,
    "glitches": -1.5,
    "glitchy": -1.8,
    "laggy": -1.8,
    "lag": -1.3,
    "slow": -1.3,
    "sluggish": -1.6,
    "unusable": -2.5,
    "unreliable": -1.9,
    "unresponsive": -1.8,
    "clunky": -1.6,
    "confusing": -1.5,
    "overpriced": -1.8,
    "bloated": -1.4,
    "outage": -2.0,
    "downtime": -1.6,
    "timeout": -1.2,
    "timeouts": -1.3,
    "fails": -1.8,
    "failing": -1.8,
    "nightmare": -2.4,
    "refund": -1.2,
    "cancel": -1.0,
    "cancelling": -1.2,
    "canceling": -1.2,
    "uninstalled": -1.8,
    "uninstalling": -1.6,
    "wasted": -2.0,
    "fuss": -1.0,
    "hassle": -1.4,
    "intuitive": 1.9,
    "smooth": 1.6,
    "smoothly": 1.6,
    "seamless": 2.0,
    "seamlessly": 2.0,
    "snappy": 1.6,
    "responsive": 1.4,
    "reliable": 1.8,
    "sensible": 1.2,
    "polished": 1.6,
    "lifesaver": 2.6,
    "recommended": 1.5,
    "hooked": 1.4,
    "painless": 1.8,
    "effortless": 1.8,
    "handy": 1.5,
    "flawless": 2.6,
    "flawlessly": 2.6,
    "rock-solid": 2.2,
    "fast": 1.0,
    "quick": 0.8,
    "worth": 1.2,
    "backwards": -1.4,
    "drains": -1.4,
    # support-ticket function words VADER scores as sentiment ("free trial", "please send", "is X supported")
    "support": 0.0,
    "supported": 0.0,
    "supports": 0.0,
    "please": 0.0,
    "free": 0.0,
    "like": 0.0,
    "request": 0.0,
    "sure": 0.0,
    "help": 0.0,
    "want": 0.0,
    # discourse markers and slang VADER scores as praise ("honestly, this is broken", "pretty disappointed", "lol")
    "honestly": 0.0,
    "honest": 0.0,
    "pretty": 0.0,
    "lol": 0.0,
}

_NO_PROBLEM = re.compile(
    r"\b(?:no|zero|without(?: any)?|never (?:had|has) (?:a|any)|not a single)\s+"
    r"(?:fuss|issues?|problems?|hassle|complaints?|bugs?|crash(?:es)?|glitch(?:es)?|downtime|lag|hiccups?)\b",
    re.IGNORECASE,
)
_RECOMMEND = re.compile(
    r"\b(?:tell(?:ing)?|told) (?:everyone|everybody|all my|my (?:friends|team|colleagues))\b"
    r"|\bwould (?:definitely |highly )?recommend\b|\bcan'?t (?:live|work) without\b",
    re.IGNORECASE,
)
# "it would be useful/nice to have X": a wish, not praise
_WISH = re.compile(
    r"\b(?:it )?(?:would|'d) (?:be )?(?:really )?(?:useful|helpful|nice|great|cool|good|awesome|help|love)\b",
    re.IGNORECASE,
)
# sign-offs ("Thanks.", "Thanks in advance!") close a ticket politely; they are not praise of the product
_SIGN_OFF = re.compile(
    r"(?:^|(?<=[.!?]))\s*(?:thanks|thank you|thx|cheers|ty)(?: (?:in advance|so much|a lot))?[.!]*\s*$",
    re.IGNORECASE,
)
# frustration idioms VADER misses or reads as positive ("nobody seems to care": "care" is positive to VADER)
_FRUSTRATION = re.compile(
    r"\b(?:no ?one|nobody) (?:seems to |appears to |even )?cares?\b|\bfed up\b|\b(?:the )?last straw\b"
    r"|\bstill nothing\b|\bhow is this still\b|\bcan'?t defend\b|\bsick of\b",
    re.IGNORECASE,
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|except|unfortunately|sadly)\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")


@dataclass(frozen=True)
class LexiconEvidence:
    """VADER-based evidence for one text."""

    compound: float  # contrast-weighted mean of clause compounds, in [-1, 1]
    vader: float  # plain VADER compound of the whole text (product lexicon included)
    positive: float  # strongest positive clause (0 when none)
    negative: float  # strongest negative clause as a positive number (0 when none)
    hits: int  # clauses with any lexical sentiment
    mixed: bool  # at least one clearly positive and one clearly negative clause


@lru_cache(maxsize=1)
def _analyzer() -> SentimentIntensityAnalyzer:
    analyzer = SentimentIntensityAnalyzer()
    analyzer.lexicon.update(PRODUCT_LEXICON)
    return analyzer


def _prepare(text: str) -> str:
    text = rewrite_idioms(_SIGN_OFF.sub(" ", text))
    text = _FRUSTRATION.sub(" frustrating ", text)
    text = _NO_PROBLEM.sub(" painless ", text)
    text = _WISH.sub(" would ", text)
    return _RECOMMEND.sub(" recommended ", text)


def vader_compound(text: str, *, product_lexicon: bool = False) -> float:
    """VADER's compound score; ``product_lexicon=False`` = stock VADER (the baseline)."""
    if product_lexicon:
        return float(_analyzer().polarity_scores(_prepare(text))["compound"])
    return float(_stock().polarity_scores(text)["compound"])


@lru_cache(maxsize=1)
def _stock() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def _clauses(text: str) -> list[tuple[str, bool]]:
    """(clause, follows a contrast word) pieces of ``text``."""
    pieces: list[tuple[str, bool]] = []
    for sentence in _SENTENCE.split(text):
        parts = _CONTRAST.split(sentence)
        for i, part in enumerate(parts):
            if part.strip(" ,.;:-"):
                pieces.append((part, i > 0))
    return pieces


def lexicon_evidence(text: str, strong: float = 0.3) -> LexiconEvidence:
    """Per-clause VADER evidence; a clause past a contrast word counts double, as readers weigh it."""
    analyzer = _analyzer()
    prepared = _prepare(text[:5000])
    whole = float(analyzer.polarity_scores(prepared)["compound"])
    scores, weights = [], []
    for clause, after_contrast in _clauses(prepared):
        score = float(analyzer.polarity_scores(clause)["compound"])
        scores.append(score / 2 if clause.rstrip().endswith("?") else score)  # questions carry less sentiment
        weights.append(2.0 if after_contrast else 1.0)
    active = [(s, w) for s, w in zip(scores, weights, strict=True) if s != 0.0]
    compound = sum(s * w for s, w in active) / sum(w for _, w in active) if active else whole
    positive = max((s for s in scores if s > 0), default=0.0)
    negative = -min((s for s in scores if s < 0), default=0.0)
    return LexiconEvidence(
        compound=round(max(-1.0, min(1.0, 0.5 * compound + 0.5 * whole)), 4),
        vader=round(whole, 4),
        positive=round(positive, 4),
        negative=round(negative, 4),
        hits=len(active),
        mixed=positive >= strong and negative >= strong,
    )
