"""The detector's output: character spans with Presidio entity type names, and overlap resolution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["ENTITY_TYPES", "PiiSpan", "resolve_overlaps"]

ENTITY_TYPES = (
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "CREDIT_CARD",
    "IBAN_CODE",
    "US_SSN",
    "IP_ADDRESS",
    "URL",
    "PERSON",
    "API_KEY",
)


@dataclass(frozen=True, order=True)
class PiiSpan:
    """``text[start:end]`` is PII of ``type`` (a Presidio entity name) with confidence ``score`` in [0, 1]."""

    start: int
    end: int
    type: str
    score: float

    def overlaps(self, other: PiiSpan) -> bool:
        return self.start < other.end and other.start < self.end


def resolve_overlaps(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Keeps non-overlapping spans, preferring the longest, then the highest score; sorted by start."""
    kept: list[PiiSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), -s.score, s.start)):
        if span.end > span.start and not any(span.overlaps(k) for k in kept):
            kept.append(span)
    return sorted(kept)
