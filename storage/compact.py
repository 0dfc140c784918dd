"""Physically drop deleted rows' bytes after an erasure: SQLite is vacuumed and its WAL truncated, PostgreSQL's
touched tables are rewritten (``VACUUM FULL``), so a byte scan of the files finds nothing of what was deleted."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import SQLModel

__all__ = ["compact"]


def compact(engine: Engine, tables: Iterable[str]) -> None:
    known = {t.name for t in SQLModel.metadata.sorted_tables}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("VACUUM")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        elif engine.dialect.name == "postgresql":
            for table in sorted(set(tables) & known):  # names from the schema only, never from input
                connection.exec_driver_sql(f'VACUUM FULL "{table}"')
