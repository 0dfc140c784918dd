"""Representative quotes for an answer: diverse, recent, from distinct customers, optionally on topic.

Candidates always come from ``storage.analytics.quote_candidates`` (the plan's filters and the viewer's
scopes applied in SQL); semantic search only proposes and orders ids, it never widens what may be quoted.
In a ranking every shown row gets its own quotes: the plan narrowed to that row's group (all other filters
kept), the units closest to the group's centroid first (stored vectors; newest customers first without them),
nudged by recency, spread over customers.

Surer labels come first: the candidates are split into tiers by how certain the classification is on the
fields the plan filters (or groups) on (``certainty_tiers``), and each tier is used up, spread over customers,
before the next; an empty or short tier falls through to the next, so there are quotes whenever there are units.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from groundswell.core.answer import CitedQuote, ResultRow, ToolResult
from groundswell.core.errors import StorageError
from groundswell.core.protocols import Embedder, VectorIndex, VectorReader
from groundswell.core.query import Filters, GroupBy, QueryPlan, Viewer
from groundswell.storage.analytics import QuoteCandidate, quote_candidates
from groundswell.storage.db import Session
from groundswell.storage.vectors import build_where

__all__ = [
    "CANDIDATE_POOL",
    "certainty",
    "certainty_tiers",
    "choose_diverse",
    "label_fields",
    "representative_order",
    "representative_quotes",
    "row_plan",
]

CANDIDATE_POOL = 200
RECENCY_WEIGHT = 0.15  # how much the newest candidate gains over the oldest, on a cosine scale
# the filter a row of each grouping narrows (owner_team has none: such rankings share the plan's quotes)
ROW_FILTER = {
    "theme": "themes",
    "parent_theme": "themes",
    "segment": "segments",
    "plan": "plans",
    "source": "sources",
    "account": "accounts",
    "intent": "intents",
    "sentiment": "sentiments",
    "severity": "severities",
}
CERTAIN_SHARE = 0.1  # the surest tenth of the unflagged candidates is quoted first (a share, not a confidence floor)
# the classified field a grouping's rows depend on
GROUP_FIELD = {"theme": "theme", "parent_theme": "theme", "owner_team": "theme", "sentiment": "sentiment",
               "intent": "intent", "severity": "severity"}  # fmt: skip


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def label_fields(plan: QueryPlan) -> frozenset[str]:
    """The classified fields (theme, sentiment, intent, severity) a quote must be right on to fit the plan."""
    f = plan.filters
    fields = {name for name, values in (("theme", f.themes), ("sentiment", f.sentiments), ("intent", f.intents),
                                        ("severity", f.severities)) if values}  # fmt: skip
    if f.at_risk_signals:
        fields |= {"sentiment", "intent"}
    if plan.kind == "ranking" and plan.group_by in GROUP_FIELD:  # other kinds do not group
        fields.add(GROUP_FIELD[plan.group_by])
    return frozenset(fields)


def certainty(c: QuoteCandidate, fields: frozenset[str]) -> float:
    """The weakest stored confidence among ``fields`` (a field without one counts 0); 1.0 with no fields."""
    return min((c.confidence(name) or 0.0 for name in fields), default=1.0)


def _flagged(c: QuoteCandidate, filters: Filters, fields: frozenset[str]) -> bool:
    """Waiting for review, or a mixed unit quoted for one sentiment (unless mixed units were asked for)."""
    return c.needs_review or (c.mixed and "sentiment" in fields and filters.mixed is not True)


def certainty_tiers(candidates: Sequence[QuoteCandidate], plan: QueryPlan) -> list[list[QuoteCandidate]]:
    """The candidates in three tiers, each in the given order: the surest ``CERTAIN_SHARE`` of the unflagged
    ones (by ``certainty`` on ``label_fields``), the other unflagged ones, then the flagged ones."""
    fields = label_fields(plan)
    flags = [_flagged(c, plan.filters, fields) for c in candidates]
    clear = [c for c, flag in zip(candidates, flags, strict=True) if not flag]
    flagged = [c for c, flag in zip(candidates, flags, strict=True) if flag]
    if not fields or not clear:
        return [clear, flagged]
    scores = [certainty(c, fields) for c in clear]
    cut = sorted(scores, reverse=True)[max(0, math.ceil(len(scores) * CERTAIN_SHARE) - 1)]
    sure = [c for c, score in zip(clear, scores, strict=True) if score >= cut]
    rest = [c for c, score in zip(clear, scores, strict=True) if score < cut]
    return [sure, rest, flagged]


def choose_diverse(
    candidates: Sequence[QuoteCandidate], n: int, *, spread_themes: bool = True,
    tiers: Sequence[Sequence[QuoteCandidate]] | None = None,
) -> list[QuoteCandidate]:  # fmt: skip
    """Up to ``n`` in the given order of preference: first new customers on new themes (``spread_themes``),
    then new customers, then anyone; the same text (after case and space folding) is never quoted twice.

    With ``tiers`` (e.g. ``certainty_tiers``) instead of ``candidates``: each tier is used up that way before
    the next is looked at (a repeated customer in a surer tier beats a new one in a less sure tier)."""
    chosen: list[QuoteCandidate] = []
    texts: set[str] = set()
    customers: set[str] = set()
    themes: set[str | None] = set()
    passes: tuple[Callable[[QuoteCandidate], bool], ...] = (
        lambda c: spread_themes and c.customer not in customers and c.theme_key not in themes,
        lambda c: c.customer not in customers,
        lambda c: True,
    )
    for tier in tiers if tiers is not None else [candidates]:
        for accept in passes:
            for c in tier:
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


def row_plan(plan: QueryPlan, key: str, group_by: GroupBy | None = None) -> QueryPlan | None:
    """``plan`` narrowed to one row's group (``group_by``, default the plan's), every other filter kept; None when
    it cannot be narrowed."""
    field = ROW_FILTER.get(group_by or plan.group_by)
    if field is None:
        return None
    return plan.model_copy(update={"filters": plan.filters.model_copy(update={field: [key]})})


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=False))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def representative_order(candidates: Sequence[QuoteCandidate], index: object | None) -> list[QuoteCandidate]:
    """Closest to the candidates' centroid first, plus up to ``RECENCY_WEIGHT`` for the newest; the given order
    when no vectors can be read (no index, an index that cannot read vectors, or an error)."""
    if not candidates or not isinstance(index, VectorReader):
        return list(candidates)
    try:
        vectors = index.get_vectors([c.unit_id for c in candidates])
    except StorageError:
        return list(candidates)
    if not vectors:
        return list(candidates)
    found = list(vectors.values())
    centroid = [sum(v[i] for v in found) / len(found) for i in range(len(found[0]))]
    times = [c.created_at.timestamp() for c in candidates]
    first, span = min(times), (max(times) - min(times)) or 1.0
    mean = sum(_cosine(v, centroid) for v in found) / len(found)

    def score(c: QuoteCandidate) -> float:
        vector = vectors.get(c.unit_id)
        closeness = _cosine(vector, centroid) if vector is not None else mean  # unknown: an average unit
        return closeness + RECENCY_WEIGHT * (c.created_at.timestamp() - first) / span

    return sorted(candidates, key=lambda c: (-score(c), -c.created_at.timestamp(), c.unit_id))


def _cited(c: QuoteCandidate, n: int, theme: str | None = None) -> CitedQuote:
    return CitedQuote(
        n=n,
        unit_id=c.unit_id,
        text=c.text,
        source=c.source,
        created_at=c.created_at,
        url=c.url,
        account=c.account,
        segment=c.segment,
        theme=theme or c.theme,
    )


def _row_quotes(
    session: Session, plan: QueryPlan, viewer: Viewer, results: Sequence[ToolResult], n: int, index: object | None,
    pool: int, first_number: int,
) -> list[CitedQuote] | None:  # fmt: skip
    """Quotes per shown ranking row, or per rising theme of a comparison (at least one each, ``n`` spread over
    the rows); None: no such rows."""
    if plan.kind == "ranking":
        rows = [r for result in results if result.tool == "ranking" for r in result.rows[: plan.k]]
        group_by = plan.group_by
    else:
        rows = [r for result in results if result.tool == "comparison" for r in result.rows if _rising(r)]
        group_by = "theme"
    plans = [(row, row_plan(plan, row.key, group_by)) for row in rows]
    if not rows or any(p is None for _, p in plans):
        return None
    per_row = max(1, n // len(rows))
    out: list[CitedQuote] = []
    seen: set[str] = set()
    for row, narrowed in plans:
        assert narrowed is not None
        candidates = [
            c
            for c in quote_candidates(session=session, plan=narrowed, viewer=viewer, limit=pool)
            if c.unit_id not in seen
        ]
        tiers = certainty_tiers(representative_order(candidates, index), narrowed)
        for c in choose_diverse((), per_row, spread_themes=False, tiers=tiers):
            seen.add(c.unit_id)
            out.append(_cited(c, first_number + len(out), row.label))
    return out


def _rising(row: ResultRow) -> bool:
    return row.extra.get("mover") == "rising"


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
    results: Sequence[ToolResult] = (),
) -> list[CitedQuote]:
    """``limit`` (default ``plan.quotes``) quotes the viewer may see, numbered from ``first_number``.

    With ``plan.filters.text`` and an embedder and index, the closest units come first (spread over
    customers); otherwise each customer's most recent unit, spread over customers and themes. With ranking
    ``results``: quotes per shown row instead (at least one per row, see ``_row_quotes``); with a comparison's
    rising themes, quotes from those themes.
    """
    n = plan.quotes if limit is None else limit
    if n <= 0:
        return []
    if plan.kind in ("ranking", "comparison") and results and not plan.filters.text:
        per_row = _row_quotes(session, plan, viewer, results, n, index, pool, first_number)
        if per_row is not None:
            return per_row
    candidates: list[QuoteCandidate] = []
    if plan.filters.text and embedder is not None and index is not None:
        candidates = _semantic_order(session, plan, viewer, embedder, index, pool)
    semantic = bool(candidates)  # relevance first: spread over customers only
    if not candidates:
        candidates = quote_candidates(session=session, plan=plan, viewer=viewer, limit=pool)
    chosen = choose_diverse((), n, spread_themes=not semantic, tiers=certainty_tiers(candidates, plan))
    return [_cited(c, first_number + i) for i, c in enumerate(chosen)]
