"""All tables, in one module. Times are aware UTC (sqlmodel refuses naive ones).

Layers: ingestion, identity, privacy, understanding (units), taxonomy and classification, workflow.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "Account",
    "AccountDomain",
    "AccountSnapshot",
    "AuditEvent",
    "Classification",
    "FeedbackUnit",
    "IdentityConstraint",
    "IdentityEvent",
    "Person",
    "PersonIdentifier",
    "PseudonymEntry",
    "RawRecordRow",
    "RejectedRecord",
    "Release",
    "Source",
    "SyncState",
    "TaxonomyReprocess",
    "TaxonomyVersion",
    "Theme",
    "ThemeProposal",
    "Ticket",
    "Viewer",
]


def _json(default: Any = None) -> Any:
    return Field(default_factory=(lambda: default() if callable(default) else default), sa_column=Column(JSON))


def _text() -> Any:
    return Field(default="", sa_column=Column(Text, nullable=False))


class Source(SQLModel, table=True):
    """A configured place feedback comes from."""

    name: str = Field(primary_key=True)
    kind: str = "file"  # file | api | webhook
    channel: str = "other"
    expected_cadence_s: int = 86_400  # freshness alarm when older than this
    config: dict[str, Any] = _json(dict)
    created_at: datetime


class SyncState(SQLModel, table=True):
    """Where a source's sync stopped and how it went."""

    source: str = Field(primary_key=True, foreign_key="source.name")
    checkpoint: dict[str, Any] = _json(dict)
    last_started_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    records_seen: int = 0
    accepted: int = 0
    updated: int = 0
    deleted: int = 0
    rejected: int = 0


