from datetime import UTC, datetime, timedelta, timezone

from groundswell.storage.db import as_utc, create_db_engine, migrate, session_scope
from sqlalchemy import inspect
from sqlmodel import SQLModel


def test_migrations_create_every_table_and_are_idempotent(engine):
    migrate(engine)  # second run changes nothing and does not fail
    tables = set(inspect(engine).get_table_names())
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= tables
    assert "alembic_version" in tables


def test_sqlite_file_is_created_under_its_folder(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'deep' / 'gs.db'}")
    migrate(engine)
    assert (tmp_path / "deep" / "gs.db").exists()


def test_session_scope_rolls_back_on_error(engine):
    from groundswell.storage.models import Source

    try:
        with session_scope(engine) as session:
            session.add(Source(name="x", created_at=datetime.now(UTC)))
            session.flush()
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with session_scope(engine) as session:
        assert session.get(Source, "x") is None


def test_as_utc_treats_naive_as_utc_and_converts_aware():
    assert as_utc(datetime(2026, 1, 1, 12)) == datetime(2026, 1, 1, 12, tzinfo=UTC)
    plus2 = datetime(2026, 1, 1, 14, tzinfo=timezone(timedelta(hours=2)))
    assert as_utc(plus2) == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert as_utc(None) is None
