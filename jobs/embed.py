"""Embed units that need it and keep the vector index in step with the database."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from datetime import datetime
from time import perf_counter
from typing import Any

import numpy as np
from groundswell.core.classify.llm import UnitLabeller
from groundswell.core.protocols import Embedder, VectorIndex
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.jobs.classify import classify_units
from groundswell.storage.classifications import theme_keys
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.identity import AccountFacts, list_account_facts
from groundswell.storage.models import FeedbackUnit
from groundswell.storage.units import mark_embedded, units_needing_embedding

__all__ = ["embed_pending", "remove_vectors", "unit_metadata"]


class SegmentLookup:
    """Segment of an account at a moment, from its dated snapshots loaded once."""

    def __init__(self, facts: dict[int, list[AccountFacts]]) -> None:
        self._facts = facts
        self._starts = {account: [f.valid_from for f in rows] for account, rows in facts.items()}

    def segment(self, account_id: int | None, moment: datetime) -> str | None:
        if account_id is None or account_id not in self._facts:
            return None
        rows = self._facts[account_id]
        index = max(bisect_right(self._starts[account_id], moment) - 1, 0)
        return rows[index].segment


def unit_metadata(unit: FeedbackUnit, segment: str | None, theme: str | None = None) -> dict[str, Any]:
    """What the vector index can filter on; Chroma refuses None values, so they are dropped."""
    meta: dict[str, Any] = {
        "source": unit.source,
        "channel": unit.channel,
        "created_at": int(unit.created_at.timestamp()),
        "account_id": unit.account_id,
        "segment": segment,
        "theme": theme,
    }
    return {key: value for key, value in meta.items() if value is not None}


def embed_pending(
    *,
    engine: Engine,
    embedder: Embedder,
    index: VectorIndex,
    batch_size: int = 2048,  # large windows let the embedder sort by length and pad less
    tick: Callable[[int], None] | None = None,
    classifier: UnitLabeller | None = None,
    telemetry: Telemetry = NO_TELEMETRY,
) -> tuple[int, float]:
    """Embed every live unit without a vector; returns (units embedded, seconds spent in the embedder).
    Each batch is counted in ``telemetry`` (stages embed and, with a classifier, classify) once stored."""
    with session_scope(engine) as session:
        lookup = SegmentLookup(list_account_facts(session=session))
    done, embed_seconds = 0, 0.0
    while True:
        with session_scope(engine) as session:
            units = units_needing_embedding(session=session, limit=batch_size)
            if not units:
                return done, embed_seconds
            started = perf_counter()
            vectors = embedder.embed([unit.text for unit in units])
            embed_seconds += perf_counter() - started
            themes: dict[str, str | None] = {}
            if classifier is not None:  # classify with the vectors just made: no second embedding pass
                classify_units(session=session, classifier=classifier, units=units, vectors=np.asarray(vectors))
                themes = theme_keys(session=session, version=classifier.taxonomy.version, ids=[u.id for u in units])
            index.upsert(
                [unit.id for unit in units],
                vectors,
                [
                    unit_metadata(unit, lookup.segment(unit.account_id, unit.created_at), themes.get(unit.id))
                    for unit in units
                ],
            )
            mark_embedded(session=session, ids=[unit.id for unit in units])
        done += len(units)
        telemetry.count_processed("embed", len(units))
        if classifier is not None:
            telemetry.count_processed("classify", len(units))
        if tick:
            tick(len(units))


def remove_vectors(*, index: VectorIndex, unit_ids: Sequence[str]) -> None:
    if unit_ids:
        index.delete(list(unit_ids))
