"""Exact answers recomputed in plain Python from the stored rows: an independent check of the SQL tools."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from groundswell.core.query import Filters, QueryPlan, Viewer, Vocabulary
from groundswell.core.segments import segment_in
from groundswell.graph.tools import is_visible
from groundswell.storage.citations import get_cited_units
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.models import AccountSnapshot, Classification, FeedbackUnit
from sqlmodel import col, select


@dataclass(frozen=True)
class Row:
    id: str
    source: str
    created_at: datetime
    account_id: str | None
    segment: str | None
    leaf: str | None
    sentiment: str | None
    intent: str | None
    severity: str | None
    renewal: object | None  # the account's latest snapshot renewal date


def load_rows(engine: Engine, version: int) -> list[Row]:
    with session_scope(engine) as session:
        units = list(session.exec(select(FeedbackUnit).where(col(FeedbackUnit.deleted_at).is_(None))))
        live = [u for u in units if u.duplicate_of is None]
        classes = {
            c.unit_id: c for c in session.exec(select(Classification).where(Classification.taxonomy_version == version))
        }
        cited = {c.id: c for c in get_cited_units(session=session, ids=[u.id for u in live])}
        latest: dict[int, AccountSnapshot] = {}
        for snap in session.exec(select(AccountSnapshot).order_by(col(AccountSnapshot.valid_from))):
            latest[snap.account_id] = snap
    rows = []
    for u in live:
        c, info = classes.get(u.id), cited[u.id]
        snap = latest.get(u.account_id) if u.account_id is not None else None
        rows.append(
            Row(
                id=u.id,
                source=u.source,
                created_at=info.created_at,
                account_id=info.account_id,
                segment=info.segment,
                leaf=(c.subtheme_key or c.theme_key) if c else None,
                sentiment=c.sentiment if c else None,
                intent=c.intent if c else None,
                severity=c.severity if c else None,
                renewal=snap.renewal_date if snap else None,
            )
        )
    return rows


def _leaves(keys: list[str], vocabulary: Vocabulary) -> set[str]:
    found = set(keys)
    changed = True
    while changed:
        below = {t.key for t in vocabulary.themes if t.parent_key in found}
        changed = not below <= found
        found |= below
    return found


def matches(row: Row, filters: Filters, vocabulary: Vocabulary, as_of: datetime, viewer: Viewer) -> bool:
    if not is_visible(viewer, row.source, row.account_id, row.segment):
        return False
    w = filters.window
    checks = [
        w is None or w.start <= row.created_at < w.end,
        not filters.themes or row.leaf in _leaves(filters.themes, vocabulary),
        not filters.segments or segment_in(row.segment, filters.segments),
        not filters.sources or row.source in filters.sources,
        not filters.accounts or row.account_id in filters.accounts,
        not filters.sentiments or row.sentiment in filters.sentiments,
        not filters.intents or row.intent in filters.intents,
        not filters.severities or row.severity in filters.severities,
    ]
    if filters.renewing_within_days is not None:
        horizon = (as_of + timedelta(days=filters.renewing_within_days)).date()
        checks.append(row.renewal is not None and as_of.date() <= row.renewal <= horizon)  # type: ignore[operator]
    return all(checks)


def select_rows(
    rows: list[Row], plan: QueryPlan, vocabulary: Vocabulary, viewer: Viewer, filters: Filters | None = None
) -> list[Row]:
    return [r for r in rows if matches(r, filters or plan.filters, vocabulary, plan.as_of, viewer)]


def group_counts(rows: list[Row], group_by: str) -> Counter[str]:
    key = {"theme": lambda r: r.leaf, "source": lambda r: r.source, "segment": lambda r: r.segment}[group_by]
    return Counter(k for r in rows if (k := key(r)))
