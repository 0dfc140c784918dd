"""Sentiment, intent and severity for every feedback unit, offline.

Three small classifiers (the theme classifier's embeddings + TF-IDF + calibrated linear SVM) trained on a seed set
of general customer-feedback sentences shipped in ``core/classify/seed/`` (one file per intent, lines
``sentiment|severity|text``), then nudged by cue rules (``signals_rules.py``). Intent ``other`` is learned as the
"nothing fits" floor. Fitting takes a few seconds (the seed texts are embedded once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np

from core.classify.features import VectorCache
from core.classify.signals_rules import INTENT_RULES, SENTIMENT_RULES, SEVERITY_RULES, Rule, apply_rules
from core.classify.theme import ThemeClassifier
from core.labels import INTENTS
from core.protocols import Embedder

__all__ = ["INTENTS", "SENTIMENTS", "SEVERITIES", "SeedExample", "Signal", "SignalClassifier", "load_seed"]

SENTIMENTS = ("negative", "neutral", "positive")
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class SeedExample:
    text: str
    intent: str
    sentiment: str
    severity: str


@dataclass(frozen=True)
class Signal:
    """One unit's signals, each with the calibrated probability of the chosen label."""

    sentiment: str
    sentiment_score: float  # P(positive) - P(negative), in [-1, 1]
    sentiment_confidence: float
    intent: str
    intent_confidence: float
    severity: str
    severity_confidence: float


def load_seed() -> list[SeedExample]:
    """The shipped seed set (comment lines start with ``#``)."""
    examples = []
    folder = resources.files("core.classify") / "seed"
    for intent in INTENTS:
        for number, line in enumerate((folder / f"{intent}.txt").read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            sentiment, severity, text = line.split("|", 2)
            if sentiment not in SENTIMENTS or severity not in SEVERITIES:
                raise ValueError(f"seed/{intent}.txt:{number}: bad labels {sentiment!r}, {severity!r}")
            examples.append(SeedExample(text.strip(), intent, sentiment, severity))
    return examples


class SignalClassifier:
    """``SignalClassifier(embedder).fit().predict(texts)`` → one :class:`Signal` per text."""

    def __init__(self, embedder: Embedder, *, seed: int = 0, use_rules: bool = True) -> None:
        self.cache = VectorCache(embedder)
        self.use_rules = use_rules
        self.sentiment = ThemeClassifier(embedder, seed=seed, open_set=False, cache=self.cache)
        self.intent = ThemeClassifier(embedder, seed=seed, open_set=False, other_as_class=True, cache=self.cache)
        self.severity = ThemeClassifier(embedder, seed=seed, open_set=False, cache=self.cache)

    def fit(self, examples: Sequence[SeedExample] | None = None) -> SignalClassifier:
        """Train the three heads on ``examples`` (default: the shipped seed set)."""
        examples = list(examples if examples is not None else load_seed())
        texts = [e.text for e in examples]
        vectors = self.cache.embed(texts)
        self.sentiment.fit(texts, [e.sentiment for e in examples], vectors)
        self.intent.fit(texts, [e.intent for e in examples], vectors)
        self.severity.fit(texts, [e.severity for e in examples], vectors)
        return self

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[Signal]:
        """One :class:`Signal` per text; ``vectors`` = the texts' embeddings when the caller already has them."""
        texts = [str(t) for t in texts]
        if not texts:
            return []
        vectors = self.cache.embed(texts, remember=False) if vectors is None else vectors
        sentiment = self._head(self.sentiment, texts, vectors, SENTIMENT_RULES)
        intent = self._head(self.intent, texts, vectors, INTENT_RULES)
        severity = self._head(self.severity, texts, vectors, SEVERITY_RULES)
        labels = self.sentiment.labels
        pos, neg = labels.index("positive"), labels.index("negative")
        results = []
        for i, _ in enumerate(texts):
            s_best, i_pred, v_best = int(sentiment[i].argmax()), self.intent.decide(intent[i : i + 1])[0], severity[i]
            if i_pred.label == "praise":  # praise carries no urgency: the lowest severity, as sure as the intent
                v_best = np.where(np.asarray(self.severity.labels) == "low", i_pred.confidence, 0.0)
            results.append(
                Signal(
                    sentiment=labels[s_best],
                    sentiment_score=round(float(sentiment[i, pos] - sentiment[i, neg]), 4),
                    sentiment_confidence=round(float(sentiment[i, s_best]), 4),
                    intent=i_pred.label,
                    intent_confidence=round(i_pred.confidence, 4),
                    severity=self.severity.labels[int(v_best.argmax())],
                    severity_confidence=round(float(v_best.max()), 4),
                )
            )
        return results

    def _head(
        self, head: ThemeClassifier, texts: list[str], vectors: np.ndarray, rules: tuple[Rule, ...]
    ) -> np.ndarray:
        probs = head.predict_proba(texts, vectors)
        return apply_rules(texts, probs, head.labels, rules) if self.use_rules else probs
