"""Protocols at the seams: integrations implement these, the domain depends only on them."""

from __future__ import annotations

from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

from groundswell.core.models import NormalizedDoc, RawRecord, RecordFailure
from groundswell.core.tickets import Ticket
from pydantic import BaseModel, ConfigDict

__all__ = [
    "ChatModel",
    "ChatReply",
    "ChatUsage",
    "Checkpoint",
    "DigestRunner",
    "Embedder",
    "FeedbackSource",
    "PollResult",
    "TicketDraft",
    "TicketReceipt",
    "TicketSink",
    "VectorHit",
    "VectorIndex",
    "VectorReader",
]


class Checkpoint(BaseModel):
    """Where a source's sync stopped; stored as JSON by the job. Sources subclass it; fields of a subclass
    survive a round trip through this base (extra fields are kept), so the job needs no source types."""

    model_config = ConfigDict(extra="allow")

    cursor: str | None = None
    updated_since: datetime | None = None
    done_ids: list[str] = []  # for file imports: which files/pages are fully stored


PollResult = Generator[RawRecord | RecordFailure, None, Checkpoint]


@runtime_checkable
class FeedbackSource(Protocol):
    """A place where customers speak.

    ``poll`` yields raw records (and failures as values) and *returns* the next
    checkpoint. Backfill is ``poll(None)``; incremental sync passes the last
    checkpoint. ``normalize`` turns one stored raw record into a canonical
    document and must be pure, so history can be reprocessed from raw storage.
    """

    name: str

    def poll(self, checkpoint: Checkpoint | None) -> PollResult: ...

    def normalize(self, record: RawRecord) -> NormalizedDoc: ...


@runtime_checkable
class Embedder(Protocol):
    """Text to unit-length vectors."""

    model_id: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True)
class VectorHit:
    unit_id: str
    score: float  # cosine similarity, higher is closer
    metadata: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class VectorIndex(Protocol):
    """Unit embeddings with metadata filters."""

    def upsert(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]]
    ) -> None: ...

    def delete(self, ids: Sequence[str]) -> None: ...

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[VectorHit]: ...

    def count(self) -> int: ...


@runtime_checkable
class VectorReader(Protocol):
    """Stored vectors read back by unit id (reclassification reuses them instead of re-embedding)."""

    def get_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]: ...


@dataclass(frozen=True)
class ChatUsage:
    """Tokens one chat call consumed, as the endpoint reported them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class ChatReply:
    """One chat-completion reply. ``parsed`` is the JSON object when a ``json_schema`` was asked for;
    ``tool_calls`` are ``{"id", "name", "arguments": dict}`` when tools were offered and the model called them."""

    content: str
    model: str
    usage: ChatUsage = ChatUsage()
    parsed: Any = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    finish_reason: str | None = None


@runtime_checkable
class ChatModel(Protocol):
    """Any OpenAI-compatible chat endpoint (or a test double). Numbers never come from it: it plans and phrases."""

    model_id: str

    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        json_schema: Mapping[str, Any] | None = None,
        schema_name: str = "output",
        tools: Sequence[Mapping[str, Any]] | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
    ) -> ChatReply: ...


class TicketDraft(BaseModel):
    """What a user asked for in Slack's "Create ticket" modal (Slack ids, the submission's idempotency key).

    The sink turns it into a ``core.tickets.TicketDraft`` (what a tracker files: body with the dedupe marker,
    team, owner email, the thread told when it closes).
    """

    title: str
    description: str = ""
    tracker: str = "local"  # local | jira | linear
    project: str | None = None
    owner_slack_id: str | None = None
    theme_key: str | None = None
    evidence_unit_ids: list[str] = []
    source_answer_id: str | None = None  # the Slack answer it came from
    source_thread_id: str | None = None  # "team:channel:thread_ts"
    requested_by: str | None = None  # Slack user id of who submitted the modal
    idempotency_key: str = ""  # one submission -> one ticket, however often Slack delivers it
    owner_email: str | None = None  # the owner's Slack profile email: matched to a tracker account
    link_to: str | None = None  # "Link instead": the key of the open ticket on the theme to link, nothing filed
    force: bool = False  # "File anyway": file even though an open ticket on the theme exists


class TicketReceipt(BaseModel):
    """What a sink did with a draft, for the confirmation message."""

    reference: str  # "draft 12", "PROJ-123"
    url: str | None = None
    created: bool = True  # False: the same idempotency key was seen before, nothing new was filed
    status: Literal["created", "linked", "existing", "draft"] = "created"  # draft: the tracker failed, kept
    message: str = ""  # plain words for the user (why a draft was kept and how to retry it)
    existing: list[Ticket] = []  # status "existing": open tickets on the same theme, offered instead


@runtime_checkable
class TicketSink(Protocol):
    """Where ticket drafts from Slack go: ``bot.tickets.TrackerTicketSink`` files them through the ticket service."""

    def submit(self, draft: TicketDraft) -> TicketReceipt: ...


@runtime_checkable
class DigestRunner(Protocol):
    """Build and post a digest now for one channel; returns a sentence saying what happened."""

    def __call__(self, *, channel: str, requested_by: str) -> str: ...
