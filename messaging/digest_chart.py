"""The digest's trend chart: matplotlib on the headless Agg backend, one line per top theme, PNG bytes."""

from __future__ import annotations

import io
from collections.abc import Sequence

from groundswell.core.digest import TrendSeries

__all__ = ["render_trend_png"]


def render_trend_png(series: Sequence[TrendSeries], *, title: str) -> bytes:
    """A PNG of the series (empty list: an empty chart saying so). Thread-safe: no pyplot global state."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 3.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for s in series:
        axes.plot(s.buckets, s.counts, marker="o", label=s.label)
    if not series:
        axes.text(0.5, 0.5, "no feedback in the period", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(title)
    axes.set_ylabel("feedback items")
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.tick_params(axis="x", labelrotation=30, labelsize=8)
    if series:
        axes.legend(fontsize=8, loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
