"""`quote_support` of `eval answers`: do the quoted units truly say what the answer shows them under?

A quote is *supported* when the truth of its unit (the planted signal the unit was mapped to, see
:func:`cli.evals.explain.stage_rows`) satisfies every filter of the question's spec with the demo's semantics
(:func:`demo.answers.matches`: theme, segment, source, sentiment, intent, severity, window, accounts; a duplicate
still supports what its original says) and, when the answer is a ranking, belongs to the row the quote
illustrates (the row whose label the quote carries; a quote under no row label must belong to one of the shown
rows). A unit mapped to no planted signal supports nothing.

References that make the figure mean something:

- ``random``: the expected support had every quote been drawn at random from the units the product's own labels
  put in the same row under the same filters (``quote_support_random``). The product's figure above it is
  what the choice of quotes adds; the gap to 1.0 below it is label error.
- the top-k retrieval baseline's units (``baseline.quote_support``), scored against the expected rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from groundswell.cli.evals.explain import segment_name
from groundswell.core.answer import Answer
from groundswell.demo.answers import matches

__all__ = [
    "QuoteSupport",
    "answer_support",
    "miss_reason",
    "support_share",
    "truth_by_unit",
    "unit_key",
    "units_support",
]

Row = dict[str, Any]
# a ranking's rows a truth unit can be placed in; other groupings (owner team, plan) are checked on filters only
_KEYED = frozenset({"theme", "parent_theme", "segment", "source", "sentiment", "intent", "severity", "account"})


@dataclass
class QuoteSupport:
    quotes: int = 0
    supported: int = 0
    random: float = 0.0  # expected supported quotes when drawn at random from the same rows (product labels)
    misses: Counter[str] = field(default_factory=Counter)  # why quotes were unsupported (see ``miss_reason``)


def truth_by_unit(stages: Mapping[str, Sequence[Row]]) -> dict[str, Row]:
    """Stored unit id -> the truth of the planted signal it was mapped to (unmapped units are left out)."""
    return {row["id"]: row for row in stages["units"] if row.get("signal_id") != row["id"]}


def unit_key(row: Mapping[str, Any], group_by: str | None) -> str | None:
    """The ranking row a unit (truth or product facts) belongs to, in the answer's label space."""
    if group_by == "theme":
        return f"{row['theme']} > {row['subtheme']}" if row.get("theme") else None
    if group_by == "parent_theme":
        return row.get("theme")
    if group_by == "segment":
        return segment_name(row.get("segment"))
    if group_by == "account":
        return row.get("account_id")
    return row.get(group_by) if group_by else None


def _row_key(key: str, label: str, group_by: str | None) -> str:
    if group_by in ("theme", "parent_theme"):
        return label
    return segment_name(key) if group_by == "segment" else key


def _supports(
    truth: Row | None, filters: Mapping[str, Any], group_by: str | None, rows: Collection[str] | None
) -> bool:
    return miss_reason(truth, filters, group_by, rows) is None


def miss_reason(
    truth: Row | None, filters: Mapping[str, Any], group_by: str | None, rows: Collection[str] | None
) -> str | None:
    """Why a quote does not support its row: ``unplanted``, the first filter its truth fails (``theme``,
    ``sentiment`` …), or ``row`` (it belongs to another row); None when it supports it."""
    if truth is None:
        return "unplanted"
    row = {**truth, "duplicate_of": None}
    for key, value in filters.items():
        if value is not None and not matches(row, {key: value}):
            return key
    if rows is not None and group_by in _KEYED and unit_key(truth, group_by) not in rows:
        return "row"
    return None


def _ranking_rows(answer: Answer) -> dict[str, str]:
    """Label -> row key (truth space) of the rows the answer shows; empty when it is not a ranking."""
    if answer.plan.kind != "ranking":
        return {}
    group_by = answer.plan.group_by
    return {
        row.label: _row_key(row.key, row.label, group_by)
        for result in answer.results
        if result.tool == "ranking"
        for row in result.rows[: answer.plan.k]
    }


def _random_share(
    product: Sequence[Row], truth: Mapping[str, Row], filters: Mapping[str, Any], group_by: str | None,
    rows: Collection[str] | None,
) -> float:  # fmt: skip
    """Share of supporting units among those the product's labels place in ``rows`` under ``filters``."""
    eligible = [
        p
        for p in product
        if matches({**p, "duplicate_of": None}, dict(filters))
        and (rows is None or group_by not in _KEYED or unit_key(p, group_by) in rows)
    ]
    if not eligible:
        return 0.0
    return sum(_supports(truth.get(p["id"]), filters, group_by, rows) for p in eligible) / len(eligible)


def answer_support(
    answer: Answer, filters: Mapping[str, Any], truth: Mapping[str, Row], product: Sequence[Row] = ()
) -> QuoteSupport:
    """Support of ``answer``'s quotes for a question whose spec has ``filters`` (demo semantics, normalised)."""
    shown = _ranking_rows(answer)
    group_by = answer.plan.group_by if shown else None
    score = QuoteSupport()
    candidates = [p for p in product if matches({**p, "duplicate_of": None}, dict(filters))]
    shares: dict[frozenset[str] | None, float] = {}
    for quote in answer.citations:
        own = shown.get(quote.theme or "")
        rows = frozenset({own}) if own is not None else (frozenset(shown.values()) if shown else None)
        score.quotes += 1
        reason = miss_reason(truth.get(quote.unit_id), filters, group_by, rows)
        score.supported += reason is None
        if reason is not None:
            score.misses[reason] += 1
        if rows not in shares:
            shares[rows] = _random_share(candidates, truth, filters, group_by, rows)
        score.random += shares[rows]
    return score


def units_support(
    unit_ids: Sequence[str], spec: Mapping[str, Any], filters: Mapping[str, Any], truth: Mapping[str, Row]
) -> QuoteSupport:
    """Support of units quoted with no rows of their own (the retrieval baseline): rankings use the expected rows."""
    group_by = spec.get("group_by", "theme") if spec["kind"] == "ranking" else None
    rows = None
    if group_by is not None:
        rows = frozenset(segment_name(r["key"]) if group_by == "segment" else r["key"] for r in spec["value"])
    reasons = [miss_reason(truth.get(uid), filters, group_by, rows) for uid in unit_ids]
    misses = Counter(r for r in reasons if r is not None)
    return QuoteSupport(quotes=len(unit_ids), supported=reasons.count(None), misses=misses)


def support_share(scores: Sequence[QuoteSupport]) -> dict[str, Any]:
    """Micro-averaged support (every quote weighs the same), the random reference and why quotes missed."""
    quotes = sum(s.quotes for s in scores)
    if not quotes:
        return {"quote_support": None, "quote_support_random": None, "quotes_scored": 0, "quote_misses": {}}
    misses: Counter[str] = sum((s.misses for s in scores), Counter())
    return {
        "quote_support": round(sum(s.supported for s in scores) / quotes, 4),
        "quote_support_random": round(sum(s.random for s in scores) / quotes, 4),
        "quotes_scored": quotes,
        "quote_misses": dict(misses.most_common()),
    }
