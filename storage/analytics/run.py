"""``run_plan``: execute a QueryPlan exactly, as the viewer may see it, and ``quote_candidates`` for citations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from groundswell.core.answer import ToolResult
from groundswell.core.query import QueryPlan, Viewer
from groundswell.storage.analytics.account import run_account
from groundswell.storage.analytics.aggregate import run_count, run_number, run_ranking
from groundswell.storage.analytics.materialize import ScopeCache
from groundswell.storage.analytics.overview import run_overview, run_owners
from groundswell.storage.analytics.priority import run_priority
from groundswell.storage.analytics.quotes import QuoteCandidate, list_quote_candidates
from groundswell.storage.analytics.scope import Scope, open_scope
from groundswell.storage.analytics.series import run_comparison, run_set, run_trend
from sqlmodel import Session

__all__ = ["quote_candidates", "run_plan"]

Runner = Callable[..., ToolResult]


def _ranking(*, session: Session, scope: Scope) -> ToolResult:
    if scope.plan.metric == "priority":
        return run_priority(session=session, scope=scope)
    return run_ranking(session=session, scope=scope)


_RUNNERS: dict[str, Runner] = {
    "count": run_count,
    "quotes": run_count,  # how many units the quotes are drawn from, with evidence ids
    "number": run_number,
    "ranking": _ranking,
    "comparison": run_comparison,
    "trend": run_trend,
    "set": run_set,
    "account": run_account,
    "overview": run_overview,
    "owners": run_owners,
}


def run_plan(*, session: Session, plan: QueryPlan, viewer: Viewer) -> list[ToolResult]:
    """The plan's exact results (``clarify``/``help`` need none). Every figure and id respects ``viewer``."""
    runner = _RUNNERS.get(plan.kind)
    if runner is None:
        return []
    cache = ScopeCache(session)
    scope = open_scope(session=session, plan=plan, viewer=viewer, cache=cache)
    try:
        return [runner(session=session, scope=scope)]
    finally:
        cache.drop()


def quote_candidates(
    *, session: Session, plan: QueryPlan, viewer: Viewer, limit: int, among: Sequence[str] | None = None
) -> list[QuoteCandidate]:
    """Units matching the plan's filters that the viewer may see, ready to cite; ``among`` narrows to given ids."""
    scope = open_scope(session=session, plan=plan, viewer=viewer)
    return list_quote_candidates(session=session, scope=scope, limit=limit, among=among)
