"""Plan accuracy against question specs (the demo's ``_truth/questions.jsonl`` format).

A spec names filters the way the demo's ground truth does (theme as "Parent > Leaf" or a parent name, one
segment/source/...). Each is turned into plan terms with the vocabulary and compared field by field.
A question about a theme the vocabulary lacks is correct when the planner asks back (``clarify``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from groundswell.core.errors import QueryError
from groundswell.core.query import Exclusions, Filters, QueryPlan, Vocabulary
from groundswell.graph.spec import theme_key_for

__all__ = ["FIELDS", "expected_theme_key", "score_plan", "summarize"]

_THEMES = ("theme", "parent_theme")
FIELDS = ("kind", "metric", "group_by", "k", "window", "previous_window", "theme", "segment", "source",
          "sentiment", "intent", "severity", "accounts", "exclude", "extras")  # fmt: skip
_EXTRAS = ("arr_min", "arr_max", "at_risk_signals")
_EXCLUDED = {name[:-1]: name for name in Exclusions.model_fields}  # spec key (singular) -> Exclusions field


def expected_theme_key(spec_theme: str, vocabulary: Vocabulary) -> str | None:
    """The theme key a spec's "Parent > Leaf" path or parent name means; None when the vocabulary lacks it."""
    try:
        return theme_key_for(spec_theme, vocabulary)
    except QueryError:
        return None


def _kind(spec: dict[str, Any]) -> str:
    if spec["kind"] == "set":
        return "quotes" if spec.get("of", "signal_id") == "signal_id" else "set"
    return spec["kind"]


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _same_window(plan_window: Any, spec_window: dict[str, str] | None, whole: dict[str, str] | None) -> bool:
    if spec_window is None:
        return plan_window is None
    if plan_window is None:
        return spec_window == whole
    return (_iso(plan_window.start), _iso(plan_window.end)) == (spec_window["start"], spec_window["end"])


def _one(values: Sequence[str], expected: str | None) -> bool:
    """One expected value; case aside (a CRM may store "mid-market" for the spec's "Mid-Market")."""
    return [v.casefold() for v in values] == ([expected.casefold()] if expected else [])


def score_plan(
    plan: QueryPlan, spec: dict[str, Any], vocabulary: Vocabulary, *, whole: dict[str, str] | None = None
) -> dict[str, bool]:
    """Per-field correctness of ``plan`` for ``spec`` (fields the spec type does not use count as correct)."""
    filters, f = spec.get("filters", {}), plan.filters
    theme = expected_theme_key(filters["theme"], vocabulary) if filters.get("theme") else None
    kind = _kind(spec)
    ranking = kind == "ranking"
    return {
        "kind": plan.kind == kind,
        "metric": plan.metric == spec.get("metric", "count") or kind not in ("ranking", "number"),
        "group_by": plan.group_by == spec.get("group_by", "theme") or not ranking,
        # "per source" / "which segments" want every value: any k that covers them all is right
        "k": plan.k == spec.get("k", 5) or not ranking or (plan.group_by not in _THEMES and plan.k >= spec.get("k", 5)),
        "window": _same_window(f.window, filters.get("window"), whole),
        "previous_window": _same_window(plan.previous_window, spec.get("previous_window"), None),
        "theme": _one(f.themes, theme),
        "segment": _one(f.segments, filters.get("segment")),
        "source": _one(f.sources, filters.get("source")),
        "sentiment": _one(f.sentiments, filters.get("sentiment")),
        "intent": _one(f.intents, filters.get("intent")),
        "severity": _one(f.severities, filters.get("severity")),
        # the demo lists the accounts renewing within N days; a plan says "renewing within N days"
        "accounts": _accounts(plan, filters),
        # values ruled out ({"exclude": {"source": "intercom"}}: one value per field, theme as a spec path)
        "exclude": _excluded(plan, filters.get("exclude", {}), vocabulary),
        # ARR bounds, at-risk signals and parts the plan cannot honour (defaults when the spec names none)
        "extras": all(getattr(f, name) == filters.get(name, Filters.model_fields[name].default) for name in _EXTRAS)
        and bool(plan.unsupported) == bool(spec.get("unsupported")),
    }


def _accounts(plan: QueryPlan, filters: dict[str, Any]) -> bool:
    f, accounts = plan.filters, filters.get("account_ids")
    if "renewing_within_days" in filters:
        return f.renewing_within_days == filters["renewing_within_days"]
    if accounts is not None:
        return f.renewing_within_days is not None or sorted(f.accounts) == sorted(accounts)
    return f.renewing_within_days is None and not f.accounts


def _excluded(plan: QueryPlan, spec: dict[str, str], vocabulary: Vocabulary) -> bool:
    ex = plan.filters.exclude
    for name, field in _EXCLUDED.items():
        value = spec.get(name)
        if name == "theme" and value:
            value = expected_theme_key(value, vocabulary)
        if not _one(getattr(ex, field), value):
            return False
    return True


def _rate(n: int, d: int) -> float | None:
    return round(n / d, 4) if d else None


def summarize(
    questions: list[dict[str, Any]],
    planner: Callable[[str], QueryPlan],
    vocabulary: Vocabulary,
    *,
    whole: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Overall and per-field accuracy; questions about themes missing from the vocabulary scored apart."""
    per_field = dict.fromkeys(FIELDS, 0)
    answerable, exact, missing, clarified, failures = 0, 0, 0, 0, []
    for q in questions:
        spec = q["expected"]
        plan = planner(q["question"])
        theme = spec.get("filters", {}).get("theme")
        if theme and expected_theme_key(theme, vocabulary) is None:
            missing += 1
            clarified += plan.kind == "clarify"
            if plan.kind != "clarify":
                failures.append({"id": q.get("id"), "question": q["question"], "wrong": ["clarify"]})
            continue
        answerable += 1
        scores = score_plan(plan, spec, vocabulary, whole=whole)
        for name, ok in scores.items():
            per_field[name] += ok
        wrong = [name for name, ok in scores.items() if not ok]
        exact += not wrong
        if wrong:
            failures.append({"id": q.get("id"), "question": q["question"], "wrong": wrong, "plan_kind": plan.kind})
    return {
        "questions": len(questions),
        "answerable": answerable,
        "plan_accuracy": _rate(exact, answerable),
        "fields": {name: _rate(n, answerable) for name, n in per_field.items()},
        "missing_theme": {"questions": missing, "clarified": clarified, "rate": _rate(clarified, missing)},
        "failures": failures,
    }
