"""Small in-process stand-ins for the pipeline's seams (a source, an embedder, a vector index)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from groundswell.core.errors import MalformedRecord
from groundswell.core.models import Author, Channel, ConversationDoc, Message, RawRecord, RecordFailure, SpeakerRole
from groundswell.core.protocols import Checkpoint, PollResult, VectorHit

T = datetime(2026, 6, 1, tzinfo=UTC)


class ListSource:
    """Yields whatever it is given; normalises payloads of the form {"messages": [[role, text], ...]}."""

    name = "tickets"

    def __init__(self, items: Sequence[RawRecord | RecordFailure | Exception]) -> None:
        self.items = list(items)
        self.seen_checkpoints: list[Checkpoint | None] = []

    def poll(self, checkpoint: Checkpoint | None) -> PollResult:
        self.seen_checkpoints.append(checkpoint)
        for item in self.items:
            if isinstance(item, Exception):
                raise item
            yield item
        return Checkpoint(cursor=str(len(self.items)))

    def normalize(self, record: RawRecord) -> ConversationDoc:
        if "messages" not in record.payload:
            raise MalformedRecord(self.name, "schema drift: missing field messages")
        messages = [
            Message(
                external_id=f"{record.external_id}-{i}",
                author=Author(
                    role=SpeakerRole(role),
                    email=record.payload.get("email", f"user{record.external_id}@acme.com"),
                    name=record.payload.get("name"),
                ),
                text=text,
                created_at=T,
            )
            for i, (role, text) in enumerate(record.payload["messages"])
        ]
        return ConversationDoc(
            source=self.name, external_id=record.external_id, channel=Channel.TICKET, messages=messages, created_at=T
        )


def ticket(
    external_id: str,
    *turns: tuple[str, str],
    deleted: bool = False,
    email: str | None = None,
    name: str | None = None,
) -> RawRecord:
    payload: dict[str, Any] = {"messages": [list(t) for t in turns]}
    if email:
        payload["email"] = email
    if name:
        payload["name"] = name
    return RawRecord(source="tickets", external_id=external_id, kind="ticket", payload=payload, deleted=deleted)


class HashEmbedder:
    """Deterministic 8-d vectors from a text hash: enough to test plumbing, not meaning."""

    model_id = "hash-8"
    dimension = 8

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        out = []
        for text in texts:
            digest = hashlib.sha256(text.encode()).digest()
            vector = [b / 255 + 0.01 for b in digest[:8]]
            norm = sum(v * v for v in vector) ** 0.5
            out.append([v / norm for v in vector])
        return out


class DictIndex:
    """A vector index kept in a dict, exact cosine search."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[list[float], dict[str, Any]]] = {}

    def upsert(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]]
    ) -> None:
        for i, v, m in zip(ids, vectors, metadatas, strict=True):
            self.rows[i] = (list(v), dict(m))

    def delete(self, ids: Sequence[str]) -> None:
        for i in ids:
            self.rows.pop(i, None)

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[VectorHit]:
        scored = [
            VectorHit(i, sum(a * b for a, b in zip(v, vector, strict=True)), m) for i, (v, m) in self.rows.items()
        ]
        return sorted(scored, key=lambda h: -h.score)[:k]

    def count(self) -> int:
        return len(self.rows)

    def get_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        return {i: list(self.rows[i][0]) for i in ids if i in self.rows}
