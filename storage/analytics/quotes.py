"""Quote candidates: the viewer's matching units with what a citation needs, most recent customers first.

Each carries how sure its classification is (per-field confidences, review flag, mixed), read in the same query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from groundswell.storage.analytics.scope import Scope, scoped_units
from groundswell.storage.db import as_utc
from groundswell.storage.models import Classification, FeedbackUnit
from sqlmodel import Session, col

__all__ = ["QuoteCandidate", "list_quote_candidates"]


@dataclass(frozen=True)
class QuoteCandidate:
    """A unit ready to become a ``CitedQuote``: text as stored (PII already redacted), source, link, account."""

    unit_id: str
    text: str
    text_hash: str
    source: str
    created_at: datetime
    url: str | None
    account: str | None  # account name
    account_key: str | None  # CRM id
    segment: str | None  # at the time of the unit
    theme_key: str | None  # leaf theme
    theme: str | None  # "Parent > Leaf"
    customer: str  # a:<account> | p:<person> | u:<unit>: who said it, for diversity
    # how sure the classification is (scope's taxonomy version); None: no confidence stored for that field
    theme_confidence: float | None = None
    sentiment_confidence: float | None = None
    intent_confidence: float | None = None
    severity_confidence: float | None = None
    needs_review: bool = False  # flagged for a reviewer (an uncertain theme)
    mixed: bool = False  # praise and a complaint in one unit

    def confidence(self, field: str) -> float | None:
        """The stored confidence of ``field`` (theme, sentiment, intent or severity)."""
        return getattr(self, f"{field}_confidence", None)


def _float(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def list_quote_candidates(
    *, session: Session, scope: Scope, limit: int, among: Sequence[str] | None = None
) -> list[QuoteCandidate]:
    """Up to ``limit`` units: each customer's most recent first (newest customers first), then their older ones."""
    if limit <= 0:
        return []
    units = scoped_units(scope, among=among)
    c = units.c
    newest = (c.created_at.desc(), c.unit_id.desc())
    ranked = sa.select(
        c.unit_id,
        c.created_at,
        c.source,
        c.account_name,
        c.account_key,
        c.segment,
        c.leaf_key,
        c.customer,
        sa.func.row_number().over(partition_by=c.customer, order_by=newest).label("nth"),
    ).subquery("ranked")
    u, k = FeedbackUnit, Classification
    statement = (
        sa.select(
            ranked, col(u.text), col(u.text_hash), col(u.url), col(k.confidence), col(k.needs_review), col(k.mixed)
        )
        .join(u, col(u.id) == ranked.c.unit_id)
        .outerjoin(k, sa.and_(col(k.unit_id) == ranked.c.unit_id, col(k.taxonomy_version) == scope.version))
        .order_by(ranked.c.nth, ranked.c.created_at.desc(), ranked.c.unit_id.desc())
        .limit(limit)
    )
    out = []
    for row in session.exec(statement):
        m = row._mapping
        theme = scope.themes.get(m["leaf_key"]) if m["leaf_key"] else None
        confidence = m["confidence"] if isinstance(m["confidence"], dict) else {}
        out.append(
            QuoteCandidate(
                unit_id=m["unit_id"],
                text=m["text"],
                text_hash=m["text_hash"] or "",
                source=m["source"],
                created_at=as_utc(m["created_at"]),  # type: ignore[arg-type]
                url=m["url"],
                account=m["account_name"],
                account_key=m["account_key"],
                segment=m["segment"],
                theme_key=m["leaf_key"],
                theme=theme.label if theme else None,
                customer=m["customer"],
                theme_confidence=_float(confidence.get("theme")),
                sentiment_confidence=_float(confidence.get("sentiment")),
                intent_confidence=_float(confidence.get("intent")),
                severity_confidence=_float(confidence.get("severity")),
                needs_review=bool(m["needs_review"]),
                mixed=bool(m["mixed"]),
            )
        )
    return out
