"""`eval answers --explain`: per question, the pipeline stage where the product's number leaves the truth.

Each planted signal of ``_truth/units.jsonl`` is mapped to the stored unit of its message overlapping it most
(:func:`core.dedupe_eval.map_signals_to_units`). The question's spec is then re-evaluated with the demo's exact
semantics (:func:`demo.answers.evaluate`) over rows that take, stage by stage, more of their facts from the
product instead of the truth:

1. ``units``: the stored units (each with its matched signal's facts; an unmatched unit keeps only its source and
   date): missing, merged or extra units (splitting).
2. ``speakers``: only units attributed to the customer (speaker attribution).
3. ``dates``: the product's ``created_at`` and source (parsing, time zones).
4. ``dedupe``: the product's duplicate links.
5. ``accounts``: the product's account (CRM id), segment and ARR at the time (identity linking, snapshots).
6. ``labels``: the product's theme, sentiment, intent and severity (classification).
7. ``answer``: the value the agent answered (tools and, unless ``--planner spec``, the planner).

A stage's ``error`` is 0 when it agrees with the truth: numbers, relative error (comparisons: mean over current
and previous); rankings, 1 - top-k overlap; sets, 1 - Jaccard. The attribution sums, per stage, how much error it
added over the previous stage. Segment names compare case- and spacing-insensitively (the product stores
canonical keys such as ``mid-market``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from itertools import pairwise
from typing import Any

from groundswell.core.dedupe_eval import Located, map_signals_to_units
from groundswell.demo.answers import evaluate
from groundswell.storage.unit_locations import UnitFacts

__all__ = [
    "STAGES",
    "attribution",
    "explain_question",
    "explainable",
    "print_explain",
    "segment_name",
    "spec_filters",
    "stage_rows",
    "value_error",
]

STAGES = ("truth", "units", "speakers", "dates", "dedupe", "accounts", "labels", "answer")
_ACCOUNT = ("account_id", "segment", "arr")
_LABELS = ("theme", "subtheme", "sentiment", "intent", "severity")
Row = dict[str, Any]


def segment_name(value: Any) -> Any:
    return re.sub(r"[\s_\-]+", "", value).casefold() if isinstance(value, str) else value


def _normalized(rows: list[Row]) -> list[Row]:
    return [{**r, "segment": segment_name(r.get("segment"))} for r in rows]


def spec_filters(spec: Mapping[str, Any]) -> dict[str, Any]:
    """The spec's filters with segments as keys (the rows of :func:`stage_rows` store them so)."""
    return _spec(spec)["filters"]


def _spec(spec: Mapping[str, Any]) -> dict[str, Any]:
    filters = dict(spec.get("filters", {}))
    if filters.get("segment"):
        filters["segment"] = segment_name(filters["segment"])
    return {**spec, "filters": filters}


def _product(unit: UnitFacts) -> Row:
    row = asdict(unit)
    row["created_at"] = unit.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return row


def stage_rows(truth: Sequence[Row], units: Sequence[UnitFacts]) -> dict[str, list[Row]]:
    """The rows each stage counts (``truth``: the planted signals themselves)."""
    located = [
        Located(
            t["signal_id"], t["source"], str(t["external_id"]), str(t["message_id"]), t["char_start"], t["char_end"]
        )
        for t in truth
    ]
    stored = [Located(u.id, u.source, u.external_id, u.message_id, u.char_start, u.char_end) for u in units]
    by_unit: dict[str, Row] = {}
    by_signal = {t["signal_id"]: t for t in truth}
    for signal, unit in sorted(map_signals_to_units(located, stored).items()):
        by_unit.setdefault(unit, by_signal[signal])
    signal_unit = {t["signal_id"]: unit for unit, t in by_unit.items()}
    unit_ids = {u.id for u in units}
    stages: dict[str, list[Row]] = {"truth": list(truth)}
    rows: list[tuple[UnitFacts, Row]] = []
    for unit in units:
        mine = _product(unit)
        base = by_unit.get(unit.id) or {**dict.fromkeys(_ACCOUNT + _LABELS), "duplicate_of": None}
        rows.append((unit, {**mine, **base, "signal_id": base.get("signal_id", unit.id)}))
    # a truth duplicate link points at a signal: follow it to that signal's unit (or keep it as "some original")
    for _, row in rows:
        if row.get("duplicate_of"):
            row["duplicate_of"] = signal_unit.get(row["duplicate_of"], row["duplicate_of"])
    stages["units"] = [dict(r) for _, r in rows]
    rows = [(u, r) for u, r in rows if u.speaker_role == "customer"]
    stages["speakers"] = [dict(r) for _, r in rows]
    for unit, row in rows:
        row |= {"created_at": _product(unit)["created_at"], "source": unit.source}
    stages["dates"] = [dict(r) for _, r in rows]
    for unit, row in rows:
        row["duplicate_of"] = unit.duplicate_of if unit.duplicate_of in unit_ids or not unit.duplicate_of else "?"
    stages["dedupe"] = [dict(r) for _, r in rows]
    for unit, row in rows:
        row |= {key: getattr(unit, key) for key in _ACCOUNT}
    stages["accounts"] = [dict(r) for _, r in rows]
    for unit, row in rows:
        row |= {key: getattr(unit, key) for key in _LABELS}
    stages["labels"] = [dict(r) for _, r in rows]
    return {name: _normalized(rs) for name, rs in stages.items()}


