"""Tables of live sources, part of ``storage.models`` (imported and re-exported there)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["BudgetCounter", "PushRequest", "SchemaDriftEvent"]


class SchemaDriftEvent(SQLModel, table=True):
    """A field a connector relies on that records stopped carrying as declared; one row per source, path and
    problem, with how often it was seen and a few examples."""

    __tablename__ = "schema_drift_event"
    __table_args__ = (UniqueConstraint("source", "path", "problem", name="uq_drift_field"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    path: str
    problem: str  # missing | renamed | retyped
    expected: str
    found: str | None = None
    count: int = 0
    examples: list[Any] = _json(list)  # up to 5: {"external_id", "example"}
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None = None


class PushRequest(SQLModel, table=True):
    """One accepted push to ``POST /ingest/{source}`` by idempotency key: a retry gets the first answer."""

    __tablename__ = "push_request"
    __table_args__ = (UniqueConstraint("source", "idempotency_key", name="uq_push_key"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    idempotency_key: str
    body_sha256: str
    response: dict[str, Any] = _json(dict)
    created_at: datetime


class BudgetCounter(SQLModel, table=True):
    """Shared budget state (``storage.budgets``): a token bucket (``value`` tokens at ``stamp`` seconds) or a
    spend counter (``value`` spent; ``stamp`` unused). Keys are ``rate:<source>:<method>:<rate>`` or
    ``spend:<name>:<day>``."""

    __tablename__ = "budget_counter"

    key: str = Field(primary_key=True)
    value: float = 0.0
    stamp: float = 0.0
