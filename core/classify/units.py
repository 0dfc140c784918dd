"""Classify feedback units against one taxonomy version: theme and sub-theme (or other), sentiment, intent,
severity, each with a confidence; low confidence goes to review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from groundswell.core.classify.floor import REVIEW_BAND, reviewed_floor
from groundswell.core.classify.signals import ReviewedSignal, SignalClassifier
from groundswell.core.classify.theme import OTHER, Prediction, ThemeClassifier
from groundswell.core.protocols import Embedder
from groundswell.core.taxonomy import Remapped, Taxonomy, ThemeDef, place

__all__ = [
    "CLASSIFIER_NAME",
    "CLASSIFIER_VERSION",
    "SPLIT_LIFT",
    "UnitClassification",
    "UnitClassifier",
    "leaf_themes",
    "theme_keys_of",
    "training_examples",
]

CLASSIFIER_NAME = "offline-embeddings-tfidf"
CLASSIFIER_VERSION = "1"
SPLIT_LIFT = 0.2  # see UnitClassifier.choose


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
    mixed: bool = False  # praise and a complaint in one unit (stored as classification.mixed)


def leaf_themes(taxonomy: Taxonomy) -> list[ThemeDef]:
    """Active themes without active children: the labels a unit can get (parents are reached through them)."""
    return [t for t in taxonomy.active if taxonomy.is_leaf(t.key)]


def theme_keys_of(taxonomy: Taxonomy, leaf: str) -> tuple[str | None, str | None]:
    """(theme, sub-theme) for a leaf label: (parent, leaf) under a parent, (leaf, None) at the top, other: None."""
    if leaf == OTHER:
        return None, None
    parent = taxonomy.get(leaf).parent_key
    return (parent, leaf) if parent else (leaf, None)


def training_examples(taxonomy: Taxonomy, reviewed: Sequence[tuple[str, str]] = ()) -> tuple[list[str], list[str]]:
    """Examples per leaf theme: each theme's own name, description, aliases and examples, then the reviewed
    ``(text, leaf key)`` pairs whose key is still a live leaf of ``taxonomy`` or ``other`` (texts a reviewer
    said fit nothing: they teach the ``other`` floor)."""
    texts: list[str] = []
    labels: list[str] = []
    for theme in leaf_themes(taxonomy):
        for text in (theme.name, theme.description, *theme.aliases, *theme.examples):
            if text and text.strip():
                texts.append(text.strip())
                labels.append(theme.key)
    for text, key in reviewed:
        if (key == OTHER or taxonomy.is_leaf(key)) and text.strip():
            texts.append(text.strip())
            labels.append(key)
    return texts, labels


class UnitClassifier:
    """Fitted once per taxonomy version; ``classify`` takes the units' texts and, when known, their vectors.

    ``reviewed``: a reviewer's ``(text, leaf key or other)`` theme labels; ``reviewed_signals``: their sentiment,
    intent and severity labels (each trains the next fit of that head beside the shipped seed set)."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        embedder: Embedder,
        *,
        reviewed: Sequence[tuple[str, str]] = (),
        reviewed_signals: Sequence[ReviewedSignal] = (),
        review_below: float = 0.5,
        seed: int = 0,
    ) -> None:
        self.taxonomy = taxonomy
        self.review_below = review_below
        texts, labels = training_examples(taxonomy, reviewed)
        themes = set(labels) - {OTHER}
        if len(themes) < 2:
            raise ValueError(f"taxonomy version {taxonomy.version} has fewer than two leaf themes to classify into")
        folds = max(2, min(5, min(labels.count(label) for label in themes)))
        self.themes = ThemeClassifier(embedder, seed=seed, folds=folds).fit(texts, labels)
        self.example_floor = self.themes.threshold  # the floor chosen on the training examples alone
        cache = self.themes.cache

        def fit_part(part: Sequence[tuple[str, str]]) -> ThemeClassifier:
            part_texts, part_labels = training_examples(taxonomy, part)
            return ThemeClassifier(embedder, seed=seed, folds=folds, cache=cache).fit(part_texts, part_labels)

        calibrated = reviewed_floor(fit_part, [pair for pair in reviewed if pair[0].strip()], seed=seed)
        if calibrated is not None:
            self.themes.threshold = calibrated
        self.signals = SignalClassifier(embedder, seed=seed).fit(reviewed=reviewed_signals)
        self.name, self.version = CLASSIFIER_NAME, CLASSIFIER_VERSION

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length vectors for ``texts`` from the classifier's embedder (for units with no stored vector)."""
        return self.themes.cache.embed(texts, remember=False)

    def choose(
        self, texts: Sequence[str], candidates: Sequence[Sequence[str]], vectors: np.ndarray | None = None
    ) -> list[Remapped]:
        """Each text's theme among its candidate keys (their live leaves), e.g. the parts of a split theme.

        The theme model scores every leaf; the candidates' probabilities are renormalised among themselves, so the
        confidence is the probability of the winner given that the unit is one of them. The winner is kept; the
        unit also goes to review when the winner stands less than ``SPLIT_LIFT`` of the way from an even split to
        certainty (below 60/40 between two parts). No candidates: the text is classified freely, as
        :meth:`classify` does; no live candidate left: ``other`` and review.
        """
        probs = self.themes.predict_proba(texts, vectors)
        free = self.themes.decide(probs)
        column = {label: i for i, label in enumerate(self.themes.labels)}
        out: list[Remapped] = []
        for row, prediction, keys in zip(probs, free, candidates, strict=True):
            if not keys:
                out.append(self._free_choice(prediction))
                continue
            leaves = list(dict.fromkeys(leaf for key in keys for leaf in self.taxonomy.leaves_under(key)))
            leaves = [leaf for leaf in leaves if leaf in column]
            if not leaves:
                out.append(Remapped(None, None, needs_review=True, candidates=tuple(keys), confidence=0.0))
                continue
            mass = row[[column[leaf] for leaf in leaves]]
            share = mass / mass.sum() if mass.sum() > 0 else np.full(len(leaves), 1.0 / len(leaves))
            best, even = int(np.argmax(share)), 1.0 / len(leaves)
            lift = 1.0 if len(leaves) == 1 else float((share[best] - even) / (1.0 - even))
            out.append(
                replace(
                    place(self.taxonomy, leaves[best]),
                    needs_review=lift < SPLIT_LIFT,
                    candidates=tuple(leaves),
                    confidence=round(float(share[best]), 4),
                    scores=tuple((leaf, round(float(p), 4)) for leaf, p in zip(leaves, share, strict=True)),
                )
            )
        return out

    def _free_choice(self, prediction: Prediction) -> Remapped:
        chosen = Remapped(None, None) if prediction.label == OTHER else place(self.taxonomy, prediction.label)
        return replace(
            chosen,
            needs_review=prediction.confidence < self.review_below,
            confidence=round(prediction.confidence, 4),
            scores=tuple(prediction.scores.items()),
        )

    def near_floor(self, prediction: Prediction) -> bool:
        """The uncertain middle: the top probability within ``REVIEW_BAND`` of the "other" floor, either side."""
        top = max(prediction.scores.values(), default=0.0)
        return self.themes.threshold > 0 and abs(top - self.themes.threshold) < REVIEW_BAND

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
                    needs_review=theme.confidence < self.review_below or self.near_floor(theme),
                    mixed=signal.mixed,
                )
            )
        return results
