"""The agent's tools over the real storage: exact analytics, representative quotes, freshness, citations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from groundswell.core.answer import CitedQuote, ToolResult
from groundswell.core.privacy import Vault
from groundswell.core.privacy.reveal import reveal_text, tokens_in
from groundswell.core.protocols import Embedder, VectorIndex
from groundswell.core.query import QueryPlan, Viewer, Vocabulary
from groundswell.graph.context import AgentTools
from groundswell.graph.planner import with_releases
from groundswell.graph.quotes import representative_quotes
from groundswell.storage.analytics import run_plan, source_freshness, vocabulary
from groundswell.storage.audit import record_audit
from groundswell.storage.citations import CitedUnit, get_cited_units
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.label_quality import attach_label_quality
from groundswell.storage.privacy import get_ciphertexts
from groundswell.storage.releases import list_releases

__all__ = ["storage_tools"]


def storage_tools(
    engine: Engine,
    *,
    embedder: Embedder | None = None,
    vectors: VectorIndex | None = None,
    vault: Vault | None = None,
) -> AgentTools:
    """Each call opens its own short session (the agent is used from several threads by the Slack app)."""

    def vocab(as_of: datetime, viewer: Viewer) -> Vocabulary:
        with session_scope(engine) as session:
            return with_releases(
                vocabulary(session=session, as_of=as_of, viewer=viewer), list_releases(session=session)
            )

    def run(plan: QueryPlan, viewer: Viewer) -> list[ToolResult]:
        with session_scope(engine) as session:
            results = run_plan(session=session, plan=plan, viewer=viewer)
            attach_label_quality(session=session, plan=plan, results=results)  # what the answer says of its labels
            return results

    def quotes(*, plan: QueryPlan, viewer: Viewer, results: Sequence[ToolResult], limit: int) -> list[CitedQuote]:
        with session_scope(engine) as session:
            return representative_quotes(
                session=session,
                plan=plan,
                viewer=viewer,
                limit=limit,
                embedder=embedder,
                index=vectors,
                results=results,
            )

    def freshness(now: datetime) -> dict[str, dict[str, Any]]:
        with session_scope(engine) as session:
            return source_freshness(session=session, now=now)

    def units(ids: Sequence[str]) -> list[CitedUnit]:
        with session_scope(engine) as session:
            return get_cited_units(session=session, ids=ids)

    def reveal(citations: list[CitedQuote], viewer: Viewer) -> list[CitedQuote]:
        """Originals of the pseudonyms in the quotes, for a viewer allowed to see PII; every reveal audited."""
        if vault is None:
            return citations
        with session_scope(engine) as session:
            wanted = sorted({t for q in citations for t in tokens_in(q.text)})
            originals = {t: vault.decrypt(c) for t, c in get_ciphertexts(session=session, tokens=wanted).items()}
            for quote in citations:
                tokens = tokens_in(quote.text)
                if tokens:
                    details = {"tokens": tokens, "via": "agent"}
                    record_audit(
                        session=session,
                        actor=viewer.name,
                        action="privacy.reveal",
                        target=quote.unit_id,
                        details=details,
                    )
        return [q.model_copy(update={"text": reveal_text(q.text, originals)}) for q in citations]

    return AgentTools(vocabulary=vocab, run_plan=run, quotes=quotes, freshness=freshness, units=units, reveal=reveal)
