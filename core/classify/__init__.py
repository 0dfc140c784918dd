"""Classification engines: themes from reviewed examples, and sentiment/intent/severity signals, all offline.

Pure domain code: the sentence embedder comes in through :class:`core.protocols.Embedder`.
"""

from groundswell.core.classify.evaluate import read_labelled_csv, score_labels
from groundswell.core.classify.features import FeatureConfig, VectorCache
from groundswell.core.classify.signals import Signal, SignalClassifier, load_seed
from groundswell.core.classify.theme import OTHER, Prediction, ThemeClassifier

__all__ = [
    "OTHER",
    "FeatureConfig",
    "Prediction",
    "Signal",
    "SignalClassifier",
    "ThemeClassifier",
    "VectorCache",
    "load_seed",
    "read_labelled_csv",
    "score_labels",
]
