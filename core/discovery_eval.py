"""Scoring discovered clusters against labels that discovery never saw.

Noise (``-1``) counts as one more cluster in NMI and ARI, so leaving texts unplaced costs score;
``coverage`` is the share of texts placed in a theme.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

__all__ = ["score_discovery", "stability_ari"]


def score_discovery(truth: Sequence[str], labels: np.ndarray) -> dict[str, float]:
    """``nmi``, ``ari`` (all texts, noise as one cluster), ``nmi_covered`` (placed texts only), ``coverage``."""
    gold = np.asarray(truth)
    placed = labels >= 0
    return {
        "nmi": round(float(normalized_mutual_info_score(gold, labels)), 4),
        "ari": round(float(adjusted_rand_score(gold, labels)), 4),
        "nmi_covered": round(float(normalized_mutual_info_score(gold[placed], labels[placed])), 4)
        if placed.any()
        else 0.0,
        "coverage": round(float(placed.mean()), 4) if len(labels) else 0.0,
    }


def stability_ari(first: np.ndarray, second: np.ndarray) -> float:
    """Agreement of two runs' clusterings of the same texts (1.0: identical partitions)."""
    return round(float(adjusted_rand_score(first, second)), 4)