class RawRecordRow(SQLModel, table=True):
    """A source record verbatim, one row per version; any unit can be rebuilt from here."""

    __tablename__ = "raw_record"
    __table_args__ = (
        UniqueConstraint("source", "external_id", "version", name="uq_raw_version"),
        Index("ix_raw_current", "source", "external_id", "is_current"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(foreign_key="source.name")
    external_id: str
    version: int = 1
    is_current: bool = True
    kind: str
    content_hash: str = Field(index=True)
    payload: dict[str, Any] = _json(dict)
    url: str | None = None
    fetched_at: datetime
    source_created_at: datetime | None = None
    source_updated_at: datetime | None = None
    deleted_at: datetime | None = None


class RejectedRecord(SQLModel, table=True):
    """A record that could not be read, with the reason and the raw bytes as text."""

    __tablename__ = "rejected_record"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(index=True)
    external_id: str | None = None
    reason: str = _text()
    raw: str = _text()
    stage: str = "connector"  # connector | normalize | pipeline
    created_at: datetime


# --- identity ----------------------------------------------------------------------------


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


# --- understanding -------------------------------------------------------------------------


class FeedbackUnit(SQLModel, table=True):
    """One customer signal. Text is stored as redacted; the raw record keeps the original."""

    __tablename__ = "feedback_unit"
    __table_args__ = (
        Index("ix_unit_time", "created_at"),
        Index("ix_unit_source_time", "source", "created_at"),
        Index("ix_unit_account_time", "account_id", "created_at"),
        Index("ix_unit_raw", "source", "external_id"),
    )

    id: str = Field(primary_key=True)  # stable: hash of source, external id, message id, ordinal
    raw_record_id: int = Field(foreign_key="raw_record.id", index=True)
    source: str
    external_id: str
    message_id: str
    ordinal: int = 0
    text: str = _text()
    text_hash: str = Field(index=True)
    speaker_role: str = "customer"
    channel: str = "other"
    thread_ref: str
    context: dict[str, Any] = _json(dict)
    char_start: int = 0
    char_end: int = 0
    created_at: datetime
    locale: str | None = None
    url: str | None = None
    rating: float | None = None
    score: int | None = None
    person_id: int | None = Field(default=None, foreign_key="person.id")
    account_id: int | None = Field(default=None, foreign_key="account.id")
    duplicate_of: str | None = Field(default=None, index=True)
    embedded_at: datetime | None = None
    deleted_at: datetime | None = None


class PseudonymEntry(SQLModel, table=True):
    """Redaction vault: a stable pseudonym and its encrypted original (destroyed on erasure)."""

    __tablename__ = "pseudonym"

    token: str = Field(primary_key=True)  # e.g. <EMAIL_19c2>
    entity_type: str
    ciphertext: bytes | None = None
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime
    erased_at: datetime | None = None


# --- taxonomy and classification ------------------------------------------------------------


class TaxonomyVersion(SQLModel, table=True):
    __tablename__ = "taxonomy_version"

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(unique=True)
    parent_version: int | None = None
    note: str = ""
    migration: dict[str, Any] = _json(dict)  # old theme key -> new theme key(s)
    created_by: str = "system"
    created_at: datetime


class Theme(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("version", "key", name="uq_theme_version_key"),)

    id: int | None = Field(default=None, primary_key=True)
    version: int = Field(index=True)
    key: str  # stable id across versions, e.g. "auth.sso-login"
    parent_key: str | None = None
    name: str
    description: str = ""
    aliases: list[str] = _json(list)
    examples: list[str] = _json(list)
    owner_team: str | None = None
    status: str = "active"  # active | proposed | retired


class Classification(SQLModel, table=True):
    __table_args__ = (Index("ix_class_version_theme", "taxonomy_version", "theme_key"),)

    unit_id: str = Field(primary_key=True, foreign_key="feedback_unit.id")
    taxonomy_version: int = Field(primary_key=True)
    theme_key: str | None = None
    subtheme_key: str | None = None
    sentiment: str | None = None
    sentiment_score: float | None = None
    intent: str | None = None
    severity: str | None = None
    confidence: dict[str, float] = _json(dict)
    classifier: str = ""
    classifier_version: str = ""
    needs_review: bool = False
    created_at: datetime


class ReviewLabel(SQLModel, table=True):
    """A human's label for one unit: a training example, and gold data for ``eval gold`` (theme None: other)."""

    __tablename__ = "review_label"
    __table_args__ = (Index("ix_review_label_set_version", "gold_set", "taxonomy_version"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="feedback_unit.id", index=True)
    taxonomy_version: int
    theme_key: str | None = None  # a leaf theme, or None for "other"
    sentiment: str | None = None
    intent: str | None = None
    severity: str | None = None
    reviewer: str
    gold_set: str = "default"
    created_at: datetime


class ThemeProposal(SQLModel, table=True):
    """A theme discovery (or a person) proposed, waiting in the review queue."""

    __tablename__ = "theme_proposal"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    description: str = _text()
    terms: list[str] = _json(list)  # distinctive terms, best first
    example_unit_ids: list[str] = _json(list)
    examples: list[str] = _json(list)  # the example units' (redacted) texts, for review
    size: int = 0
    suggested_parent: str | None = None
    taxonomy_version: int | None = None  # the version discovery ran against
    status: str = Field(default="pending", index=True)  # pending | accepted | rejected
    theme_key: str | None = None  # the key it became when accepted
    decided_by: str | None = None
    decided_at: datetime | None = None
    created_at: datetime


class TaxonomyReprocess(SQLModel, table=True):
    """Checkpoint of moving classifications from one taxonomy version to another, batch by batch."""

    __tablename__ = "taxonomy_reprocess"

    to_version: int = Field(primary_key=True)
    from_version: int
    after_unit_id: str | None = None  # last unit done; the next batch starts after it
    migrated: int = 0
    needs_review: int = 0
    done: bool = False
    updated_at: datetime


# --- workflow, releases, access and audit ----------------------------------------------------


class Release(SQLModel, table=True):
    name: str = Field(primary_key=True)  # "4.12.0": windows like "the week after 4.12" hang on it
    shipped_at: datetime = Field(index=True)
    notes: str = _text()


class Ticket(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    tracker: str  # jira | linear | local
    key: str | None = None
    url: str | None = None
    title: str
    description: str = _text()
    owner: str | None = None
    status: str = "open"
    theme_keys: list[str] = _json(list)
    unit_ids: list[str] = _json(list)
    idempotency_key: str = Field(unique=True)
    created_by: str | None = None
    created_at: datetime
    updated_at: datetime


class Viewer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    slack_user_id: str | None = Field(default=None, unique=True)
    email: str | None = None
    role: str = "viewer"  # viewer | analyst | admin | privacy_officer


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    actor: str
    action: str = Field(index=True)
    target: str | None = None
    details: dict[str, Any] = _json(dict)
    created_at: datetime = Field(index=True)
