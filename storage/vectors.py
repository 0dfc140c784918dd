"""The vector index on Chroma: the ONLY module that imports chromadb.

Embeddings are always computed by Groundswell and passed in; the collection is created without an
embedding function, so chromadb's default one (which downloads a model) never runs, and telemetry is off.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import chromadb
from chromadb.config import Settings as ChromaSettings
from groundswell.core.errors import ConfigurationError, StorageError
from groundswell.core.protocols import VectorHit

__all__ = ["ChromaVectorIndex", "build_where", "sanitize_metadata", "to_epoch_seconds"]

_T = TypeVar("_T")
MetadataValue = str | int | float | bool


def to_epoch_seconds(moment: datetime | date | int | float) -> int:
    """Whole seconds since the epoch; naive datetimes are taken as UTC, dates as their UTC midnight."""
    if isinstance(moment, bool):
        raise TypeError("a bool is not a moment in time")
    if isinstance(moment, int | float):
        return int(moment)
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def sanitize_metadata(metadata: Mapping[str, Any] | None) -> dict[str, MetadataValue] | None:
    """What Chroma accepts: None values dropped, datetimes as int epoch seconds, enums as their value.

    Returns None for an empty result (Chroma rejects empty metadata dicts); raises StorageError for
    values Chroma cannot store.
    """
    clean: dict[str, MetadataValue] = {}
    for key, value in (metadata or {}).items():
        if value is None:
            continue
        if isinstance(value, enum.Enum):
            value = value.value
        if isinstance(value, datetime | date):
            value = to_epoch_seconds(value)
        if not isinstance(value, str | int | float | bool):
            raise StorageError(f"metadata {key!r} has type {type(value).__name__}; Chroma stores str, int, float, bool")
        clean[str(key)] = value
    return clean or None


def build_where(
    *,
    sources: Sequence[str] | None = None,
    since: datetime | date | int | None = None,
    until: datetime | date | int | None = None,
    account_id: str | None = None,
    segment: str | None = None,
    theme: str | None = None,
) -> dict[str, Any] | None:
    """A Chroma ``where`` filter over unit metadata; None when nothing is filtered.

    ``since`` is inclusive and ``until`` exclusive (a half-open window on ``created_at``, int epoch seconds).
    ``sources=None`` means every source; an empty list is refused (Chroma cannot express "none of them").
    """
    clauses: list[dict[str, Any]] = []
    if sources is not None:
        if not sources:
            raise ValueError("sources must be None (every source) or a non-empty list")
        clauses.append({"source": {"$in": list(sources)}})
    if since is not None:
        clauses.append({"created_at": {"$gte": to_epoch_seconds(since)}})
    if until is not None:
        clauses.append({"created_at": {"$lt": to_epoch_seconds(until)}})
    for key, value in (("account_id", account_id), ("segment", segment), ("theme", theme)):
        if value is not None:
            clauses.append({key: {"$eq": value}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _client_for(path: Path | None, url: str | None) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False)
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigurationError(f"chroma_url must look like http://host:8000, got {url!r}")
        ssl = parts.scheme == "https"
        port = parts.port or (443 if ssl else 8000)
        return chromadb.HttpClient(host=parts.hostname, port=port, ssl=ssl, settings=settings)
    if path is None:
        raise ConfigurationError("ChromaVectorIndex needs a path (embedded Chroma), a url (Chroma server) or a client")
    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def _chunks(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class ChromaVectorIndex:
    """Unit vectors in one Chroma collection (cosine space), keyed by unit id, with filterable metadata."""

    def __init__(
        self,
        *,
        path: Path | None = None,
        url: str | None = None,
        collection: str = "feedback_units",
        client: Any = None,
    ) -> None:
        where = (url or str(path)) if client is None else "the given client"
        try:
            self._client = client if client is not None else _client_for(path, url)
            self._collection = self._client.get_or_create_collection(
                name=collection,
                embedding_function=None,  # never chromadb's default model: we always pass embeddings
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._max_batch = int(self._client.get_max_batch_size())
            space = (self._collection.configuration or {}).get("hnsw", {}) or {}
        except (ConfigurationError, StorageError):
            raise
        except Exception as exc:  # chromadb raises many types (ValueError, its own errors, httpx errors)
            raise StorageError(f"cannot open Chroma collection {collection!r} at {where}: {exc}") from exc
        self.collection_name = collection
        if space.get("space", "cosine") != "cosine":
            raise StorageError(f"Chroma collection {collection!r} uses {space['space']!r} distance; it must be cosine")

    def upsert(
        self, ids: Sequence[str], vectors: Sequence[Sequence[float]], metadatas: Sequence[dict[str, Any]]
    ) -> None:
        if not len(ids) == len(vectors) == len(metadatas):
            raise ValueError(f"upsert got {len(ids)} ids, {len(vectors)} vectors and {len(metadatas)} metadatas")
        if len(set(ids)) != len(ids):
            raise ValueError("upsert got duplicate ids")
        clean = [sanitize_metadata(m) for m in metadatas]
        for start in range(0, len(ids), self._max_batch):
            stop = start + self._max_batch
            self._call(
                "upsert",
                ids=list(ids[start:stop]),
                embeddings=[list(map(float, v)) for v in vectors[start:stop]],
                metadatas=clean[start:stop],
            )

    def delete(self, ids: Sequence[str]) -> None:
        for chunk in _chunks(list(ids), self._max_batch):
            self._call("delete", ids=list(chunk))

    def query(self, vector: Sequence[float], k: int, where: dict[str, Any] | None = None) -> list[VectorHit]:
        """The ``k`` nearest units (fewer if fewer match), best first; score = 1 - cosine distance."""
        if k <= 0:
            return []
        result = self._call(
            "query",
            query_embeddings=[list(map(float, vector))],
            n_results=k,
            where=where or None,
            include=["metadatas", "distances"],
        )
        ids, distances = result["ids"][0], result["distances"][0]
        metadatas = (result.get("metadatas") or [[None] * len(ids)])[0]
        return [
            VectorHit(unit_id=uid, score=1.0 - float(distance), metadata=dict(meta or {}))
            for uid, distance, meta in zip(ids, distances, metadatas, strict=True)
        ]

    def count(self) -> int:
        return int(self._call("count"))

    def get_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        """The stored vector of each id that has one (unknown ids are left out), in batches."""
        found: dict[str, list[float]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), self._max_batch):
            result = self._call("get", ids=list(chunk), include=["embeddings"])
            embeddings = result.get("embeddings")
            if embeddings is None:
                continue
            for uid, vector in zip(result["ids"], embeddings, strict=True):
                found[str(uid)] = [float(x) for x in vector]
        return found

    @property
    def max_batch_size(self) -> int:
        return self._max_batch

    def _call(self, method: str, **kwargs: Any) -> Any:
        try:
            return getattr(self._collection, method)(**kwargs)
        except Exception as exc:
            raise StorageError(f"Chroma {method} on {self.collection_name!r} failed: {exc}") from exc
