"""Exact and near-duplicate feedback: linked to the earliest copy, never deleted, counted once.

Two units are duplicates when the same customer (same person, else same account) says the same
thing within a window, in any source; anonymous units (app reviews) only when the text is the
same after normalisation. Different customers saying similar things are never merged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapidfuzz import fuzz

__all__ = ["DedupeItem", "find_duplicates", "normalize_for_dedupe"]

_NON_WORD = re.compile(r"[^\w\s]")
MIN_WORDS = 6  # "got it, thanks" twice is conversation, not a repeated report


@dataclass(frozen=True)
class DedupeItem:
    unit_id: str
    text: str
    created_at: datetime
    person_id: int | None = None
    account_id: int | None = None


def normalize_for_dedupe(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.lower()).split())


def _same(a: str, b: str, threshold: float) -> bool:
    if min(len(a.split()), len(b.split())) < MIN_WORDS:
        return False
    if a == b:
        return True
    shorter, longer = sorted((len(a), len(b)))
    if shorter / longer < 0.6:  # a greeting or "as I said in my ticket" in front is fine; a new paragraph is not
        return False
    return max(fuzz.ratio(a, b), fuzz.partial_ratio(a, b)) >= threshold


def find_duplicates(
    items: Iterable[DedupeItem], *, window: timedelta = timedelta(days=14), threshold: float = 90.0
) -> dict[str, str]:
    """Map each duplicate unit id to the id of the earliest unit it repeats."""
    # Anonymous items (app reviews) are left alone: identical words from strangers are not the same report.
    known = [item for item in items if item.person_id is not None or item.account_id is not None]
    duplicates: dict[str, str] = {}
    groups: dict[tuple[str, int], list[DedupeItem]] = defaultdict(list)
    for item in known:  # one person, else one account: different customers are never merged
        key = ("p", item.person_id) if item.person_id is not None else ("a", item.account_id or 0)
        groups[key].append(item)
    for members in groups.values():
        members.sort(key=lambda item: (item.created_at, item.unit_id))
        originals: list[tuple[DedupeItem, str]] = []
        for item in members:
            norm = normalize_for_dedupe(item.text)
            match = next(
                (
                    orig
                    for orig, orig_norm in originals
                    if item.created_at - orig.created_at <= window and _same(norm, orig_norm, threshold)
                ),
                None,
            )
            if match is None:
                originals.append((item, norm))
            else:
                duplicates[item.unit_id] = match.unit_id
    return duplicates
