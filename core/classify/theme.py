"""Theme classifier trained from reviewed examples: label or ``other`` with a calibrated confidence.

Fit = embed the texts once (cached), fit TF-IDF vocabularies, then K+1 linear SVM fits: K out-of-fold fits give
margins for a one-scalar temperature (calibration) and for the "nothing fits" floor, one fit on everything makes
the model. Refitting with more reviewed examples re-embeds only the new texts.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.svm import LinearSVC

from core.classify.calibration import fit_temperature, softmax
from core.classify.features import FeatureBuilder, FeatureConfig, VectorCache
from core.classify.openset import OpenSetScores, choose_threshold
from core.protocols import Embedder

__all__ = ["OTHER", "UNKNOWN_LABELS", "Prediction", "ThemeClassifier"]

OTHER = "other"
UNKNOWN_LABELS = frozenset({"other", "oos"})
_FORMAT = 1


@dataclass(frozen=True)
class Prediction:
    """One text's label (or ``other``), the calibrated probability of that answer, and the top label scores."""

    label: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)


class ThemeClassifier:
    """Few-shot theme classifier over embeddings + TF-IDF, with a calibrated ``other`` floor.

    ``unknown_weight`` is the share of the floor's objective given to rejecting texts that fit no label (the
    rest rewards keeping right answers): a prior for how much traffic fits nothing. Default: the share of
    ``oos``/``other`` examples in the training data clipped to [0.1, 0.5], or 0.2 when there are none (the
    unknowns are then simulated by holding 1/K of the labels out of each fold); ``folds`` is K.
    ``open_set=False`` never answers ``other`` (the floor is 0), for closed label sets such as sentiment.
    ``cache`` lets several classifiers share one embedding cache.
    ``other_as_class=True`` learns ``oos``/``other`` examples as an ordinary label instead of as the floor.
    """

    def __init__(
        self,
        embedder: Embedder,
        *,
        seed: int = 0,
        features: FeatureConfig | None = None,
        c: float = 0.5,
        folds: int = 5,
        unknown_weight: float | None = None,
        open_set: bool = True,
        other_as_class: bool = False,
        top_scores: int = 5,
        cache: VectorCache | None = None,
    ) -> None:
        self.cache = cache or VectorCache(embedder)
        self.open_set = open_set
        self.other_as_class = other_as_class
        self.seed = seed
        self.features = features or FeatureConfig()
        self.c = c
        self.folds = folds
        self.unknown_weight = unknown_weight
        self.top_scores = top_scores
        self.labels: list[str] = []
        self.scale = 1.0
        self.threshold = 0.0
        self._builder: FeatureBuilder | None = None
        self._model: LinearSVC | None = None

    # -- fitting -------------------------------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[str], vectors: np.ndarray | None = None) -> ThemeClassifier:
        """Learn from reviewed examples; ``oos``/``other`` examples only teach the floor."""
        if len(texts) != len(labels):
            raise ValueError(f"{len(texts)} texts but {len(labels)} labels")
        texts = [str(t) for t in texts]
        y = np.asarray([str(label) for label in labels])
        known = ~np.isin(y, list(UNKNOWN_LABELS)) | self.other_as_class
        self.labels = sorted(set(y[known].tolist()))
        if len(self.labels) < 2:
            raise ValueError("need examples of at least two labels besides oos/other")
        vectors = self.cache.embed(texts) if vectors is None else vectors
        self._builder = FeatureBuilder(self.features).fit(texts)
        matrix = self._builder.transform(texts, vectors)
        index = {label: i for i, label in enumerate(self.labels)}
        target = np.asarray([index.get(label, -1) for label in y])
        self._fit_calibration(matrix, target)
        self._model = self._svm().fit(matrix[known], target[known])
        return self

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.c, class_weight="balanced", random_state=self.seed, max_iter=5000)

    def _fit_calibration(self, matrix: sparse.csr_matrix, target: np.ndarray) -> None:
        """Out-of-fold margins → temperature; then the floor against real unknowns or held-out labels."""
        rng = np.random.default_rng(self.seed)
        counts = np.bincount(target[target >= 0], minlength=len(self.labels))
        folds = int(min(self.folds, max(counts.min(), 2)))
        label_group = rng.permutation(len(self.labels)) % folds  # labels held out in fold g: simulated unknowns
        simulate = self.open_set and not np.any(target < 0) and len(self.labels) >= 3
        margins = np.full((len(target), len(self.labels)), np.nan)
        is_unknown = target < 0
        splitter = (
            StratifiedKFold(n_splits=folds, shuffle=True, random_state=self.seed)
            if counts.min() >= 2
            else KFold(n_splits=min(folds, len(target)), shuffle=True, random_state=self.seed)
        )
        strata = np.where(target >= 0, target, len(self.labels))
        for g, (train, test) in enumerate(splitter.split(np.zeros(len(target)), strata)):
            train = train[target[train] >= 0]
            if simulate:
                held = label_group[target[train]] == g
                train = train[~held]
                is_unknown[test] |= label_group[np.maximum(target[test], 0)] == g
            if len(np.unique(target[train])) < 2:
                continue
            model = self._svm().fit(matrix[train], target[train])
            margins[test] = _full_margins(model, matrix[test], len(self.labels))
        scored = ~np.isnan(margins).any(axis=1)
        known_rows = scored & ~is_unknown
        self.scale = fit_temperature(margins[known_rows], target[known_rows]) if known_rows.any() else 1.0
        if not scored.any():
            self.threshold = 0.0
            return
        probs = softmax(np.nan_to_num(margins[scored], nan=-10.0), self.scale)
        unknown_rows = is_unknown[scored]
        top = probs.argmax(axis=1)
        evidence = OpenSetScores(
            known_confidence=probs.max(axis=1)[~unknown_rows],
            known_correct=(top == target[scored])[~unknown_rows],
            unknown_confidence=probs.max(axis=1)[unknown_rows],
        )
        weight = self.unknown_weight
        if weight is None:
            weight = 0.2 if simulate else float(np.clip(np.mean(target < 0), 0.1, 0.5))
        self.threshold = choose_threshold(evidence, weight) if self.open_set else 0.0

    # -- prediction ----------------------------------------------------------------------------------------
    def predict_proba(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> np.ndarray:
        """Calibrated probabilities over ``self.labels`` (rows sum to 1); ``vectors`` = precomputed embeddings."""
        if self._model is None or self._builder is None:
            raise RuntimeError("fit() or load() first")
        texts = [str(t) for t in texts]
        if not texts:
            return np.zeros((0, len(self.labels)))
        vectors = self.cache.embed(texts, remember=False) if vectors is None else vectors
        margins = _full_margins(self._model, self._builder.transform(texts, vectors), len(self.labels))
        return softmax(margins, self.scale)

    def predict(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[Prediction]:
        """One prediction per text: the top label when its probability clears the floor, else ``other``."""
        return self.decide(self.predict_proba(texts, vectors))

    def decide(self, probs: np.ndarray) -> list[Prediction]:
        """Predictions from probability rows over ``self.labels`` (lets callers adjust probabilities first)."""
        results = []
        for row in probs:
            order = np.argsort(-row, kind="stable")[: self.top_scores]
            scores = {self.labels[i]: round(float(row[i]), 4) for i in order}
            best = float(row[order[0]])
            if best >= self.threshold:
                results.append(Prediction(self.labels[order[0]], best, scores))
            else:
                results.append(Prediction(OTHER, 1.0 - best, scores))
        return results

    # -- persistence ---------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        """Pickle of the fitted sklearn parts, labels, scale and floor (no embeddings, no embedder)."""
        state = {key: value for key, value in self.__dict__.items() if key != "cache"}
        state["format"] = _FORMAT
        state["embedder_model_id"] = getattr(self.cache.embedder, "model_id", None)
        Path(path).write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))

    @classmethod
    def load(cls, path: Path, embedder: Embedder) -> ThemeClassifier:
        """Only load files you wrote yourself: this unpickles."""
        state = pickle.loads(Path(path).read_bytes())
        if state.pop("format", None) != _FORMAT:
            raise ValueError(f"{path} is not a ThemeClassifier file of format {_FORMAT}")
        model_id = state.pop("embedder_model_id", None)
        if model_id is not None and getattr(embedder, "model_id", None) != model_id:
            raise ValueError(f"{path} was fitted with embedder {model_id!r}, got {embedder.model_id!r}")
        classifier = cls.__new__(cls)
        classifier.__dict__.update(state)
        classifier.cache = VectorCache(embedder)
        return classifier


def _full_margins(model: LinearSVC, matrix: sparse.csr_matrix, n_labels: int) -> np.ndarray:
    """Decision values in global label columns; labels the model never saw get a margin far below the rest."""
    raw = model.decision_function(matrix)
    if raw.ndim == 1:
        raw = np.column_stack([-raw, raw])
    full = np.full((matrix.shape[0], n_labels), raw.min() - 10.0 if raw.size else -10.0)
    full[:, model.classes_] = raw
    return full
