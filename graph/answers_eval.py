"""Scoring for ``groundswell eval answers``: answers against exact expected values, citations, permission leaks.

Definitions (the JSON keys are stable):

- ``number_exactness``: over questions whose expected value is a count, an ARR sum or a comparison
  (current/previous/delta), the share answered exactly (ARR within 0.01).
- ``number_within_5pct``: the same questions, every figure within 5 % of the truth (comparisons: current and
  previous), which separates near misses (duplicate linking, unit splitting) from wrong plans.
- ``ranking_agreement``: over ranking questions, the mean overlap of the top-k keys with the expected top-k
  (``|got ∩ expected| / |expected|``; themes compared by their "Parent > Leaf" label).
- ``set_agreement``: over account-set questions, the mean Jaccard index of the account ids.
- ``citation_validity``: valid citations / citations. A citation is valid when its ``[n]`` is in the text,
  its unit exists (live), the asking viewer may see it, and it lies in the plan's window, sources and segments;
  every ``[n]`` written in the text must be a citation.
- ``permission_leaks``: every question is asked again as a restricted viewer; each cited unit, source,
  segment or account row and freshness entry outside that viewer's scope is one leak (must be 0).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from groundswell.core.answer import Answer
from groundswell.core.query import Viewer
from groundswell.core.segments import segment_in, segment_key
from groundswell.graph.tools import is_visible
from groundswell.storage.citations import CitedUnit

__all__ = ["QuestionScore", "count_leaks", "score_citations", "score_value", "summarize"]

NUMERIC = frozenset({"count", "number", "comparison"})
CITATION = re.compile(r"\[(\d+)\]")
UnitLookup = Callable[[Sequence[str]], list[CitedUnit]]


@dataclass
class QuestionScore:
    id: str
    kind: str
    planned: str  # the plan kind the agent chose
    exact: bool | None = None  # numeric questions
    close: bool | None = None  # numeric questions: every figure within 5 % of the truth
    agreement: float | None = None  # rankings
    set_agreement: float | None = None  # account sets
    citations: int = 0
    valid_citations: int = 0
    leaks: int = 0
    notes: list[str] = field(default_factory=list)


def _equal(got: Any, expected: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(got, dict) and all(_equal(got.get(k), v) for k, v in expected.items())
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        return isinstance(got, int | float) and abs(float(got) - float(expected)) < 0.01
    return bool(got == expected)


def _close(got: Any, expected: Any, tolerance: float = 0.05) -> bool:
    if isinstance(expected, dict):
        keys = [k for k in expected if k != "delta"]  # a difference of two close counts can be far off
        return isinstance(got, dict) and all(_close(got.get(k), expected[k], tolerance) for k in keys)
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(got) - float(expected)) <= tolerance * max(1.0, abs(float(expected)))
    return False


def _segment_label(name: str) -> str:
    """Segments compare as keys: the product stores "mid-market" for a CRM's "Mid-Market"."""
    return segment_key(name) or name


def score_value(score: QuestionScore, spec: Mapping[str, Any], got: Any) -> None:
    """Fill ``score`` from the value the answer gave (``None``: the agent did not produce one)."""
    expected, kind = spec["value"], spec["kind"]
    if kind in NUMERIC:
        score.exact = got is not None and _equal(got, expected)
        score.close = got is not None and _close(got, expected)
    elif kind == "ranking":
        key = _segment_label if spec.get("group_by") == "segment" else str
        want = [key(row["key"]) for row in expected]
        have = {key(row["key"]) for row in got or []}
        score.agreement = (len(have & set(want)) / len(want)) if want else float(not have)
    elif kind == "set" and spec.get("of") == "account_id":
        want_set, have_set = set(expected), set(got or [])
        union = want_set | have_set
        score.set_agreement = len(want_set & have_set) / len(union) if union else 1.0
    else:
        score.notes.append(f"{kind} of {spec.get('of', 'values')} is not scored")


def _in_plan(answer: Answer, unit: CitedUnit) -> bool:
    f = answer.plan.filters
    if f.window is not None and not (f.window.start <= unit.created_at < f.window.end):
        return False
    if f.sources and unit.source not in f.sources:
        return False
    return not (f.segments and not segment_in(unit.segment, f.segments))


def score_citations(answer: Answer, viewer: Viewer, units: UnitLookup) -> tuple[int, int]:
    """(citations, valid ones); a ``[n]`` in the text without a citation counts as an invalid citation."""
    found = {u.id: u for u in units([q.unit_id for q in answer.citations])}
    numbers = {q.n for q in answer.citations}
    written = {int(n) for n in CITATION.findall(answer.text)}
    valid = 0
    for quote in answer.citations:
        unit = found.get(quote.unit_id)
        ok = unit is not None and quote.n in written
        ok = ok and unit is not None and is_visible(viewer, unit.source, unit.account_id, unit.segment)
        valid += bool(ok and unit is not None and _in_plan(answer, unit))
    dangling = len(written - numbers)
    return len(answer.citations) + dangling, valid


def count_leaks(answer: Answer, viewer: Viewer, units: UnitLookup) -> int:
    """Everything in a restricted viewer's answer that lies outside its scope."""
    leaks = 0
    for unit in units([q.unit_id for q in answer.citations]):
        leaks += not is_visible(viewer, unit.source, unit.account_id, unit.segment)
    scopes = {"source": viewer.sources, "segment": viewer.segments, "account": viewer.accounts}
    scope = scopes.get(answer.plan.group_by)
    if scope is not None and answer.plan.kind in ("ranking", "set"):
        inside = (lambda key: segment_in(key, scope)) if answer.plan.group_by == "segment" else scope.__contains__
        leaks += sum(not inside(row.key) for result in answer.results for row in result.rows)
    if viewer.sources is not None:
        leaks += sum(source not in viewer.sources for source in answer.freshness)
    return leaks


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def summarize(scores: Sequence[QuestionScore]) -> dict[str, Any]:
    """The stable keys (plus counts) for a list of question scores."""
    exact = [float(bool(s.exact)) for s in scores if s.exact is not None]
    cited = sum(s.citations for s in scores)
    return {
        "questions": len(scores),
        "number_exactness": _mean(exact),
        "number_within_5pct": _mean([float(bool(s.close)) for s in scores if s.close is not None]),
        "ranking_agreement": _mean([s.agreement for s in scores if s.agreement is not None]),
        "set_agreement": _mean([s.set_agreement for s in scores if s.set_agreement is not None]),
        "citation_validity": round(sum(s.valid_citations for s in scores) / cited, 4) if cited else None,
        "permission_leaks": sum(s.leaks for s in scores),
        "citations": cited,
        "numeric_questions": len(exact),
    }
