"""Scoring for classification evals: accuracy, macro-F1, coverage and per-label precision/recall/F1/support."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from groundswell.core.classify.theme import OTHER, UNKNOWN_LABELS

__all__ = ["read_labelled_csv", "score_labels"]


def _canonical(label: str) -> str:
    """``oos`` and ``other`` are the same "nothing fits" class."""
    return OTHER if label in UNKNOWN_LABELS else label


def score_labels(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Scores with ``oos``/``other`` folded into one ``other`` class.

    ``coverage`` is the share of texts given a real label (not ``other``). ``macro_f1`` averages F1 over every
    label present in the truth (``other`` included when the truth has it); a label never predicted scores 0.
    """
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} truths but {len(predicted)} predictions")
    gold = [_canonical(t) for t in truth]
    pred = [_canonical(p) for p in predicted]
    support, predicted_count = Counter(gold), Counter(pred)
    hits = Counter(g for g, p in zip(gold, pred, strict=True) if g == p)
    per_label: dict[str, dict[str, float | int]] = {}
    for label in sorted(support):
        precision = hits[label] / predicted_count[label] if predicted_count[label] else 0.0
        recall = hits[label] / support[label]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support[label],
        }
    total = len(gold)
    return {
        "accuracy": round(sum(hits.values()) / total, 4) if total else 0.0,
        "macro_f1": round(sum(v["f1"] for v in per_label.values()) / len(per_label), 4) if per_label else 0.0,
        "coverage": round(sum(1 for p in pred if p != OTHER) / total, 4) if total else 0.0,
        "per_label": per_label,
    }


def read_labelled_csv(path: Path) -> tuple[list[str], list[str]]:
    """``text,label`` rows after a header; raises ValueError naming the line of a malformed row."""
    texts: list[str] = []
    labels: list[str] = []
    with Path(path).open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or [h.strip().lower() for h in header[:2]] != ["text", "label"]:
            raise ValueError(f"{path}:1: expected a header 'text,label', got {header!r}")
        for row in reader:
            line = reader.line_num
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != 2:
                raise ValueError(f"{path}:{line}: expected 2 columns (text,label), got {len(row)}")
            text, label = row[0].strip(), row[1].strip()
            if not label:
                raise ValueError(f"{path}:{line}: empty label")
            texts.append(text)
            labels.append(label)
    if not texts:
        raise ValueError(f"{path}: no rows after the header")
    return texts, labels
