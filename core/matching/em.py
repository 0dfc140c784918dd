"""Fellegi–Sunter m/u probabilities estimated without labels by EM (conditional independence)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["FSModel", "fit_em"]

_EPS = 1e-6
#: Laplace-style pseudo-count per level, so a level never seen among (few) non-matches keeps a finite weight.
PSEUDO_COUNT = 0.5


@dataclass(frozen=True, slots=True)
class FSModel:
    """``m[f][l]`` = P(level l | match), ``u[f][l]`` = P(level l | non-match), ``prior`` = P(match) among candidates."""

    fields: tuple[str, ...]
    m: tuple[np.ndarray, ...]
    u: tuple[np.ndarray, ...]
    prior: float
    iterations: int

    def weights(self) -> tuple[np.ndarray, ...]:
        """log2(m/u) per field and level (the Fellegi–Sunter agreement weights)."""
        return tuple(np.log2(m / u) for m, u in zip(self.m, self.u, strict=True))

    def log_odds(self, levels: np.ndarray) -> np.ndarray:
        """Natural-log posterior odds of a match for every row of ``levels`` (missing levels contribute 0)."""
        total = np.full(len(levels), np.log(self.prior / (1 - self.prior)))
        for k, (m, u) in enumerate(zip(self.m, self.u, strict=True)):
            col = levels[:, k]
            present = col >= 0
            total += np.where(present, np.log(m / u)[np.clip(col, 0, None)], 0.0)
        return total

    def posterior(self, levels: np.ndarray) -> np.ndarray:
        """P(match | levels) for every row."""
        return 1.0 / (1.0 + np.exp(-np.clip(self.log_odds(levels), -500, 500)))


def _initial(n_levels: int, towards_top: bool) -> np.ndarray:
    ramp = np.power(4.0, np.arange(n_levels))
    probs = ramp if towards_top else ramp[::-1]
    return probs / probs.sum()


def _normalise(counts: np.ndarray) -> np.ndarray:
    counts = counts + PSEUDO_COUNT
    return counts / counts.sum()


def fit_em(
    levels: np.ndarray, n_levels: dict[str, int], *, prior: float = 0.05, max_iter: int = 100, tol: float = 1e-6
) -> FSModel:
    """Estimate m, u and the match prior from the candidate pairs' levels alone (no truth labels).

    Starts from m concentrated on exact agreement and u on disagreement, so the latent class called "match"
    is the one that agrees; the M-step uses only pairs where the field is present.
    """
    names = tuple(n_levels)
    m = [_initial(n_levels[f], True) for f in names]
    u = [_initial(n_levels[f], False) for f in names]
    onehots = [[levels[:, k] == lvl for lvl in range(n_levels[f])] for k, f in enumerate(names)]
    model = FSModel(names, tuple(m), tuple(u), prior, 0)
    if len(levels) == 0:
        return model
    for it in range(1, max_iter + 1):
        g = model.posterior(levels)
        new_prior = float(np.clip(g.mean(), _EPS, 1 - _EPS))
        m = [_normalise(np.array([g[mask].sum() for mask in masks])) for masks in onehots]
        u = [_normalise(np.array([(1 - g[mask]).sum() for mask in masks])) for masks in onehots]
        shift = abs(new_prior - model.prior) + max(float(np.abs(a - b).max()) for a, b in zip(m, model.m, strict=True))
        model = FSModel(names, tuple(m), tuple(u), new_prior, it)
        if shift < tol:
            break
    return model
