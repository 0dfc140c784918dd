"""Budget stores shared by runs and workers: the same rule on SQLite, PostgreSQL and the real Redis."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from groundswell.connectors.http import ApiClient, Rate
from groundswell.core.budgets import BucketSlot, BudgetStore, SpendLimit
from groundswell.core.errors import RateLimited
from groundswell.storage.budgets import RedisBudgetStore, SqlBudgetStore, build_budget_store
from groundswell.storage.cache import MemoryCache, RedisCache
from sqlalchemy import Engine

from tests.fakes.http import FakeClock


@pytest.fixture(params=["sql", "redis"])
def stores(request: pytest.FixtureRequest, engine: Engine) -> Iterator[tuple[BudgetStore, BudgetStore]]:
    """Two stores on one backend, as two worker processes hold them: SQL on SQLite and PostgreSQL, and Redis."""
    if request.param == "sql":
        yield SqlBudgetStore(engine), SqlBudgetStore(engine)
        return
    if engine.dialect.name == "postgresql":
        pytest.skip("the Redis store does not depend on the database engine: run once, beside SQLite")
    url = request.getfixturevalue("redis_url")
    caches = RedisCache(url), RedisCache(url)
    yield RedisBudgetStore(caches[0]), RedisBudgetStore(caches[1])
    for cache in caches:
        cache.close()


def _client(store: BudgetStore, clock: FakeClock) -> ApiClient:
    return ApiClient(
        source="gong",
        base_url="https://api.test",
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json={})),
        clock=clock,
        rates=(Rate(3, 1), Rate(10, 86_400)),
        max_wait_s=60,
        budget_store=store,
    )


def test_a_daily_budget_holds_across_runs_and_workers(stores):
    first, second = stores
    clock = FakeClock()
    for _ in range(6):
        _client(first, clock).get("/x")  # a new client per call: six runs of worker one
    worker_two = _client(second, clock)
    for _ in range(4):
        worker_two.get("/x")
    with pytest.raises(RateLimited):
        _client(first, clock).get("/x")  # the day's ten are spent, whoever spent them
    assert clock.sleeps  # the 3/s rate was shared too: later calls waited


def test_take_rule_matches_the_memory_store(stores):
    store, _ = stores
    fast, daily = BucketSlot("t:a", 3, 1.0), BucketSlot("t:b", 4, 86_400.0)
    assert [store.take([fast, daily], 100.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert store.take([fast, daily], 100.0) == pytest.approx(1 / 3)
    assert store.take([daily], 100.0) == 0.0
    assert store.take([fast, daily], 101.0) == pytest.approx(86_400 / 4 * (1 - 4 / 86_400))


def test_concurrent_takes_never_overspend(stores):
    first, second = stores
    slot = BucketSlot("t:race", 25, 86_400.0)
    with ThreadPoolExecutor(8) as pool:
        waits = list(pool.map(lambda i: (first, second)[i % 2].take([slot], 5.0), range(60)))
    assert sum(w == 0 for w in waits) == 25


def test_spend_is_atomic_and_shared(stores):
    first, second = stores
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: (first, second)[i % 2].spend("spend:t", 0.25, 60), range(40)))
    assert second.spend("spend:t", 0.0, 60) == pytest.approx(10.0)
    limit = SpendLimit(first, name="llm", limit=1.0)
    limit.record(0.75)
    assert SpendLimit(second, name="llm", limit=1.0).remaining() == pytest.approx(0.25)


def test_postgres_and_sqlite_stores_take_the_same_way(engine: Engine):
    store = SqlBudgetStore(engine)
    slot = BucketSlot("t:pg", 2, 60.0)
    assert [store.take([slot], 0.0) for _ in range(3)] == [0.0, 0.0, pytest.approx(30.0)]
    assert store.spend("spend:x", 1.25, 60) == 1.25
    assert store.spend("spend:x", 1.25, 60) == 2.5


def test_build_picks_redis_else_the_database_and_on_sqlite_a_file_of_its_own(engine: Engine, redis_url, tmp_path):
    cache = RedisCache(redis_url)
    assert isinstance(build_budget_store(engine, cache, sqlite_path=tmp_path / "b.sqlite"), RedisBudgetStore)
    cache.close()
    store = build_budget_store(engine, MemoryCache(), sqlite_path=tmp_path / "b.sqlite")
    assert isinstance(store, SqlBudgetStore)
    if engine.dialect.name == "sqlite":  # a sync's open write transaction on the main file cannot block a budget
        assert store.engine is not engine and (tmp_path / "b.sqlite").exists()
        with engine.begin() as busy:
            busy.exec_driver_sql("INSERT INTO budget_counter (key, value, stamp) VALUES ('held', 0, 0)")
            assert store.take([BucketSlot("t:x", 1, 60.0)], 0.0) == 0.0
    else:
        assert store.engine is engine
