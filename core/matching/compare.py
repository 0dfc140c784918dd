"""Field comparisons for candidate pairs → discrete agreement levels (−1 = missing on either side)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from groundswell.core.matching.records import Prepared
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

__all__ = ["COMPARISONS", "IDENTIFIERS", "NAME_CONFLICT_JW", "Comparison", "compare_pairs"]

#: Below this Jaro-Winkler a present first or last name "clearly differs" (shared inbox / switchboard guard).
NAME_CONFLICT_JW = 0.75
#: Exact agreement on these is a deterministic link unless the names clearly differ.
IDENTIFIERS: tuple[str, ...] = ("email", "phone", "external_id")
MISSING = -1
#: Batches this large are compared on all cores (smaller ones lose more to thread start-up than they gain).
PARALLEL_FROM = 20_000


@dataclass(frozen=True, slots=True)
class Comparison:
    """Levels of all candidate pairs: ``levels[:, k]`` is field ``COMPARISONS[k]``; plus name-swap/conflict flags."""

    levels: np.ndarray  # (n_pairs, n_fields) int8
    swapped: np.ndarray  # (n_pairs,) bool: first/last names matched crosswise
    name_conflict: np.ndarray  # (n_pairs,) bool
    exact: dict[str, np.ndarray]  # identifier name → (n_pairs,) bool exact agreement


#: Comparison fields and their number of agreement levels (0 = disagree … k-1 = exact).
COMPARISONS: dict[str, int] = {
    "first": 4, "last": 4, "street": 4, "city": 3, "postcode": 3, "state": 2,
    "dob": 4, "external_id": 3, "email": 3, "phone": 3, "company": 2,
}  # fmt: skip


def _gather(col: np.ndarray, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b = col[ia], col[ib]
    return a, b, (a != "") & (b != "")


def _score(a: np.ndarray, b: np.ndarray, scorer: object, dtype: type = np.float32) -> np.ndarray:
    if len(a) == 0:
        return np.zeros(0, dtype=dtype)
    workers = -1 if len(a) >= PARALLEL_FROM else 1
    return cpdist(list(a), list(b), scorer=scorer, dtype=dtype, workers=workers)  # type: ignore[call-overload]


def _cut(values: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    return sum((values >= c).astype(np.int8) for c in cuts)  # type: ignore[return-value]


def _edit_levels(a: np.ndarray, b: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
    """2 exact, 1 one edit or transposition (or ``extra``), 0 otherwise."""
    dist = _score(a, b, OSA.distance, np.int32)
    near = dist <= 1 if extra is None else (dist <= 1) | extra
    return np.where(dist == 0, 2, np.where(near, 1, 0)).astype(np.int8)


def _names(p: Prepared, ia: np.ndarray, ib: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    fa, fb, fm = _gather(p.first, ia, ib)
    la, lb, lm = _gather(p.last, ia, ib)
    jw = JaroWinkler.normalized_similarity
    direct_f, direct_l = _score(fa, fb, jw), _score(la, lb, jw)
    cross_f, cross_l = _score(fa, lb, jw), _score(la, fb, jw)
    swapped = (cross_f + cross_l) > (direct_f + direct_l) + 0.2
    first = np.where(swapped, cross_f, direct_f)
    last = np.where(swapped, cross_l, direct_l)
    fmask = np.where(swapped, (fa != "") & (lb != ""), fm)
    lmask = np.where(swapped, (la != "") & (fb != ""), lm)
    first = np.where(fmask, first, np.nan)
    last = np.where(lmask, last, np.nan)
    return first, last, swapped, (fmask & (first < NAME_CONFLICT_JW)) | (lmask & (last < NAME_CONFLICT_JW))


def _dob_swap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Day and month exchanged (``19800102`` vs ``19800201``)."""
    return np.fromiter(
        (len(x) == 8 and x != y and x[:4] + x[6:] + x[4:6] == y for x, y in zip(a, b, strict=True)), bool, len(a)
    )


def compare_pairs(p: Prepared, pairs: np.ndarray) -> Comparison:
    """Agreement levels of every field for every candidate pair."""
    ia, ib = pairs[:, 0], pairs[:, 1]
    n = len(pairs)
    levels = np.full((n, len(COMPARISONS)), MISSING, dtype=np.int8)
    first, last, swapped, conflict = _names(p, ia, ib)
    jw = JaroWinkler.normalized_similarity
    exact: dict[str, np.ndarray] = {}

    def put(name: str, mask: np.ndarray, values: np.ndarray) -> None:
        levels[:, list(COMPARISONS).index(name)] = np.where(mask, values, MISSING)

    for name, score in (("first", first), ("last", last)):
        put(name, ~np.isnan(score), _cut(np.nan_to_num(score), (0.80, 0.92, 0.999)))
    a, b, m = _gather(p.street, ia, ib)
    put("street", m, _cut(_score(a, b, fuzz.token_set_ratio), (75.0, 90.0, 99.5)))
    a, b, m = _gather(p.city, ia, ib)
    put("city", m, _cut(_score(a, b, jw), (0.85, 0.999)))
    a, b, m = _gather(p.postcode, ia, ib)
    put("postcode", m, _edit_levels(a, b))
    a, b, m = _gather(p.state, ia, ib)
    put("state", m, (a == b).astype(np.int8))
    a, b, m = _gather(p.dob, ia, ib)
    dist = _score(a, b, OSA.distance, np.int32)
    dob = np.where(dist == 0, 3, np.where((dist <= 1) | _dob_swap(a, b), 2, np.where(dist <= 2, 1, 0)))
    put("dob", m, dob.astype(np.int8))
    a, b, m = _gather(p.external_id, ia, ib)
    put("external_id", m, _edit_levels(a, b))
    exact["external_id"] = m & (a == b)
    a, b, m = _gather(p.email, ia, ib)
    la, lb, _ = _gather(p.email_local, ia, ib)
    exact["email"] = m & (a == b)
    put("email", m, np.where(a == b, 2, np.where(la == lb, 1, 0)).astype(np.int8))
    a, b, m = _gather(p.phone, ia, ib)
    exact["phone"] = m & (a == b)
    put("phone", m, _edit_levels(a, b))
    a, b, m = _gather(p.company, ia, ib)
    put("company", m, (_score(a, b, jw) >= 0.92).astype(np.int8))
    # A shared inbox / switchboard / reused id says nothing when the names clearly differ.
    for name in IDENTIFIERS:
        col = list(COMPARISONS).index(name)
        levels[:, col] = np.where(conflict & exact[name], MISSING, levels[:, col])
    return Comparison(levels=levels, swapped=swapped, name_conflict=conflict, exact=exact)
