"""Exact answers over truth units: the semantics every demo question is computed with.

Semantics (also written to ``_truth/truth.json`` under ``semantics``):

- The counted object is a distinct customer signal (one line of ``units.jsonl``). Duplicates
  (``duplicate_of`` set) are never counted: the original, earlier signal is.
- Time is the signal's ``created_at``; a window ``{start, end}`` is ``[start, end)`` in UTC.
  "Last N days" / "this week" are relative to ``as_of`` (the corpus end): ``[as_of - N days, as_of)``.
- ``theme`` filters match a leaf path ``"Parent > Leaf"`` exactly, or a parent name (all its leaves).
- ``segment`` is the account's segment at the time of the signal (``segment`` field of the unit);
  signals without an account have no segment and never match a segment filter.
- ARR is the account's ARR at the time of the signal (``arr`` field). ARR sums count each distinct
  account once, at its latest matching signal.
- Rankings sort by value descending, then key ascending, and keep the top ``k``.
- ``arr_per_account`` rankings divide that sum by the number of distinct accounts (groups with >= 3 accounts).
- ``growth`` rankings compare ``window`` with ``previous_window`` and keep themes with delta > 0.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["SEMANTICS", "evaluate", "matches"]

SEMANTICS = {
    "counted_object": "distinct customer signals (units.jsonl lines); duplicates (duplicate_of != null) excluded, "
    "the original is counted",
    "time": "signal created_at in [start, end) UTC; relative windows end at as_of",
    "theme": "filter 'Parent > Leaf' matches that leaf; a bare parent name matches all its leaves",
    "segment": "account segment at the time of the signal; signals without account never match",
    "arr": "account ARR at the time of the signal; summed once per distinct account, at its latest matching signal",
    "ranking": "value descending, then key ascending; top k",
    "arr_per_account": "ARR summed as above divided by the number of distinct accounts; groups with >= 3 accounts",
    "growth": "delta = count in window - count in previous_window; only delta > 0; sorted by delta",
    "account_ids": "when present, only signals from these CRM accounts (e.g. accounts renewing within 60 days)",
}


def _path(unit: dict[str, Any]) -> str:
    return f"{unit['theme']} > {unit['subtheme']}"


def matches(unit: dict[str, Any], filters: dict[str, Any]) -> bool:
    if unit.get("duplicate_of"):
        return False
    theme = filters.get("theme")
    if theme and theme not in (_path(unit), unit["theme"]):
        return False
    for key in ("segment", "source", "sentiment", "intent", "severity"):
        if filters.get(key) and unit.get(key) != filters[key]:
            return False
    window = filters.get("window")
    if window and not (window["start"] <= unit["created_at"] < window["end"]):
        return False
    accounts = filters.get("account_ids")
    return not (accounts is not None and unit.get("account_id") not in accounts)


def _select(units: list[dict[str, Any]], filters: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for u in units if matches(u, filters)]


def _key(unit: dict[str, Any], group_by: str) -> str | None:
    return _path(unit) if group_by == "theme" else unit.get(group_by)


def _arr_by_account(units: list[dict[str, Any]]) -> dict[str, float]:
    latest: dict[str, tuple[str, float]] = {}
    for u in units:
        if u.get("account_id") and u.get("arr") is not None:
            prev = latest.get(u["account_id"])
            if prev is None or u["created_at"] >= prev[0]:
                latest[u["account_id"]] = (u["created_at"], float(u["arr"]))
    return {a: v for a, (_, v) in latest.items()}


def _top(values: dict[str, float], k: int) -> list[dict[str, Any]]:
    ordered = sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
    return [{"key": key, "value": value} for key, value in ordered]


def _ranking(units: list[dict[str, Any]], spec: dict[str, Any]) -> list[dict[str, Any]]:
    group_by, metric, k = spec.get("group_by", "theme"), spec.get("metric", "count"), spec.get("k", 5)
    selected = _select(units, spec["filters"])
    if metric == "count":
        return _top(dict(Counter(key for u in selected if (key := _key(u, group_by)))), k)
    if metric in ("arr", "arr_per_account"):
        groups: dict[str, list[dict[str, Any]]] = {}
        for u in selected:
            groups.setdefault(_key(u, group_by) or "", []).append(u)
        arr = {g: _arr_by_account(us) for g, us in groups.items() if g}
        if metric == "arr":
            return _top({g: round(sum(a.values()), 2) for g, a in arr.items()}, k)
        return _top({g: round(sum(a.values()) / len(a), 2) for g, a in arr.items() if len(a) >= 3}, k)
    previous = _select(units, {**spec["filters"], "window": spec["previous_window"]})
    now, before = Counter(_key(u, group_by) for u in selected), Counter(_key(u, group_by) for u in previous)
    deltas = {g: now[g] - before[g] for g in now if g and now[g] > before[g]}
    return [
        {"key": row["key"], "current": now[row["key"]], "previous": before[row["key"]], "delta": row["value"]}
        for row in _top(deltas, k)
    ]


def evaluate(units: list[dict[str, Any]], spec: dict[str, Any]) -> Any:
    """The exact answer to a question spec (``expected`` without ``value``)."""
    kind, filters = spec["kind"], spec["filters"]
    if kind == "count":
        return len(_select(units, filters))
    if kind == "ranking":
        return _ranking(units, spec)
    if kind == "comparison":
        current = len(_select(units, filters))
        previous = len(_select(units, {**filters, "window": spec["previous_window"]}))
        return {"current": current, "previous": previous, "delta": current - previous}
    if kind == "set":
        field = spec.get("of", "signal_id")
        return sorted({u[field] for u in _select(units, filters) if u.get(field)})
    if kind == "number":
        return round(sum(_arr_by_account(_select(units, filters)).values()), 2)
    raise ValueError(f"unknown question kind {kind!r}")
