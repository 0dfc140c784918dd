"""Milliseconds per budget ``take`` (two buckets, as a Gong request takes) on each shared store, as JSON.

    PYTHONPATH=. python scripts/bench_budgets.py [--takes 500]

Uses a scratch SQLite file, a scratch PostgreSQL database on 127.0.0.1 (dropped after) and keys under a random
prefix in Redis database 14 on 127.0.0.1 (deleted after); a store whose service is down is reported as null."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from groundswell.core.budgets import BucketSlot, BudgetStore

SLOTS = [BucketSlot("rate:bench::3/1s", 10**9, 1.0), BucketSlot("rate:bench::10000/86400s", 10**9, 86_400.0)]


def _ms_per_take(store: BudgetStore, takes: int) -> float:
    started = time.perf_counter()
    for _ in range(takes):
        store.take(SLOTS, time.time())
    return round((time.perf_counter() - started) / takes * 1000, 3)


def _sqlite(takes: int) -> float:
    from groundswell.storage.budgets import SqlBudgetStore
    from groundswell.storage.db import create_db_engine

    with tempfile.TemporaryDirectory() as folder:
        engine = create_db_engine(f"sqlite:///{Path(folder) / 'budgets.sqlite'}")
        try:
            return _ms_per_take(SqlBudgetStore(engine, create_table=True), takes)
        finally:
            engine.dispose()


def _postgres(takes: int) -> float:
    import psycopg
    from groundswell.storage.budgets import SqlBudgetStore
    from groundswell.storage.db import create_db_engine, migrate

    name, admin = f"gs_bench_{uuid.uuid4().hex[:8]}", "host=127.0.0.1 user=postgres dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = create_db_engine(f"postgresql+psycopg://postgres@127.0.0.1/{name}")
    try:
        migrate(engine)
        return _ms_per_take(SqlBudgetStore(engine), takes)
    finally:
        engine.dispose()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _redis(takes: int) -> float:
    from groundswell.storage.budgets import RedisBudgetStore
    from groundswell.storage.cache import RedisCache

    prefix = f"gs-bench-{uuid.uuid4().hex[:8]}:"
    cache = RedisCache("redis://127.0.0.1:6379/14", prefix=prefix)
    try:
        return _ms_per_take(RedisBudgetStore(cache), takes)
    finally:
        for slot in SLOTS:
            cache.delete(slot.key)
        cache.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--takes", type=int, default=500)
    takes = parser.parse_args().takes
    benches: dict[str, Callable[[int], float]] = {"sqlite": _sqlite, "postgres": _postgres, "redis": _redis}
    result: dict[str, float | None] = {}
    for name, bench in benches.items():
        try:
            result[name] = bench(takes)
        except Exception:
            result[name] = None
    print(json.dumps({"takes": takes, "ms_per_take": result}))


if __name__ == "__main__":
    main()
