"""Candidate pairs from several blocking keys; oversized blocks fall back to a sorted neighbourhood."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import lru_cache

import numpy as np
from groundswell.core.matching.records import Prepared, soundex

__all__ = ["BLOCK_CAP", "WINDOW", "blocking_keys", "candidate_pairs"]

#: Blocks up to this size yield all their pairs; larger ones only pairs within ``WINDOW`` in sorted order.
BLOCK_CAP = 40
WINDOW = 8

KeyFn = Callable[[Prepared, int], str]


def _sx(value: str) -> str:
    return soundex(value) if value else ""


def _name_pair(p: Prepared, i: int) -> str:
    """Soundex of both names in sorted order, so first/last swaps land in the same block."""
    a, b = _sx(p.first[i]), _sx(p.last[i])
    return "|".join(sorted((a, b))) if a and b else ""


def blocking_keys() -> dict[str, KeyFn]:
    """Named key functions; an empty key means 'not blocked on this key'."""
    return {
        "names": _name_pair,
        "last_postcode": lambda p, i: f"{_sx(p.last[i])}|{p.postcode[i]}" if p.last[i] and p.postcode[i] else "",
        "first_postcode": lambda p, i: f"{_sx(p.first[i])}|{p.postcode[i]}" if p.first[i] and p.postcode[i] else "",
        "dob": lambda p, i: p.dob[i],
        "last_dob_year": lambda p, i: f"{_sx(p.last[i])}|{p.dob[i][:4]}" if p.last[i] and p.dob[i] else "",
        "first_dob_md": lambda p, i: f"{p.first[i][:2]}|{p.dob[i][4:]}" if p.first[i] and len(p.dob[i]) > 4 else "",
        "external_id": lambda p, i: p.external_id[i],
        "email": lambda p, i: p.email[i],
        "email_local": lambda p, i: p.email_local[i] if len(p.email_local[i]) >= 4 else "",
        "phone": lambda p, i: p.phone[i],
        "street_postcode": lambda p, i: f"{p.street[i][:6]}|{p.postcode[i][:2]}" if p.street[i] else "",
    }


def _sort_key(p: Prepared, i: int) -> str:
    return f"{p.last[i]} {p.first[i]} {p.dob[i]}"


@lru_cache(maxsize=BLOCK_CAP + 1)
def _triu(size: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = np.triu_indices(size, k=1)
    return a, b


def _block_pairs(p: Prepared, members: list[int], out: list[np.ndarray]) -> None:
    idx = np.asarray(members, dtype=np.int64)
    if len(members) <= BLOCK_CAP:
        a, b = _triu(len(members))
        out.append(np.stack([idx[a], idx[b]], axis=1))
        return
    idx = np.asarray(sorted(members, key=lambda i: _sort_key(p, i)), dtype=np.int64)
    for step in range(1, WINDOW + 1):
        out.append(np.stack([idx[:-step], idx[step:]], axis=1))


def candidate_pairs(p: Prepared, keys: dict[str, KeyFn] | None = None) -> np.ndarray:
    """Unique candidate pairs ``(i, j)`` with ``i < j`` (record positions), shape (n, 2), int64."""
    chunks: list[np.ndarray] = [np.empty((0, 2), dtype=np.int64)]
    for fn in (keys or blocking_keys()).values():
        blocks: dict[str, list[int]] = defaultdict(list)
        for i in range(len(p)):
            key = fn(p, i)
            if key:
                blocks[key].append(i)
        for members in blocks.values():
            if len(members) > 1:
                _block_pairs(p, members, chunks)
    pairs = np.concatenate(chunks)
    pairs = np.sort(pairs, axis=1)
    n = max(len(p), 1)
    codes = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)
