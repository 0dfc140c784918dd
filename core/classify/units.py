"""Classify feedback units against one taxonomy version: theme and sub-theme (or other), sentiment, intent,
severity, each with a confidence; low confidence goes to review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.classify.signals import SignalClassifier
from core.classify.theme import OTHER, ThemeClassifier
from core.protocols import Embedder
from core.taxonomy import Taxonomy, ThemeDef

__all__ = [
    "CLASSIFIER_NAME",
    "UnitClassification",
    "UnitClassifier",
    "leaf_themes",
    "theme_keys_of",
    "training_examples",
]

CLASSIFIER_NAME = "offline-embeddings-tfidf"
CLASSIFIER_VERSION = "1"


@dataclass(frozen=True)
class UnitClassification:
    theme_key: str | None  # the top-level theme (None: other)
    subtheme_key: str | None  # the leaf, when it sits under a parent
    sentiment: str
    sentiment_score: float
    intent: str
    severity: str
    confidence: dict[str, float]
    needs_review: bool
    classifier: str | None = None  # who labelled this unit, when it differs from the classifier asked
    classifier_version: str | None = None


def leaf_themes(taxonomy: Taxonomy) -> list[ThemeDef]:
    """Active themes without active children: the labels a unit can get (parents are reached through them)."""
    return [t for t in taxonomy.active if not any(child.active for child in taxonomy.children(t.key))]


def theme_keys_of(taxonomy: Taxonomy, leaf: str) -> tuple[str | None, str | None]:
    """(theme, sub-theme) for a leaf label: (parent, leaf) under a parent, (leaf, None) at the top, other: None."""
    if leaf == OTHER:
        return None, None
    parent = taxonomy.get(leaf).parent_key
    return (parent, leaf) if parent else (leaf, None)


def training_examples(taxonomy: Taxonomy, reviewed: Sequence[tuple[str, str]] = ()) -> tuple[list[str], list[str]]:
    """Examples per leaf theme: each theme's own name, description, aliases and examples, then the reviewed
    ``(text, leaf key)`` pairs whose key is still a live leaf of ``taxonomy``."""
    texts: list[str] = []
    labels: list[str] = []
    leaves: set[str] = set()
    for theme in leaf_themes(taxonomy):
        leaves.add(theme.key)
        for text in (theme.name, theme.description, *theme.aliases, *theme.examples):
            if text and text.strip():
                texts.append(text.strip())
                labels.append(theme.key)
    for text, key in reviewed:
        if key in leaves and text.strip():
            texts.append(text.strip())
            labels.append(key)
    return texts, labels


class UnitClassifier:
    """Fitted once per taxonomy version; ``classify`` takes the units' texts and, when known, their vectors."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        embedder: Embedder,
        *,
        reviewed: Sequence[tuple[str, str]] = (),
        review_below: float = 0.5,
        seed: int = 0,
    ) -> None:
        self.taxonomy = taxonomy
        self.review_below = review_below
        texts, labels = training_examples(taxonomy, reviewed)
        if len(set(labels)) < 2:
            raise ValueError(f"taxonomy version {taxonomy.version} has fewer than two leaf themes to classify into")
        folds = max(2, min(5, min(labels.count(label) for label in set(labels))))
        self.themes = ThemeClassifier(embedder, seed=seed, folds=folds).fit(texts, labels)
        self.signals = SignalClassifier(embedder, seed=seed).fit()
        self.name, self.version = CLASSIFIER_NAME, CLASSIFIER_VERSION

    def classify(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[UnitClassification]:
        themes = self.themes.predict(texts, vectors)
        signals = self.signals.predict(texts, vectors)
        results = []
        for theme, signal in zip(themes, signals, strict=True):
            theme_key, subtheme_key = theme_keys_of(self.taxonomy, theme.label)
            confidence = {
                "theme": round(theme.confidence, 4),
                "sentiment": round(signal.sentiment_confidence, 4),
                "intent": round(signal.intent_confidence, 4),
                "severity": round(signal.severity_confidence, 4),
            }
            results.append(
                UnitClassification(
                    theme_key=theme_key,
                    subtheme_key=subtheme_key,
                    sentiment=signal.sentiment,
                    sentiment_score=round(signal.sentiment_score, 4),
                    intent=signal.intent,
                    severity=signal.severity,
                    confidence=confidence,
                    needs_review=theme.confidence < self.review_below,
                )
            )
        return results
