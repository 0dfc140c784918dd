from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
from groundswell.core.errors import ConfigurationError, StorageError
from groundswell.core.protocols import VectorIndex, VectorReader
from groundswell.storage.vectors import ChromaVectorIndex, build_where, sanitize_metadata, to_epoch_seconds

DIM = 16
T0 = datetime(2026, 3, 1, tzinfo=UTC)
DAY = 86_400


def unit(seed: int) -> list[float]:
    v = np.random.default_rng(seed).normal(size=DIM)
    return (v / np.linalg.norm(v)).tolist()


def near(vector: list[float], seed: int, noise: float) -> list[float]:
    v = np.array(vector) + np.random.default_rng(seed).normal(size=DIM) * noise
    return (v / np.linalg.norm(v)).tolist()


# --- A real Chroma server (the `chroma` CLI shipped with the chromadb package) on a free loopback port -------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    cli = Path(sys.executable).parent / "chroma"
    if not cli.exists():
        message = f"the chroma CLI is not installed at {cli}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    log = (data / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [str(cli), "run", "--path", str(data / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chroma server did not start (exit {proc.poll()}); see {data / 'server.log'}")
            time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(params=["embedded", "server"])
def index(request: pytest.FixtureRequest, tmp_path: Path) -> ChromaVectorIndex:
    collection = f"units-{uuid.uuid4().hex[:8]}"
    if request.param == "embedded":
        return ChromaVectorIndex(path=tmp_path / "chroma", collection=collection)
    return ChromaVectorIndex(url=request.getfixturevalue("chroma_server_url"), collection=collection)


# --- The contract, over both ------------------------------------------------------------------------------------------


def test_is_a_vector_index_and_starts_empty(index: ChromaVectorIndex) -> None:
    assert isinstance(index, VectorIndex)
    assert index.count() == 0
    assert index.query(unit(1), k=5) == []


def test_upsert_query_scores_and_metadata(index: ChromaVectorIndex) -> None:
    base = unit(1)
    index.upsert(
        ["u1", "u2", "u3"],
        [base, near(base, 2, 0.3), unit(3)],
        [
            {"source": "zendesk", "created_at": T0, "account_id": None, "theme": "export"},
            {"source": "slack", "created_at": int(T0.timestamp()) + DAY},
            {"source": "g2", "segment": "enterprise"},
        ],
    )
    assert index.count() == 3
    hits = index.query(base, k=2)
    assert [h.unit_id for h in hits] == ["u1", "u2"]
    assert hits[0].score == pytest.approx(1.0, abs=1e-5)
    assert 0.5 < hits[1].score < hits[0].score
    expected_u2 = float(np.dot(base, near(base, 2, 0.3)))
    assert hits[1].score == pytest.approx(expected_u2, abs=1e-4)
    assert hits[0].metadata == {"source": "zendesk", "created_at": int(T0.timestamp()), "theme": "export"}


def test_upsert_replaces_vector_and_metadata(index: ChromaVectorIndex) -> None:
    index.upsert(["u1"], [unit(1)], [{"source": "zendesk"}])
    index.upsert(["u1"], [unit(2)], [{"source": "slack"}])
    assert index.count() == 1
    (hit,) = index.query(unit(2), k=1)
    assert hit.unit_id == "u1" and hit.score == pytest.approx(1.0, abs=1e-5)
    assert hit.metadata == {"source": "slack"}


def test_delete_by_id_and_unknown_ids_are_ignored(index: ChromaVectorIndex) -> None:
    index.upsert(["a", "b", "c"], [unit(1), unit(2), unit(3)], [{"source": "x"}] * 3)
    index.delete(["b", "never-stored"])
    index.delete([])
    assert index.count() == 2
    assert "b" not in {h.unit_id for h in index.query(unit(2), k=3)}


