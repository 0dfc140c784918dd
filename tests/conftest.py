"""Shared fixtures: real PostgreSQL and Redis on 127.0.0.1 (required under CI=true, skipped elsewhere); no test
sees the developer's ``GROUNDSWELL_*`` variables or ``.env``."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.fakes.jira import FakeJira
    from tests.fakes.linear import FakeLinear

PG_HOST, PG_PORT = "127.0.0.1", 5432
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def _require(service: str, host: str, port: int) -> None:
    if _reachable(host, port):
        return
    message = f"{service} is not reachable on {host}:{port} (scripts/services.sh starts it)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _no_developer_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test configures what it needs: this machine's GROUNDSWELL_* variables and ./.env are not read."""
    for name in [name for name in os.environ if name.startswith("GROUNDSWELL_")]:
        monkeypatch.delenv(name)
    from groundswell.settings import Settings

    monkeypatch.setitem(Settings.model_config, "env_file", None)


@contextmanager
def fresh_postgres_database(prefix: str = "gs_test") -> Iterator[str]:
    """A new, empty PostgreSQL database (its SQLAlchemy URL), dropped on exit."""
    _require("PostgreSQL", PG_HOST, PG_PORT)
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = f"host={PG_HOST} port={PG_PORT} user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@{PG_HOST}:{PG_PORT}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test session, dropped afterwards."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The real Redis, database 15, flushed before and after each test."""
    _require("Redis", REDIS_HOST, REDIS_PORT)
    import redis

    url = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
    client = redis.Redis.from_url(url)
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()


@pytest.fixture
def fake_jira() -> Iterator[FakeJira]:
    """The loopback Jira fake (checks every request against the spec; no problem may be left)."""
    from tests.fakes.jira import FakeJira

    with FakeJira() as fake:
        yield fake
    assert fake.problems == [], fake.problems


@pytest.fixture
def fake_linear() -> Iterator[FakeLinear]:
    """The loopback Linear fake (checks every request against the schema; no problem may be left)."""
    from tests.fakes.linear import FakeLinear

    with FakeLinear() as fake:
        yield fake
    assert fake.problems == [], fake.problems
