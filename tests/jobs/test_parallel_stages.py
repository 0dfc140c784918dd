"""Several workers drain the embed stage at once on the real PostgreSQL: disjoint claims, each unit once."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pytest
from groundswell.core.models import RawRecord
from groundswell.jobs.embed import embed_pending
from groundswell.storage.classifications import units_without_classification
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import FeedbackUnit
from groundswell.storage.raw import ensure_source, store_raw_record
from groundswell.storage.units import count_units_needing_embedding, replace_record_units, units_needing_embedding
from sqlalchemy import Engine

from tests.conftest import fresh_postgres_database
from tests.jobs.fakes import DictIndex, HashEmbedder

NOW = datetime(2026, 6, 1, tzinfo=UTC)
UNITS = 60


@pytest.fixture
def pg() -> Iterator[Engine]:
    with fresh_postgres_database("gs_parallel") as url:
        engine = create_db_engine(url)
        migrate(engine)
        with session_scope(engine) as session:
            ensure_source(session=session, name="zendesk")
            raw = store_raw_record(
                session=session, record=RawRecord(source="zendesk", external_id="7", kind="ticket", payload={})
            ).row.id
            units = [
                FeedbackUnit(
                    id=f"u{i:03d}",
                    raw_record_id=raw,
                    source="zendesk",
                    external_id="7",
                    message_id=f"m{i}",
                    text=f"text {i}",
                    text_hash="",
                    thread_ref="zendesk:7",
                    created_at=NOW,
                )
                for i in range(UNITS)
            ]
            replace_record_units(session=session, source="zendesk", external_id="7", units=units)
        yield engine
        engine.dispose()


CLAIMS = {
    "embed": lambda session, limit: units_needing_embedding(session=session, limit=limit),
    "classify": lambda session, limit: units_without_classification(session=session, version=1, limit=limit),
}


@pytest.mark.parametrize("stage", sorted(CLAIMS))
def test_concurrent_claims_are_disjoint(pg: Engine, stage: str) -> None:
    claim = CLAIMS[stage]
    with session_scope(pg) as first, session_scope(pg) as second:
        a = {u.id for u in claim(first, 10)}
        b = {u.id for u in claim(second, 10)}  # while the first transaction still holds its claim
        assert len(a) == len(b) == 10 and not a & b
    with session_scope(pg) as session:  # both ended without finishing: their claims are free again
        assert len(claim(session, UNITS)) == UNITS


class SlowEmbedder(HashEmbedder):
    """Takes a while per batch, so workers overlap; records which thread embedded what."""

    def __init__(self) -> None:
        super().__init__()
        self.by_thread: Counter[str] = Counter()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        time.sleep(0.05)
        with self._lock:
            self.by_thread[threading.current_thread().name] += len(texts)
        return super().embed(texts)


class CountingIndex(DictIndex):
    def __init__(self) -> None:
        super().__init__()
        self.upserts: Counter[str] = Counter()
        self._lock = threading.Lock()

    def upsert(self, ids: Sequence[str], vectors: Any, metadatas: Any) -> None:
        with self._lock:
            self.upserts.update(ids)
            super().upsert(ids, vectors, metadatas)


def test_three_workers_embed_every_unit_exactly_once(pg: Engine) -> None:
    embedder, index = SlowEmbedder(), CountingIndex()
    done: dict[str, int] = {}

    def work(name: str) -> None:
        done[name] = embed_pending(engine=pg, embedder=embedder, index=index, batch_size=4)[0]

    threads = [threading.Thread(target=work, args=(f"w{i}",), name=f"w{i}") for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sum(done.values()) == UNITS and set(index.upserts.values()) == {1} and len(index.upserts) == UNITS
    assert sum(1 for n in embedder.by_thread.values() if n) >= 2, embedder.by_thread  # the work was shared
    with session_scope(pg) as session:
        assert count_units_needing_embedding(session=session) == 0
