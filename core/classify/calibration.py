"""Calibration helpers: temperature-scaled softmax over linear margins, fitted on out-of-fold margins by NLL."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

__all__ = ["fit_temperature", "softmax"]


def softmax(margins: np.ndarray, scale: float) -> np.ndarray:
    """Row-wise softmax of ``scale * margins`` (numerically stable)."""
    z = margins * scale
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(margins: np.ndarray, truth: np.ndarray) -> float:
    """The scale s minimising the negative log-likelihood of ``softmax(s * margins)`` at the true columns.

    ``margins`` are out-of-fold decision values (rows = texts, columns = classes), ``truth`` the true column of
    each row. One scalar, so it cannot overfit a few-shot training set; a bounded 1-D search, deterministic.
    Targets are smoothed as in Platt scaling (the true column gets ``1 - 1/(n + 2)``), so a perfectly separated
    few-shot training set yields a finite scale instead of certainties.
    """
    if len(truth) == 0:
        return 1.0
    n, k = margins.shape
    eps = 1.0 / (n + 2)
    targets = np.full((n, k), eps / max(k - 1, 1))
    targets[np.arange(n), truth] = 1.0 - eps

    def nll(log_scale: float) -> float:
        z = margins * np.exp(log_scale)
        z = z - z.max(axis=1, keepdims=True)
        log_probs = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-np.mean((targets * log_probs).sum(axis=1)))

    result = minimize_scalar(nll, bounds=(-3.0, 5.0), method="bounded", options={"xatol": 1e-3})
    return float(np.exp(result.x))