def _relative(got: Any, want: Any) -> float:
    if not isinstance(got, int | float) or not isinstance(want, int | float):
        return 1.0
    return min(1.0, abs(float(got) - float(want)) / max(1.0, abs(float(want))))


def value_error(spec: Mapping[str, Any], got: Any) -> float:
    """0 when ``got`` is the expected value; up to 1 (see the module docstring)."""
    want, kind = spec["value"], spec["kind"]
    if got is None:
        return 1.0
    if kind in ("count", "number"):
        return _relative(got, want)
    if kind == "comparison":
        return (_relative(got.get("current"), want["current"]) + _relative(got.get("previous"), want["previous"])) / 2
    if kind == "ranking":
        keys = [segment_name(r["key"]) for r in want]
        have = {segment_name(r["key"]) for r in got}
        return 1 - len(have & set(keys)) / len(keys) if keys else float(bool(have))
    union = set(want) | set(got)
    return 1 - len(set(want) & set(got)) / len(union) if union else 0.0


def explainable(spec: Mapping[str, Any]) -> bool:
    """Scored questions only (a set of signal ids names truth signals, which stored units cannot)."""
    return spec["kind"] != "set" or spec.get("of") == "account_id"


def explain_question(spec: Mapping[str, Any], stages: Mapping[str, list[Row]], answered: Any) -> dict[str, Any]:
    """Per stage, the value and its error; ``diverges_at``: the first stage that is not exact."""
    clean = _spec({k: v for k, v in spec.items() if k != "value"})
    k = int(spec.get("k", 5))
    if spec["kind"] == "ranking":
        clean["k"] = k + 1  # room for the row of unclassified units, dropped below
    values = {name: _labelled(evaluate(rows, clean), k) for name, rows in stages.items()}
    values["answer"] = answered
    errors = {name: round(value_error(spec, value), 4) for name, value in values.items()}
    first = next((name for name in STAGES if errors[name] > 0), None)
    compact = {name: _compact(value) for name, value in values.items()}
    return {"values": compact, "errors": errors, "diverges_at": first}


def _labelled(value: Any, k: int) -> Any:
    """Without the ranking row of unclassified units (the tools never rank "no theme")."""
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [row for row in value if not str(row.get("key")).startswith("None > ")][:k]
    return value


def _compact(value: Any) -> Any:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [row.get("key") for row in value]
    if isinstance(value, list) and len(value) > 12:
        return {"items": len(value)}
    return value


def attribution(explained: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Per stage: error added over the previous stage (summed over questions), its share, and first divergences."""
    added = dict.fromkeys(STAGES[1:], 0.0)
    first = dict.fromkeys(STAGES, 0)
    for item in explained:
        errors = item["errors"]
        for before, stage in pairwise(STAGES):
            added[stage] += errors[stage] - errors[before]
        if item["diverges_at"]:
            first[item["diverges_at"]] += 1
    total = sum(v for v in added.values() if v > 0) or 1.0
    return {
        stage: {"added_error": round(added[stage], 3), "share": round(max(added[stage], 0) / total, 3)}
        | {"first_divergence": first[stage]}
        for stage in STAGES[1:]
    } | {"truth": {"first_divergence": first["truth"]}}


def print_explain(report: Mapping[str, Any]) -> None:
    """The attribution table, then each question that misses: its value at every stage."""
    from groundswell.cli.output import out

    out.print(f"{'stage':>10}  {'added error':>11}  {'share':>6}  first divergence")
    for stage, row in report["attribution"].items():
        if stage != "truth":
            out.print(f"{stage:>10}  {row['added_error']:>11}  {row['share']:>6}  {row['first_divergence']}")
    for item in report["questions"]:
        if item["diverges_at"]:
            trail = "  ".join(f"{s}={item['values'][s]}" for s in STAGES if item["errors"][s] or s == "truth")
            out.print(f"{item['id']} diverges at {item['diverges_at']}: {trail}"[:400])
