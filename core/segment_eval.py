"""Score feedback-unit splitting against planted signals: span IoU matching, precision/recall/F1.

A predicted unit matches a truth signal of the same message when their character spans overlap with
intersection-over-union >= ``IOU_THRESHOLD``; matching is one-to-one and greedy (highest IoU first).
A predicted unit overlapping no truth signal at all is *chatter* (a greeting, a thank-you kept as a unit).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = ["IOU_THRESHOLD", "Scores", "Span", "iou", "score_units"]

IOU_THRESHOLD = 0.5


@dataclass(frozen=True, slots=True)
class Span:
    """A unit or signal: which message, and where in its text."""

    source: str
    external_id: str
    message_id: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.external_id, self.message_id)


@dataclass(slots=True)
class Scores:
    """Counts and ratios of one scoring run (overall, or for one source)."""

    units: int = 0
    signals: int = 0
    matched: int = 0
    chatter: int = 0
    per_source: dict[str, Scores] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.matched / self.units if self.units else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.signals if self.signals else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def chatter_rate(self) -> float:
        return self.chatter / self.units if self.units else 0.0


def iou(a: Span, b: Span) -> float:
    """Intersection over union of two character spans (0 when apart or when both are empty)."""
    overlap = min(a.end, b.end) - max(a.start, b.start)
    if overlap <= 0:
        return 0.0
    union = max(a.end, b.end) - min(a.start, b.start)
    return overlap / union


def _match_message(units: Sequence[Span], signals: Sequence[Span], threshold: float) -> tuple[int, int]:
    """(matched pairs, units overlapping no signal) within one message."""
    pairs = sorted(
        ((iou(u, s), i, j) for i, u in enumerate(units) for j, s in enumerate(signals)),
        key=lambda item: (-item[0], item[1], item[2]),
    )
    used_units: set[int] = set()
    used_signals: set[int] = set()
    matched = 0
    for value, i, j in pairs:
        if value < threshold:
            break
        if i in used_units or j in used_signals:
            continue
        used_units.add(i)
        used_signals.add(j)
        matched += 1
    chatter = sum(1 for u in units if not any(iou(u, s) > 0 for s in signals))
    return matched, chatter


def _group(spans: Iterable[Span]) -> dict[tuple[str, str, str], list[Span]]:
    grouped: dict[tuple[str, str, str], list[Span]] = defaultdict(list)
    for span in spans:
        grouped[span.key].append(span)
    return grouped


def score_units(predicted: Iterable[Span], truth: Iterable[Span], *, threshold: float = IOU_THRESHOLD) -> Scores:
    """Precision, recall, F1 and chatter of ``predicted`` units against ``truth`` signals, overall and per source."""
    units, signals = _group(predicted), _group(truth)
    total = Scores()
    for key in sorted(set(units) | set(signals)):
        message_units, message_signals = units.get(key, []), signals.get(key, [])
        matched, chatter = _match_message(message_units, message_signals, threshold)
        source = total.per_source.setdefault(key[0], Scores())
        for scores in (total, source):
            scores.units += len(message_units)
            scores.signals += len(message_signals)
            scores.matched += matched
            scores.chatter += chatter
    return total
