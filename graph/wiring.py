"""The agent's tools over the real storage: exact analytics, representative quotes, freshness, citations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from storage.analytics import run_plan, source_freshness, vocabulary

from core.answer import CitedQuote, ToolResult
from core.protocols import Embedder, VectorIndex
from core.query import QueryPlan, Viewer, Vocabulary
from graph.context import AgentTools
from graph.quotes import representative_quotes
from storage.citations import CitedUnit, get_cited_units
from storage.db import Engine, session_scope

__all__ = ["storage_tools"]


def storage_tools(
    engine: Engine, *, embedder: Embedder | None = None, vectors: VectorIndex | None = None
) -> AgentTools:
    """Each call opens its own short session (the agent is used from several threads by the Slack app)."""

    def vocab(as_of: datetime, viewer: Viewer) -> Vocabulary:
        with session_scope(engine) as session:
            return vocabulary(session=session, as_of=as_of, viewer=viewer)

    def run(plan: QueryPlan, viewer: Viewer) -> list[ToolResult]:
        with session_scope(engine) as session:
            return run_plan(session=session, plan=plan, viewer=viewer)

    def quotes(*, plan: QueryPlan, viewer: Viewer, results: Sequence[ToolResult], limit: int) -> list[CitedQuote]:
        with session_scope(engine) as session:
            return representative_quotes(
                session=session, plan=plan, viewer=viewer, limit=limit, embedder=embedder, index=vectors
            )

    def freshness(now: datetime) -> dict[str, dict[str, Any]]:
        with session_scope(engine) as session:
            return source_freshness(session=session, now=now)

    def units(ids: Sequence[str]) -> list[CitedUnit]:
        with session_scope(engine) as session:
            return get_cited_units(session=session, ids=ids)

    return AgentTools(vocabulary=vocab, run_plan=run, quotes=quotes, freshness=freshness, units=units)
