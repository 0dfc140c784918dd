"""The demo's question specs as QueryPlans, and tool results back in the spec's answer shape.

``_truth/questions.jsonl`` holds ``expected = {kind, filters, value, ...}`` (see ``demo/answers.py``).
``plan_from_spec`` turns such a spec into the :class:`QueryPlan` the tools run (theme names resolved
through the :class:`Vocabulary`), and ``answer_value`` reads the tools' result in the shape of
``expected["value"]``, so ``eval answers`` can compare them with ``==``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.core.answer import ToolResult
from groundswell.core.errors import QueryError
from groundswell.core.query import Filters, QueryPlan, Vocabulary, Window

__all__ = ["answer_value", "plan_from_spec", "theme_key_for"]

_SINGLE = {"segment": "segments", "source": "sources", "sentiment": "sentiments", "intent": "intents"}
_SINGLE |= {"severity": "severities"}


def theme_key_for(name: str, vocabulary: Vocabulary) -> str:
    """The key of ``"Parent > Leaf"`` or of a bare theme name (a parent, or else a unique leaf)."""
    wanted = name.casefold().strip()
    if " > " in wanted:
        parent, leaf = (p.strip() for p in wanted.split(" > ", 1))
        found = [
            t.key for t in vocabulary.themes if t.name.casefold() == leaf and (t.parent_name or "").casefold() == parent
        ]
    else:
        found = [t.key for t in vocabulary.themes if t.name.casefold() == wanted and t.parent_key is None]
        found = found or [t.key for t in vocabulary.themes if t.name.casefold() == wanted]
    if len(found) != 1:
        version = vocabulary.taxonomy_version
        raise QueryError(f"theme {name!r} matches {len(found)} themes of taxonomy version {version}")
    return found[0]


def _window(spec: dict[str, str] | None) -> Window | None:
    if not spec:
        return None
    start = datetime.fromisoformat(spec["start"].replace("Z", "+00:00"))
    end = datetime.fromisoformat(spec["end"].replace("Z", "+00:00"))
    return Window(start=start, end=end)


def _filters(spec: dict[str, Any], vocabulary: Vocabulary) -> Filters:
    values: dict[str, Any] = {"window": _window(spec.get("window"))}
    if spec.get("theme"):
        values["themes"] = [theme_key_for(spec["theme"], vocabulary)]
    for single, plural in _SINGLE.items():
        if spec.get(single):
            values[plural] = [spec[single]]
    if spec.get("account_ids") is not None:
        values["accounts"] = list(spec["account_ids"])
    return Filters(**values)


def plan_from_spec(spec: dict[str, Any], *, vocabulary: Vocabulary, as_of: datetime, question: str = "") -> QueryPlan:
    """The plan that answers ``spec`` (an ``expected`` object; its ``value`` is ignored)."""
    kind = spec["kind"]
    plan: dict[str, Any] = {
        "kind": kind,
        "filters": _filters(spec.get("filters", {}), vocabulary),
        "as_of": as_of,
        "taxonomy_version": vocabulary.taxonomy_version,
        "question": question,
        "previous_window": _window(spec.get("previous_window")),
    }
    if kind == "ranking":
        plan |= {"metric": spec.get("metric", "count"), "group_by": spec.get("group_by", "theme")}
        plan["k"] = spec.get("k", 5)
    elif kind == "number":
        plan["metric"] = spec.get("metric", "arr_sum")
    elif kind == "set":
        plan["group_by"] = "account" if spec.get("of") == "account_id" else "theme"
    return QueryPlan(**plan)


def answer_value(spec: dict[str, Any], result: ToolResult) -> Any:
    """``result`` in the shape of ``spec["value"]`` (themes by their "Parent > Leaf" label, like the demo)."""
    kind = spec["kind"]
    if kind == "count":
        return int(result.total or 0)
    if kind == "number":
        return round(float(result.total or 0.0), 2)
    if kind == "comparison":
        row = result.rows[0]
        return {"current": row.count, "previous": int(row.previous or 0), "delta": int(row.delta or 0)}
    if kind == "set":
        return sorted(r.key for r in result.rows)
    if kind == "ranking":
        name = (lambda r: r.label) if spec.get("group_by", "theme") == "theme" else (lambda r: r.key)
        if spec.get("metric") == "growth":
            return [
                {"key": name(r), "current": r.count, "previous": int(r.previous or 0), "delta": int(r.delta or 0)}
                for r in result.rows
            ]
        return [{"key": name(r), "value": _number(r.value)} for r in result.rows]
    raise QueryError(f"unknown question kind {kind!r}")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value
