"""Representative quotes for an answer: diverse, recent, from distinct customers, optionally on topic.

Candidates always come from ``storage.analytics.quote_candidates`` (the plan's filters and the viewer's
scopes applied in SQL); semantic search only proposes and orders ids, it never widens what may be quoted.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.answer import CitedQuote
from core.protocols import Embedder, VectorIndex
from core.query import QueryPlan, Viewer
from storage.analytics import QuoteCandidate, quote_candidates
from storage.db import Session
from storage.vectors import build_where

__all__ = ["CANDIDATE_POOL", "choose_diverse", "representative_quotes"]

CANDIDATE_POOL = 200


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def choose_diverse(candidates: Sequence[QuoteCandidate], n: int, *, spread_themes: bool = True) -> list[QuoteCandidate]:
    """Up to ``n`` in the given order of preference: first new customers on new themes (``spread_themes``),
    then new customers, then anyone; the same text (after case and space folding) is never quoted twice."""
    chosen: list[QuoteCandidate] = []
    texts: set[str] = set()
    customers: set[str] = set()
    themes: set[str | None] = set()
    passes = (
        lambda c: spread_themes and c.customer not in customers and c.theme_key not in themes,
        lambda c: c.customer not in customers,
        lambda c: True,
    )
    for accept in passes:
        for c in candidates:
            if len(chosen) >= n:
                return chosen
            key = _norm(c.text)
            if key in texts or not key or not accept(c):
                continue
            chosen.append(c)
            texts.add(key)
            customers.add(c.customer)
            themes.add(c.theme_key)
    return chosen


def _semantic_order(
    session: Session, plan: QueryPlan, viewer: Viewer, embedder: Embedder, index: VectorIndex, pool: int
) -> list[QuoteCandidate]:
    filters = plan.filters
    sources = set(filters.sources) if filters.sources else None
    if viewer.sources is not None:
        sources = set(viewer.sources) if sources is None else sources & viewer.sources
    if sources is not None and not sources:
        return []
    window = filters.window
    where = build_where(
        sources=sorted(sources) if sources is not None else None,
        since=window.start if window else None,
        until=window.end if window else None,
    )
    hits = index.query(embedder.embed([filters.text or ""])[0], k=pool, where=where)
    scores = {hit.unit_id: hit.score for hit in hits}
    if not scores:
        return []
    allowed = quote_candidates(session=session, plan=plan, viewer=viewer, limit=len(scores), among=list(scores))
    return sorted(allowed, key=lambda c: (-scores[c.unit_id], -c.created_at.timestamp(), c.unit_id))


def representative_quotes(
    *,
    session: Session,
    plan: QueryPlan,
    viewer: Viewer,
    limit: int | None = None,
    embedder: Embedder | None = None,
    index: VectorIndex | None = None,
    pool: int = CANDIDATE_POOL,
    first_number: int = 1,
) -> list[CitedQuote]:
    """``limit`` (default ``plan.quotes``) quotes the viewer may see, numbered from ``first_number``.

    With ``plan.filters.text`` and an embedder and index, the closest units come first (spread over
    customers); otherwise each customer's most recent unit, spread over customers and themes.
    """
    n = plan.quotes if limit is None else limit
    if n <= 0:
        return []
    candidates: list[QuoteCandidate] = []
    if plan.filters.text and embedder is not None and index is not None:
        candidates = _semantic_order(session, plan, viewer, embedder, index, pool)
    semantic = bool(candidates)  # relevance first: spread over customers only
    if not candidates:
        candidates = quote_candidates(session=session, plan=plan, viewer=viewer, limit=pool)
    return [
        CitedQuote(
            n=first_number + i,
            unit_id=c.unit_id,
            text=c.text,
            source=c.source,
            created_at=c.created_at,
            url=c.url,
            account=c.account,
            segment=c.segment,
            theme=c.theme,
        )
        for i, c in enumerate(choose_diverse(candidates, n, spread_themes=not semantic))
    ]
