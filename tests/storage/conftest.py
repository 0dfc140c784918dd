"""Storage tests run against SQLite and the real PostgreSQL (same tests, both engines)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from groundswell.storage.db import create_db_engine, migrate
from sqlalchemy import Engine, text
from sqlmodel import SQLModel


@pytest.fixture(scope="session")
def _pg_engine(postgres_url: str) -> Iterator[Engine]:
    engine = create_db_engine(postgres_url)
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
        migrate(engine)
        yield engine
        engine.dispose()
        return
    engine = request.getfixturevalue("_pg_engine")
    names = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    yield engine


@pytest.fixture(scope="session")
def demo_truth(tmp_path_factory: pytest.TempPathFactory):
    """The ground truth of a small demo corpus (records=600, seed=3, fixed end), read once per session."""
    from datetime import UTC, datetime

    from groundswell.demo.generate import generate_demo

    from tests.storage.truth_db import read_truth

    end = datetime(2026, 6, 1, tzinfo=UTC)
    summary = generate_demo(tmp_path_factory.mktemp("truth") / "out", records=600, seed=3, end=end)
    return read_truth(summary.truth_dir)
