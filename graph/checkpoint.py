"""Per-thread conversation state: a LangGraph checkpointer on SQLite (default) or PostgreSQL (production)."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

import psycopg
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

__all__ = [
    "CHECKPOINT_SCHEMA",
    "build_checkpointer",
    "close_checkpointer",
    "forget_threads",
    "postgres_dsn",
    "postgres_pool",
]

CHECKPOINT_SCHEMA = "langgraph"  # PostgreSQL: the checkpointer's tables stay out of the application schema
POOL_NAME = "groundswell-checkpoints"
POOL_MAX_SIZE = 8  # threads answering at once (Slack listeners) each borrow one connection


def postgres_dsn(database_url: str) -> str:
    """A libpq URL from an SQLAlchemy one (``postgresql+psycopg://`` → ``postgresql://``)."""
    scheme, rest = database_url.split("://", 1)
    return f"{scheme.split('+', 1)[0]}://{rest}"


def postgres_pool(dsn: str, *, max_size: int = POOL_MAX_SIZE) -> ConnectionPool:
    """Connections for the checkpointer: checked before each use (a dropped one is replaced, so a database
    restart costs one reconnect, not the process), shared by the threads answering at once."""
    return ConnectionPool(
        dsn,
        min_size=1,
        max_size=max_size,
        kwargs={
            "autocommit": True,
            "prepare_threshold": 0,
            "row_factory": dict_row,
            "options": f"-c search_path={CHECKPOINT_SCHEMA}",
            "application_name": POOL_NAME,  # how operators (and the tests) find its sessions in pg_stat_activity
        },
        check=ConnectionPool.check_connection,
        name=POOL_NAME,
        open=True,
    )


def build_checkpointer(
    *, database_url: str | None, sqlite_path: Path, pool_size: int = POOL_MAX_SIZE
) -> BaseCheckpointSaver:
    """PostgreSQL (a connection pool) when the database URL is PostgreSQL, else an SQLite file (created, tables
    set up)."""
    if database_url and database_url.startswith("postgresql"):
        dsn = postgres_dsn(database_url)
        with psycopg.connect(dsn, autocommit=True) as admin:
            admin.execute(f'CREATE SCHEMA IF NOT EXISTS "{CHECKPOINT_SCHEMA}"')
        saver: BaseCheckpointSaver = PostgresSaver(postgres_pool(dsn, max_size=pool_size))  # type: ignore[arg-type]
    else:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        saver = SqliteSaver(sqlite3.connect(sqlite_path, check_same_thread=False))
    saver.setup()  # type: ignore[attr-defined]
    return saver


def close_checkpointer(saver: BaseCheckpointSaver) -> None:
    """Close the saver's connection or pool."""
    conn = getattr(saver, "conn", None)
    if conn is not None:
        conn.close()


def forget_threads(saver: BaseCheckpointSaver, needles: Collection[str]) -> int:
    """Delete every conversation whose state mentions one of ``needles`` (case-insensitive); then compact the
    store so the deleted bytes are gone. Returns how many threads were deleted."""
    lowered = [n.lower() for n in needles if n]
    if not lowered:
        return 0
    threads: set[str] = set()
    for saved in saver.list(None):
        thread = str(saved.config["configurable"]["thread_id"])
        if thread in threads:
            continue
        state = repr((saved.checkpoint, saved.metadata, saved.pending_writes)).lower()
        if any(n in state for n in lowered):
            threads.add(thread)
    for thread in sorted(threads):
        saver.delete_thread(thread)
    conn = getattr(saver, "conn", None)
    if threads and isinstance(conn, sqlite3.Connection):
        conn.commit()
        conn.execute("VACUUM")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elif threads and isinstance(conn, psycopg.Connection):  # autocommit, as build_checkpointer opens it
        conn.execute("VACUUM FULL checkpoints, checkpoint_blobs, checkpoint_writes")
    return len(threads)