def test_stored_vectors_are_read_back_by_id(index: ChromaVectorIndex) -> None:
    assert isinstance(index, VectorReader)
    index.upsert(["a", "b"], [unit(1), unit(2)], [{}, {}])
    got = index.get_vectors(["b", "missing", "a", "b"])
    assert set(got) == {"a", "b"}
    assert np.allclose(got["a"], unit(1), atol=1e-6) and np.allclose(got["b"], unit(2), atol=1e-6)
    assert index.get_vectors([]) == {}


def test_empty_metadata_is_accepted(index: ChromaVectorIndex) -> None:
    index.upsert(["a", "b"], [unit(1), unit(2)], [{}, {"account_id": None}])
    assert {h.unit_id: h.metadata for h in index.query(unit(1), k=2)} == {"a": {}, "b": {}}


def test_filters_by_source_time_account_segment_theme(index: ChromaVectorIndex) -> None:
    ids, vectors, metas = [], [], []
    for i in range(12):
        ids.append(f"u{i}")
        vectors.append(near(unit(0), i, 0.2))
        metas.append(
            {
                "source": ["zendesk", "slack", "g2"][i % 3],
                "created_at": T0.replace(day=1 + i),
                "account_id": f"acct-{i % 2}",
                "segment": "smb" if i < 6 else "enterprise",
                "theme": "export" if i % 4 == 0 else "billing",
            }
        )
    index.upsert(ids, vectors, metas)

    def found(**filters: Any) -> set[str]:
        return {h.unit_id for h in index.query(unit(0), k=50, where=build_where(**filters))}

    assert found() == set(ids)
    assert found(sources=["zendesk"]) == {"u0", "u3", "u6", "u9"}
    assert found(sources=["zendesk", "g2"]) == {f"u{i}" for i in range(12) if i % 3 != 1}
    assert found(since=T0.replace(day=10)) == {"u9", "u10", "u11"}
    assert found(since=date(2026, 3, 3), until=date(2026, 3, 5)) == {"u2", "u3"}
    assert found(account_id="acct-1", segment="enterprise") == {"u7", "u9", "u11"}
    assert found(theme="export", sources=["zendesk", "slack", "g2"], until=T0.replace(day=9)) == {"u0", "u4"}
    with pytest.raises(ValueError, match="non-empty"):
        found(sources=[])


def test_batches_respect_the_server_max_batch_size(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    class SmallBatches:
        """A real embedded client that claims a max batch of 3 and counts calls."""

        def __init__(self) -> None:
            self.real = chromadb.PersistentClient(path=str(tmp_path), settings=Settings(anonymized_telemetry=False))
            self.batches: list[int] = []

        def get_max_batch_size(self) -> int:
            return 3

        def get_or_create_collection(self, **kwargs: Any) -> Any:
            collection = self.real.get_or_create_collection(**kwargs)
            real_upsert, batches = collection.upsert, self.batches

            def upsert(**kw: Any) -> Any:
                batches.append(len(kw["ids"]))
                return real_upsert(**kw)

            collection.upsert = upsert
            return collection

    client = SmallBatches()
    index = ChromaVectorIndex(client=client, collection="batched")
    index.upsert([f"u{i}" for i in range(8)], [unit(i) for i in range(8)], [{"n": i} for i in range(8)])
    assert client.batches == [3, 3, 2]
    assert index.count() == 8
    index.delete([f"u{i}" for i in range(7)])
    assert index.count() == 1


def test_bad_input_is_rejected(tmp_path: Path) -> None:
    index = ChromaVectorIndex(path=tmp_path)
    with pytest.raises(ValueError, match="2 ids, 1 vectors"):
        index.upsert(["a", "b"], [unit(1)], [{}, {}])
    with pytest.raises(ValueError, match="duplicate"):
        index.upsert(["a", "a"], [unit(1), unit(2)], [{}, {}])
    with pytest.raises(StorageError, match="type object"):
        index.upsert(["a"], [unit(1)], [{"tags": object()}])
    index.upsert(["a"], [unit(1)], [{}])
    with pytest.raises(StorageError, match="query"):
        index.query([1.0, 0.0], k=1)  # wrong dimension
    assert index.query(unit(1), k=0) == []


def test_persists_across_instances(tmp_path: Path) -> None:
    ChromaVectorIndex(path=tmp_path, collection="keep").upsert(["a"], [unit(1)], [{"source": "x"}])
    assert ChromaVectorIndex(path=tmp_path, collection="keep").count() == 1


def test_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="needs a path"):
        ChromaVectorIndex()
    with pytest.raises(ConfigurationError, match="http://host:8000"):
        ChromaVectorIndex(url="chroma.local:8000")


