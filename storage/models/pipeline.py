"""Pipeline: CRM opportunities (deals) linked to accounts, for "lost pipeline" questions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = ["Opportunity"]


class Opportunity(SQLModel, table=True):
    """One CRM deal as its source last said; removed when the source deletes it. Never a feedback unit."""

    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_opportunity"),
        Index("ix_opportunity_lost", "is_closed", "is_won", "close_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str
    external_id: str
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    account_ref: str | None = None  # the CRM account id as the source gave it (links late-arriving accounts)
    name: str | None = None
    stage: str | None = None
    is_closed: bool = False
    is_won: bool = False
    amount: float | None = None
    close_date: date | None = None
    loss_reason: str | None = None
    updated_at: datetime | None = None
