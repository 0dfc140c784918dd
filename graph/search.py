"""Semantic search over units, returning citations a reader can open."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from groundswell.core.models import Citation
from groundswell.core.protocols import Embedder, VectorIndex
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.units import get_units
from groundswell.storage.vectors import build_where

__all__ = ["SearchHit", "search_units"]


@dataclass(frozen=True)
class SearchHit:
    text: str
    score: float
    citation: Citation


def search_units(
    *,
    engine: Engine,
    embedder: Embedder,
    index: VectorIndex,
    query: str,
    k: int = 10,
    sources: Sequence[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[SearchHit]:
    """The ``k`` live units closest to ``query`` within the filters, best first, each with its citation."""
    vector = embedder.embed([query])[0]
    where = build_where(sources=list(sources) if sources else None, since=since, until=until)
    hits = index.query(vector, k=k, where=where)
    scores = {hit.unit_id: hit.score for hit in hits}
    with session_scope(engine) as session:
        rows = get_units(session=session, ids=[hit.unit_id for hit in hits])
    return [
        SearchHit(
            text=row.unit.text,
            score=scores[row.unit.id],
            citation=Citation(
                unit_id=row.unit.id,
                source=row.unit.source,
                external_id=row.unit.external_id,
                created_at=row.unit.created_at,
                url=row.unit.url,
                account=row.account_name,
                person=row.person_name,
            ),
        )
        for row in rows
    ]
