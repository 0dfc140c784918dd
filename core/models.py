"""Canonical domain models shared by connectors, the pipeline and storage.

A connector turns a source's native record into a :class:`RawRecord` (kept
verbatim, with provenance) and knows how to :meth:`normalize` it into one of
the canonical documents below. Everything after that point speaks only these
models, so a new source is one small module.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "AccountDoc",
    "AccountFacts",
    "Attachment",
    "Author",
    "Channel",
    "Citation",
    "ConversationDoc",
    "FieldDrift",
    "Message",
    "NormalizedDoc",
    "OpportunityDoc",
    "PersonDoc",
    "RawRecord",
    "RecordFailure",
    "SpeakerRole",
    "UnitDraft",
    "content_hash",
]


class SpeakerRole(StrEnum):
    """Who said something. Only ``customer`` words become feedback units."""

    CUSTOMER = "customer"
    AGENT = "agent"
    REP = "rep"
    BOT = "bot"
    INTERNAL = "internal"
    SYSTEM = "system"
    UNKNOWN = "unknown"


class Channel(StrEnum):
    """The kind of place the feedback came from."""

    TICKET = "ticket"
    CHAT = "chat"
    REVIEW = "review"
    SURVEY = "survey"
    CALL = "call"
    COMMUNITY = "community"
    CRM = "crm"
    OTHER = "other"


def content_hash(payload: Any) -> str:
    """Stable sha256 of a JSON-able payload (key order does not matter)."""
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class RawRecord(BaseModel):
    """One source record exactly as the source gave it, plus provenance."""

    model_config = ConfigDict(frozen=True)

    source: str
    external_id: str
    kind: str  # source-specific record type: "ticket", "conversation", "review", "account", ...
    payload: dict[str, Any]
    url: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    deleted: bool = False  # a tombstone: the source says this record is gone

    @property
    def version_hash(self) -> str:
        return content_hash(self.payload)


class FieldDrift(BaseModel):
    """A field a connector relies on that a record no longer carries as declared (schema drift)."""

    model_config = ConfigDict(frozen=True)

    path: str  # dotted path as declared, ``name[]`` for "every element of the list"
    problem: str  # "missing", "retyped" or "renamed"
    expected: str  # declared type(s), e.g. "str" or "int|str"
    found: str | None = None  # the type seen, or the field it seems renamed to
    example: str | None = None  # a short excerpt of the offending value or record


class RecordFailure(BaseModel):
    """A record the connector could not read; stored as rejected, never dropped."""

    model_config = ConfigDict(frozen=True)

    source: str
    external_id: str | None
    reason: str
    raw: str  # the offending bytes as text, so nothing is lost
    drift: list[FieldDrift] = Field(default_factory=list)  # set when the record failed its declared field spec


class Author(BaseModel):
    """Whoever wrote a message, as far as the source tells."""

    external_id: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    handle: str | None = None
    role: SpeakerRole = SpeakerRole.UNKNOWN
    organization: str | None = None  # company name or CRM account id when the source knows it


class Attachment(BaseModel):
    """A file attached to a message: metadata and a link only (binaries are never downloaded)."""

    name: str | None = None
    content_type: str | None = None
    url: str | None = None
    size: int | None = None  # bytes


class Message(BaseModel):
    """One turn of a conversation (a ticket comment, a chat part, a transcript turn)."""

    external_id: str
    author: Author
    text: str
    created_at: datetime
    public: bool = True  # False for internal notes
    attachments: list[Attachment] = Field(default_factory=list)


class ConversationDoc(BaseModel):
    """Any feedback-bearing record: ticket, chat, review, survey answer, call, post."""

    type: Literal["conversation"] = "conversation"
    source: str
    external_id: str
    channel: Channel
    title: str | None = None
    messages: list[Message]
    created_at: datetime
    url: str | None = None
    locale: str | None = None
    rating: float | None = None  # app-store stars, CSAT
    score: int | None = None  # NPS 0-10
    account_ref: str | None = None  # CRM account id when the source links one
    tags: list[str] = Field(default_factory=list)


class AccountFacts(BaseModel):
    """An account's commercial facts as they stood from ``as_of`` on."""

    as_of: datetime
    arr: float | None = None
    plan: str | None = None
    segment: str | None = None  # "enterprise", "mid-market", "smb"
    region: str | None = None
    renewal_date: date | None = None
    health: float | None = None  # 0-100
    lifecycle: str | None = None  # "onboarding", "active", "at-risk", "churned"


class AccountDoc(BaseModel):
    """A CRM account with its dated fact history (oldest first)."""

    type: Literal["account"] = "account"
    source: str
    external_id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    parent_external_id: str | None = None
    created_at: datetime
    snapshots: list[AccountFacts] = Field(default_factory=list)


class PersonDoc(BaseModel):
    """A CRM contact: one person, possibly with several identifiers."""

    type: Literal["person"] = "person"
    source: str
    external_id: str
    name: str | None = None
    emails: list[str] = Field(default_factory=list)
    phones: list[str] = Field(default_factory=list)
    account_external_id: str | None = None
    title: str | None = None


class OpportunityDoc(BaseModel):
    """A CRM opportunity (deal): stage, amount and, once closed lost, the rep's loss reason. Never feedback."""

    type: Literal["opportunity"] = "opportunity"
    source: str
    external_id: str
    account_external_id: str | None = None
    name: str | None = None
    stage: str | None = None
    is_closed: bool = False
    is_won: bool = False
    amount: float | None = None
    close_date: date | None = None
    loss_reason: str | None = None
    updated_at: datetime | None = None

    @property
    def is_lost(self) -> bool:
        return self.is_closed and not self.is_won


NormalizedDoc = ConversationDoc | AccountDoc | PersonDoc | OpportunityDoc


class UnitDraft(BaseModel):
    """One customer signal cut from a conversation, before storage assigns ids."""

    source: str
    external_id: str  # of the raw record
    message_id: str
    ordinal: int  # position within the record, for a stable unit id
    text: str
    speaker_role: SpeakerRole
    channel: Channel
    created_at: datetime
    author: Author
    thread_ref: str  # conversation id the unit belongs to
    context: dict[str, Any] = Field(default_factory=dict)  # subject, previous turn
    char_start: int = 0  # offsets into the message text, for citations
    char_end: int = 0
    locale: str | None = None
    url: str | None = None
    account_ref: str | None = None
    rating: float | None = None
    score: int | None = None


class Citation(BaseModel):
    """Where a quoted unit came from: enough for a reader to open the original."""

    unit_id: str
    source: str
    external_id: str
    created_at: datetime
    url: str | None = None
    account: str | None = None
    person: str | None = None
