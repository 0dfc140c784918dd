"""Understanding: feedback units and the pseudonym vault."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from groundswell.storage.models.columns import _json, _text
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

__all__ = ["PSEUDONYM_SCHEME", "FeedbackUnit", "PseudonymEntry"]

PSEUDONYM_SCHEME = 2  # the token scheme new vault entries are written in (see core.privacy.redact)


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

    token: str = Field(primary_key=True)  # e.g. <EMAIL_3f9c04ab7d21e6b0>
    entity_type: str
    ciphertext: bytes | None = None
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    created_at: datetime
    erased_at: datetime | None = None
    # 2: a 64-bit token (or a 16-bit one with no original left to re-key); 1: a 16-bit token awaiting re-key
    scheme: int = Field(default=PSEUDONYM_SCHEME)
