"""Identity: accounts, domains, dated account facts, people, identifiers, merge events and constraints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from groundswell.storage.models.columns import _json
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "Account",
    "AccountDomain",
    "AccountSnapshot",
    "IdentityConstraint",
    "IdentityEvent",
    "Person",
    "PersonIdentifier",
]


class Account(SQLModel, table=True):
    """A customer company."""

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, index=True, unique=True)  # CRM id
    name: str
    parent_id: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime


class AccountDomain(SQLModel, table=True):
    domain: str = Field(primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)


class AccountSnapshot(SQLModel, table=True):
    """An account's facts from ``valid_from`` on: 'ARR at the time' is the latest snapshot not after the date."""

    __tablename__ = "account_snapshot"
    __table_args__ = (UniqueConstraint("account_id", "valid_from", name="uq_snapshot"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    valid_from: datetime
    arr: float | None = None
    plan: str | None = None
    segment: str | None = Field(default=None, index=True)
    region: str | None = None
    renewal_date: date | None = None
    health: float | None = None
    lifecycle: str | None = None
    churn_risk: float | None = None


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    display_name: str | None = None
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    created_at: datetime
    erased_at: datetime | None = None  # deletion on request


class PersonIdentifier(SQLModel, table=True):
    """An email, phone, handle or CRM id that points at a person (normalised value)."""

    __tablename__ = "person_identifier"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_identifier"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str  # email | phone | handle | crm_id | source_user
    value: str
    source: str | None = None
    confidence: float = 1.0


class IdentityEvent(SQLModel, table=True):
    """A merge or split of people or accounts, with evidence; reversible."""

    __tablename__ = "identity_event"

    id: int | None = Field(default=None, primary_key=True)
    action: str  # merge | split | link_account
    subject_kind: str = "person"
    winner_id: int | None = None
    loser_id: int | None = None
    confidence: float = 1.0
    evidence: dict[str, Any] = _json(dict)
    actor: str = "system"
    created_at: datetime
    undone_at: datetime | None = None
    undone_by: str | None = None


class IdentityConstraint(SQLModel, table=True):
    """A human decision resolution must respect: two people are the same (never split) or kept apart."""

    __tablename__ = "identity_constraint"
    __table_args__ = (UniqueConstraint("person_a", "person_b", "kind", name="uq_identity_constraint"),)

    id: int | None = Field(default=None, primary_key=True)
    person_a: int = Field(index=True)  # the smaller person id
    person_b: int = Field(index=True)
    kind: str  # keep_apart | same
    actor: str
    created_at: datetime
