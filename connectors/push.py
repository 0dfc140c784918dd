"""Push sources: systems that send feedback to ``POST /ingest/{source}`` (custom apps, Zapier-style tools).

A pushed record is validated against :class:`PushRecord` and kept verbatim as the raw payload; ``normalize``
turns it into a conversation. ``poll`` yields nothing: these sources are never pulled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from groundswell.connectors.files.base import staff_guard
from groundswell.core.models import Author, Channel, ConversationDoc, Message, RawRecord, SpeakerRole
from groundswell.core.protocols import Checkpoint, PollResult
from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["PushAuthor", "PushBatch", "PushMessage", "PushRecord", "PushSource", "RecordError", "validate_records"]


class PushAuthor(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | None = None
    name: str | None = None
    email: str | None = None
    role: SpeakerRole = SpeakerRole.CUSTOMER


class PushMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=200)
    text: str = Field(max_length=100_000)
    created_at: datetime | None = None
    author: PushAuthor = Field(default_factory=PushAuthor)
    public: bool = True


class PushRecord(BaseModel):
    """One pushed conversation; unknown fields are kept in the raw payload."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=200)
    created_at: datetime
    updated_at: datetime | None = None
    deleted: bool = False
    url: str | None = None
    title: str | None = None
    channel: Channel = Channel.OTHER
    account_ref: str | None = None
    rating: float | None = None
    score: int | None = Field(default=None, ge=0, le=10)
    tags: list[str] = Field(default_factory=list)
    messages: list[PushMessage] = Field(default_factory=list, max_length=1000)


class PushBatch(BaseModel):
    records: list[PushRecord]


@dataclass(frozen=True)
class RecordError:
    """Why the record at ``index`` of a batch was refused (it is kept as a rejected record)."""

    index: int
    external_id: str | None
    errors: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.external_id, "errors": self.errors}

    @property
    def reason(self) -> str:
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in self.errors)


def validate_records(items: list[Any]) -> tuple[list[tuple[PushRecord, dict[str, Any]]], list[RecordError]]:
    """Each item of a batch on its own: (valid records with their payloads, errors of the others)."""
    valid: list[tuple[PushRecord, dict[str, Any]]] = []
    refused: list[RecordError] = []
    for index, item in enumerate(items):
        external_id = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else None
        if not isinstance(item, dict):
            refused.append(RecordError(index, None, [{"loc": ["records", index], "msg": "must be an object"}]))
            continue
        try:
            valid.append((PushRecord.model_validate(item), item))
        except ValidationError as exc:
            errors = [{"loc": ["records", index, *e["loc"]], "msg": e["msg"]} for e in exc.errors(include_url=False)]
            refused.append(RecordError(index, external_id, errors))
    return valid, refused


class PushSource:
    """The connector of one push source: ``raw`` builds the stored record, ``normalize`` reads it back."""

    source_kind = "webhook"
    expected_cadence_s = 86_400

    def __init__(self, name: str, *, company_domains: Sequence[str] = ()) -> None:
        self.name = name
        self.company_domains = tuple(company_domains)

    def poll(self, checkpoint: Checkpoint | None) -> PollResult:
        return checkpoint or Checkpoint()
        yield  # pragma: no cover - a generator that yields nothing

    def raw(self, record: PushRecord, payload: dict[str, Any]) -> RawRecord:
        return RawRecord(
            source=self.name,
            external_id=record.id,
            kind="conversation",
            payload=payload,
            url=record.url,
            created_at=record.created_at,
            updated_at=record.updated_at or record.created_at,
            deleted=record.deleted,
        )

    def normalize(self, record: RawRecord) -> ConversationDoc:
        pushed = PushRecord.model_validate(record.payload)
        messages = [
            Message(
                external_id=m.id,
                author=Author(
                    external_id=m.author.id,
                    name=m.author.name,
                    email=m.author.email,
                    role=staff_guard(m.author.role, m.author.email, self.company_domains),
                ),
                text=m.text,
                created_at=m.created_at or pushed.created_at,
                public=m.public,
            )
            for m in pushed.messages
        ]
        return ConversationDoc(
            source=self.name,
            external_id=pushed.id,
            channel=pushed.channel,
            title=pushed.title,
            messages=messages,
            created_at=pushed.created_at,
            url=pushed.url,
            account_ref=pushed.account_ref,
            rating=pushed.rating,
            score=pushed.score,
            tags=pushed.tags,
        )
