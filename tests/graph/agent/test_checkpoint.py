"""Thread state survives the process on the SQLite file (default) and on PostgreSQL (production)."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from groundswell.graph.agent import Agent
from groundswell.graph.checkpoint import (
    CHECKPOINT_SCHEMA,
    POOL_NAME,
    build_checkpointer,
    close_checkpointer,
    postgres_dsn,
)

from tests.graph.agent.stubs import ADMIN, ScriptedPlanner, context
from tests.graph.agent.test_agent import TOP, _smb


def _two_processes(database_url: str | None, sqlite_path: Path) -> ScriptedPlanner:
    """Ask in one agent, close it, follow up in a fresh agent over the same store."""
    planner = ScriptedPlanner({"top themes?": TOP, "and for SMB?": _smb})
    saver = build_checkpointer(database_url=database_url, sqlite_path=sqlite_path)
    Agent(context(planner), checkpointer=saver).ask("top themes?", viewer=ADMIN, thread_id="slack:C1:123.456")
    close_checkpointer(saver)
    saver = build_checkpointer(database_url=database_url, sqlite_path=sqlite_path)
    try:
        answer = Agent(context(planner), checkpointer=saver).ask(
            "and for SMB?", viewer=ADMIN, thread_id="slack:C1:123.456"
        )
    finally:
        close_checkpointer(saver)
    assert answer.plan.filters.segments == ["SMB"] and answer.thread_id == "slack:C1:123.456"
    return planner


def test_sqlite_file_keeps_threads(tmp_path: Path) -> None:
    planner = _two_processes(None, tmp_path / "data" / "checkpoints.sqlite")
    assert planner.calls[1][1] == TOP
    assert (tmp_path / "data" / "checkpoints.sqlite").stat().st_size > 0


def test_postgres_keeps_threads_in_its_own_schema(postgres_url: str, tmp_path: Path) -> None:
    planner = _two_processes(postgres_url, tmp_path / "unused.sqlite")
    assert planner.calls[1][1] == TOP and not (tmp_path / "unused.sqlite").exists()
    with psycopg.connect(postgres_dsn(postgres_url)) as conn:
        rows = conn.execute("SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE %s", ("ada:%",)).fetchone()
        public = conn.execute(
            "SELECT count(*) FROM information_schema.tables"
            " WHERE table_schema = 'public' AND table_name LIKE 'checkpoint%'"
        ).fetchone()
    assert rows and rows[0] >= 2 and public == (0,) and CHECKPOINT_SCHEMA == "langgraph"


def test_postgres_checkpointer_reconnects_after_its_connections_are_killed(postgres_url: str, tmp_path: Path) -> None:
    planner = ScriptedPlanner({"top themes?": TOP, "and for SMB?": _smb})
    saver = build_checkpointer(database_url=postgres_url, sqlite_path=tmp_path / "unused.sqlite", pool_size=4)
    agent = Agent(context(planner), checkpointer=saver)
    try:
        agent.ask("top themes?", viewer=ADMIN, thread_id="slack:C1:9.9")
        dsn = postgres_dsn(postgres_url)
        with psycopg.connect(dsn, autocommit=True) as admin:  # a database restart, as the checkpointer sees it
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                (POOL_NAME,),
            ).fetchone()
        assert killed and killed[0] >= 1
        answer = agent.ask("and for SMB?", viewer=ADMIN, thread_id="slack:C1:9.9")
    finally:
        close_checkpointer(saver)
    assert answer.plan.filters.segments == ["SMB"]  # the thread's state was read through a fresh connection


@pytest.mark.parametrize("url", ["postgresql+psycopg://u:p@h:5432/db", "postgresql://u@h/db"])
def test_postgres_dsn(url: str) -> None:
    assert postgres_dsn(url).startswith("postgresql://u")
