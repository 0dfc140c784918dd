"""Scoring a PII detector on labelled spans (pure): overlap with a gold span of the same type counts as a hit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from time import perf_counter
from typing import Any

__all__ = [
    "GoldSpan",
    "PiiExample",
    "canonical_type",
    "evaluate_detector",
    "f_beta",
    "parse_example",
    "score_predictions",
]

# Synonyms seen in other labelled sets, mapped onto Presidio names (output always uses Presidio names).
_SYNONYMS = {
    "EMAIL": "EMAIL_ADDRESS",
    "PHONE": "PHONE_NUMBER",
    "PHONE_NUM": "PHONE_NUMBER",
    "CARD": "CREDIT_CARD",
    "CREDIT_CARD_NUMBER": "CREDIT_CARD",
    "IBAN": "IBAN_CODE",
    "SSN": "US_SSN",
    "IP": "IP_ADDRESS",
    "PER": "PERSON",
    "NAME": "PERSON",
    "SECRET": "API_KEY",
    "DOMAIN_NAME": "URL",
}


def canonical_type(name: str) -> str:
    upper = name.strip().upper()
    return _SYNONYMS.get(upper, upper)


@dataclass(frozen=True)
class GoldSpan:
    start: int
    end: int
    type: str


@dataclass(frozen=True)
class PiiExample:
    text: str
    spans: tuple[GoldSpan, ...]


def parse_example(record: Mapping[str, Any]) -> PiiExample:
    """One dataset line: ``{"text": ..., "spans": [{"start", "end", "type"}, ...]}``."""
    spans = tuple(GoldSpan(int(s["start"]), int(s["end"]), canonical_type(str(s["type"]))) for s in record["spans"])
    return PiiExample(str(record["text"]), spans)


def f_beta(precision: float, recall: float, beta: float = 2.0) -> float:
    if precision <= 0 and recall <= 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (b2 * precision + recall)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


@dataclass
class _Counts:
    true_pred: int = 0  # predictions overlapping a gold span of their type
    pred: int = 0
    found_gold: int = 0  # gold spans overlapped by a prediction of their type
    gold: int = 0

    def metrics(self) -> dict[str, float]:
        precision = self.true_pred / self.pred if self.pred else (1.0 if not self.gold else 0.0)
        recall = self.found_gold / self.gold if self.gold else 1.0
        return {"precision": round(precision, 4), "recall": round(recall, 4), "f2": round(f_beta(precision, recall), 4)}


def score_predictions(
    pairs: Iterable[tuple[Sequence[GoldSpan], Sequence[Any]]], types: Iterable[str] | None = None
) -> dict[str, Any]:
    """Micro precision/recall/F2 overall and per type.

    ``pairs``: (gold spans, predicted spans) per text; predictions need ``start``, ``end``, ``type``. ``types``
    limits scoring to those entity types (gold spans of other types, e.g. STREET_ADDRESS, are then ignored); by
    default every type seen in gold or predictions counts.
    """
    allowed = frozenset(types) if types is not None else None
    per_type: dict[str, _Counts] = {}
    for gold, predicted in pairs:
        gold_spans = [g for g in gold if allowed is None or g.type in allowed]
        pred_spans = [p for p in predicted if allowed is None or p.type in allowed]
        for g in gold_spans:
            counts = per_type.setdefault(g.type, _Counts())
            counts.gold += 1
            counts.found_gold += any(p.type == g.type and _overlaps(p.start, p.end, g.start, g.end) for p in pred_spans)
        for p in pred_spans:
            counts = per_type.setdefault(p.type, _Counts())
            counts.pred += 1
            counts.true_pred += any(g.type == p.type and _overlaps(p.start, p.end, g.start, g.end) for g in gold_spans)
    total = _Counts(
        sum(c.true_pred for c in per_type.values()),
        sum(c.pred for c in per_type.values()),
        sum(c.found_gold for c in per_type.values()),
        sum(c.gold for c in per_type.values()),
    )
    return {
        **total.metrics(),
        "per_type": {name: {**c.metrics(), "support": c.gold} for name, c in sorted(per_type.items())},
    }


def evaluate_detector(
    detect: Any, examples: Sequence[PiiExample], types: Iterable[str], on_progress: Any = None
) -> dict[str, Any]:
    """Runs ``detect(text) -> spans`` on every example and scores it; adds ``texts`` and ``seconds``."""
    started = perf_counter()
    pairs = []
    for index, example in enumerate(examples, 1):
        pairs.append((example.spans, detect(example.text)))
        if on_progress is not None:
            on_progress(index)
    seconds = perf_counter() - started
    return {**score_predictions(pairs, types), "texts": len(examples), "seconds": round(seconds, 3)}