def test_unreachable_server_is_a_storage_error() -> None:
    with pytest.raises(StorageError, match="cannot open Chroma collection"):
        ChromaVectorIndex(url=f"http://127.0.0.1:{_free_port()}")


def test_collection_with_another_distance_is_refused(tmp_path: Path) -> None:
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(path=str(tmp_path), settings=Settings(anonymized_telemetry=False))
    client.get_or_create_collection("l2-units", embedding_function=None, configuration={"hnsw": {"space": "l2"}})
    with pytest.raises(StorageError, match="'l2' distance"):
        ChromaVectorIndex(client=client, collection="l2-units")


# --- Offline: no network, no default embedding model ------------------------------------------------------------------


def test_runs_offline_without_chromas_default_embedding_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[Any] = []
    real_connect = socket.socket.connect

    def loopback_only(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else str(address)
        if sock.family in (socket.AF_INET, socket.AF_INET6) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"test blocks network access to {address}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", loopback_only)
    model_cache = Path.home() / ".cache" / "chroma"
    before = sorted(model_cache.rglob("*")) if model_cache.exists() else []

    index = ChromaVectorIndex(path=tmp_path, collection="offline")
    index.upsert(["a", "b"], [unit(1), unit(2)], [{"source": "x"}, {"source": "y"}])
    assert index.query(unit(1), k=1, where=build_where(sources=["x"]))[0].unit_id == "a"
    assert index.count() == 2

    assert attempts == []
    after = sorted(model_cache.rglob("*")) if model_cache.exists() else []
    assert after == before
    assert not [p for p in after if p.suffix == ".onnx"]
    import chromadb
    from chromadb.config import Settings

    stored = chromadb.PersistentClient(path=str(tmp_path), settings=Settings(anonymized_telemetry=False))
    assert stored.get_collection("offline", embedding_function=None).configuration["embedding_function"] is None


# --- Helpers ----------------------------------------------------------------------------------------------------------


class Source(StrEnum):
    ZENDESK = "zendesk"


def test_sanitize_metadata() -> None:
    meta = {
        "source": Source.ZENDESK,
        "created_at": datetime(2026, 3, 1, 12, 0),  # naive: UTC
        "day": date(2026, 3, 2),
        "account_id": None,
        "rating": 4.5,
        "n": 3,
        "flag": False,
    }
    assert sanitize_metadata(meta) == {
        "source": "zendesk",
        "created_at": int(datetime(2026, 3, 1, 12, tzinfo=UTC).timestamp()),
        "day": int(datetime(2026, 3, 2, tzinfo=UTC).timestamp()),
        "rating": 4.5,
        "n": 3,
        "flag": False,
    }
    assert sanitize_metadata({"a": None}) is None
    assert sanitize_metadata(None) is None


def test_to_epoch_seconds() -> None:
    assert to_epoch_seconds(datetime(1970, 1, 2, tzinfo=UTC)) == DAY
    assert to_epoch_seconds(1_700_000_000.9) == 1_700_000_000
    with pytest.raises(TypeError):
        to_epoch_seconds(True)


def test_build_where_shapes() -> None:
    assert build_where() is None
    assert build_where(theme="export") == {"theme": {"$eq": "export"}}
    assert build_where(sources=["a"], since=DAY, until=2 * DAY, account_id="x", segment="smb") == {
        "$and": [
            {"source": {"$in": ["a"]}},
            {"created_at": {"$gte": DAY}},
            {"created_at": {"$lt": 2 * DAY}},
            {"account_id": {"$eq": "x"}},
            {"segment": {"$eq": "smb"}},
        ]
    }
