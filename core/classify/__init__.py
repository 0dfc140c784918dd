"""Classification engines: themes from reviewed examples, and sentiment/intent/severity signals, all offline.

Pure domain code: the sentence embedder comes in through :class:`core.protocols.Embedder`.
"""

from core.classify.evaluate import read_labelled_csv, score_labels
from core.classify.features import FeatureConfig, VectorCache
from core.classify.signals import Signal, SignalClassifier, load_seed
from core.classify.theme import OTHER, Prediction, ThemeClassifier

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
