"""Budget stores shared by every run and worker: on Redis (one Lua script per operation) or in the database
(one transaction per operation). Both implement :class:`core.budgets.BudgetStore` with the same rule."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

from groundswell.core.budgets import BucketSlot, BudgetStore, take_all
from groundswell.storage.cache import Cache, RedisCache
from groundswell.storage.db import create_db_engine
from groundswell.storage.models import BudgetCounter
from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

__all__ = ["RedisBudgetStore", "SqlBudgetStore", "build_budget_store"]

_TABLE = BudgetCounter.__table__  # type: ignore[attr-defined]


def _insert(engine: Engine):  # noqa: ANN202 (a dialect insert construct)
    return (postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert)(_TABLE)


class SqlBudgetStore:
    """Budget rows in the ``budget_counter`` table. ``take`` inserts missing buckets first, which takes SQLite's
    write lock (and PostgreSQL row locks via ``FOR UPDATE``), so concurrent takers serialise per bucket.

    ``create_table`` makes the table itself (an SQLite file of its own, see :func:`build_budget_store`)."""

    def __init__(self, engine: Engine, *, create_table: bool = False) -> None:
        self.engine = engine
        if create_table:
            _TABLE.create(engine, checkfirst=True)

    def take(self, slots: Sequence[BucketSlot], now: float) -> float:
        if not slots:
            return 0.0
        ordered = sorted({s.key: s for s in slots}.values(), key=lambda s: s.key)  # one lock order: no deadlock
        with self.engine.begin() as conn:
            fresh = [{"key": s.key, "value": float(s.calls), "stamp": now} for s in ordered]
            conn.execute(_insert(self.engine).values(fresh).on_conflict_do_nothing(index_elements=["key"]))
            query = select(_TABLE.c.key, _TABLE.c.value, _TABLE.c.stamp).where(
                _TABLE.c.key.in_([s.key for s in ordered])
            )
            if self.engine.dialect.name == "postgresql":
                query = query.order_by(_TABLE.c.key).with_for_update()
            state = {key: (value, stamp) for key, value, stamp in conn.execute(query)}
            wait = take_all(state, ordered, now)
            for slot in ordered:
                tokens, stamp = state[slot.key]
                conn.execute(_TABLE.update().where(_TABLE.c.key == slot.key).values(value=tokens, stamp=stamp))
        return wait

    def spend(self, key: str, amount: float, ttl_s: float) -> float:
        stmt = _insert(self.engine).values(key=key, value=amount, stamp=0.0)
        stmt = stmt.on_conflict_do_update(
            index_elements=["key"], set_={"value": _TABLE.c.value + stmt.excluded.value}
        ).returning(_TABLE.c.value)
        with self.engine.begin() as conn:
            return float(conn.execute(stmt).scalar_one())


_TAKE = """
local now = tonumber(ARGV[1])
local wait = 0
local levels = {}
for i, key in ipairs(KEYS) do
  local calls, per = tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1])
  local state = redis.call('HMGET', key, 'tokens', 'stamp')
  local tokens = tonumber(state[1]) or calls
  local stamp = tonumber(state[2]) or now
  tokens = math.min(calls, tokens + math.max(0, now - stamp) * calls / per)
  levels[i] = tokens
  if tokens < 1 - 1e-9 then wait = math.max(wait, (1 - tokens) * per / calls) end
end
for i, key in ipairs(KEYS) do
  local tokens = levels[i]
  if wait <= 0 then tokens = math.max(0, tokens - 1) end
  redis.call('HSET', key, 'tokens', string.format('%.17g', tokens), 'stamp', ARGV[1])
  redis.call('PEXPIRE', key, ARGV[2 * #KEYS + 1 + i])
end
return string.format('%.17g', wait)
"""
_SPEND = """
local total = redis.call('INCRBYFLOAT', KEYS[1], ARGV[1])
if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return total
"""


class RedisBudgetStore:
    """Budgets on the shared Redis cache's connection; a bucket key expires once it would be full again."""

    def __init__(self, cache: RedisCache) -> None:
        self.cache = cache

    def take(self, slots: Sequence[BucketSlot], now: float) -> float:
        if not slots:
            return 0.0
        ordered = list({s.key: s for s in slots}.values())
        args: list[str | int | float] = [repr(now)]
        for slot in ordered:
            args += [slot.calls, repr(float(slot.per_s))]
        args += [max(1, math.ceil(slot.per_s * 1000)) for slot in ordered]
        return float(self.cache.run_script(_TAKE, [s.key for s in ordered], args))

    def spend(self, key: str, amount: float, ttl_s: float) -> float:
        return float(self.cache.run_script(_SPEND, [key], [repr(float(amount)), max(1, math.ceil(ttl_s * 1000))]))


def build_budget_store(engine: Engine, cache: Cache, *, sqlite_path: Path) -> BudgetStore:
    """Redis when the runtime's cache is on Redis, else the database: shared by every process either way.

    On SQLite the budgets get a file of their own (``sqlite_path``): a sync holds the main file's single write
    lock while it stores a page, and the budget of its next request must not wait for that."""
    if isinstance(cache, RedisCache):
        return RedisBudgetStore(cache)
    if engine.dialect.name == "sqlite":
        return SqlBudgetStore(create_db_engine(f"sqlite:///{sqlite_path}"), create_table=True)
    return SqlBudgetStore(engine)
