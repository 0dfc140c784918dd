"""Small statistics the analytics and alerts share: is a change in a count more than noise?"""

from __future__ import annotations

from scipy.stats import binomtest

__all__ = ["SIGNIFICANCE_LEVEL", "rate_change_p_value"]

SIGNIFICANCE_LEVEL = 0.05


def rate_change_p_value(current: int, previous: int, *, current_span: float = 1.0, previous_span: float = 1.0) -> float:
    """Two-sided p-value that two Poisson counts share one rate (conditional binomial test).

    Given ``current + previous`` events, under equal rates the current count is binomial with
    ``p = current_span / (current_span + previous_span)``; spans are the windows' lengths (any unit).
    """
    if current < 0 or previous < 0:
        raise ValueError("counts must not be negative")
    if current_span <= 0 or previous_span <= 0:
        raise ValueError("window spans must be positive")
    total = current + previous
    if total == 0:
        return 1.0
    share = current_span / (current_span + previous_span)
    return float(binomtest(current, total, share, alternative="two-sided").pvalue)
