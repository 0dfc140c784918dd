from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from groundswell.core.errors import StorageError
from groundswell.storage.cache import Cache, LockNotAcquired, MemoryCache, RedisCache, build_cache


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
def cache(request: pytest.FixtureRequest) -> Iterator[Cache]:
    built = MemoryCache() if request.param == "memory" else RedisCache(request.getfixturevalue("redis_url"))
    try:
        yield built
    finally:
        built.close()


def test_is_a_cache(cache: Cache) -> None:
    assert isinstance(cache, Cache)


def test_get_set_delete(cache: Cache) -> None:
    assert cache.get("k") is None
    cache.set("k", b"v1")
    assert cache.get("k") == b"v1"
    cache.set("k", b"v2")
    assert cache.get("k") == b"v2"
    cache.delete("k")
    cache.delete("never-set")
    assert cache.get("k") is None


def test_values_expire(cache: Cache) -> None:
    cache.set("short", b"x", ttl_s=0.15)
    cache.set("long", b"y", ttl_s=30)
    assert cache.get("short") == b"x"
    time.sleep(0.3)
    assert cache.get("short") is None
    assert cache.get("long") == b"y"


def test_incr_counts_in_a_fixed_window(cache: Cache) -> None:
    assert [cache.incr("hits", ttl_s=0.3) for _ in range(3)] == [1, 2, 3]
    time.sleep(0.2)
    assert cache.incr("hits", ttl_s=0.3) == 4  # later increments do not push the window's end back
    time.sleep(0.2)
    assert cache.incr("hits", ttl_s=0.3) == 1
    assert cache.incr("forever") == 1 and cache.incr("forever") == 2


def test_incr_on_a_non_integer_is_a_storage_error(cache: Cache) -> None:
    cache.set("text", b"abc")
    with pytest.raises(StorageError):
        cache.incr("text")


def test_ttl_must_be_positive(cache: Cache) -> None:
    with pytest.raises(ValueError):
        cache.set("k", b"v", ttl_s=0)


def test_seen_is_idempotent_and_expires(cache: Cache) -> None:
    assert cache.seen("slack:event:Ev123", ttl_s=0.3) is False
    assert cache.seen("slack:event:Ev123", ttl_s=0.3) is True
    assert cache.seen("slack:event:Ev456", ttl_s=0.3) is False
    time.sleep(0.45)
    assert cache.seen("slack:event:Ev123", ttl_s=0.3) is False


def test_seen_under_concurrency_lets_exactly_one_through(cache: Cache) -> None:
    firsts: list[bool] = []
    barrier = threading.Barrier(8)

    def deliver() -> None:
        barrier.wait()
        firsts.append(not cache.seen("event", ttl_s=10))

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert firsts.count(True) == 1


def test_lock_gives_mutual_exclusion_between_threads(cache: Cache) -> None:
    inside = 0
    max_inside = 0
    entries = 0
    guard = threading.Lock()

    def worker() -> None:
        nonlocal inside, max_inside, entries
        for _ in range(5):
            with cache.lock("job", ttl_s=5):
                with guard:
                    inside += 1
                    entries += 1
                    max_inside = max(max_inside, inside)
                time.sleep(0.005)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert entries == 20
    assert max_inside == 1


def test_lock_timeout_and_release(cache: Cache) -> None:
    with cache.lock("job", ttl_s=5) as held:
        assert held.name == "job" and not held.lost
        started = time.monotonic()
        with pytest.raises(LockNotAcquired, match="job"), cache.lock("job", timeout_s=0.2):
            pass
        assert 0.15 < time.monotonic() - started < 2
        with cache.lock("other-job", timeout_s=0):  # names are independent
            pass
    with cache.lock("job", timeout_s=0):  # released on exit
        pass


def test_lock_is_released_when_the_block_raises(cache: Cache) -> None:
    with pytest.raises(RuntimeError), cache.lock("job"):
        raise RuntimeError("boom")
    with cache.lock("job", timeout_s=0):
        pass


def test_abandoned_lock_expires(cache: Cache) -> None:
    abandoned = cache.lock("job", ttl_s=0.3, auto_renew=False)
    abandoned.__enter__()  # the holder never exits and does not renew: as if it hung or died
    with pytest.raises(LockNotAcquired):
        cache.lock("job", timeout_s=0).__enter__()
    time.sleep(0.35)
    with cache.lock("job", timeout_s=0.5):
        pass


def test_renewal_keeps_a_long_holders_lock(cache: Cache) -> None:
    with cache.lock("job", ttl_s=1.5) as held:  # renewal every ttl/3: tolerant of a loaded machine's scheduling
        time.sleep(4.6)  # more than three ttls
        with pytest.raises(LockNotAcquired):
            cache.lock("job", timeout_s=0).__enter__()
        assert not held.lost
    with cache.lock("job", timeout_s=0):
        pass


def test_an_expired_holder_cannot_release_the_next_holders_lock(cache: Cache) -> None:
    first = cache.lock("job", ttl_s=0.2, auto_renew=False)
    first.__enter__()
    time.sleep(0.3)
    with cache.lock("job", ttl_s=5, timeout_s=0):
        first.__exit__(None, None, None)  # the late first holder releases: must not free our lock
        with pytest.raises(LockNotAcquired):
            cache.lock("job", timeout_s=0).__enter__()


def test_renewal_notices_a_lost_lock(cache: Cache) -> None:
    with cache.lock("job", ttl_s=0.3) as held:
        cache.delete("lock:job")  # someone force-unlocks (both caches keep locks under "lock:<name>")
        with cache.lock("job", ttl_s=5, timeout_s=0):
            time.sleep(0.25)
            assert held.lost


def test_build_cache() -> None:
    assert isinstance(build_cache(None), MemoryCache)
    assert isinstance(build_cache(""), MemoryCache)
    assert isinstance(build_cache("redis://127.0.0.1:6379/15"), RedisCache)


# --- Redis only ----------------------------------------------------------------------------------------------------


@pytest.mark.redis
def test_redis_keys_are_prefixed_and_locks_carry_a_ttl(redis_url: str) -> None:
    cache = RedisCache(redis_url, prefix="gs-test:")
    raw = redis.Redis.from_url(redis_url)
    cache.set("k", b"v")
    assert raw.get("gs-test:k") == b"v"
    with cache.lock("job", ttl_s=10) as held:
        assert raw.get("gs-test:lock:job") == held.token.encode()
        assert 0 < raw.pttl("gs-test:lock:job") <= 10_000
    assert raw.exists("gs-test:lock:job") == 0
    assert cache.ping()


def test_unreachable_redis_is_a_storage_error() -> None:
    cache = RedisCache("redis://127.0.0.1:1/0")
    with pytest.raises(StorageError, match="Redis get failed"):
        cache.get("k")


def _hold_lock_in_child(url: str, name: str, ttl_s: float, hold_s: float, acquired: multiprocessing.Event) -> None:
    cache = RedisCache(url)
    with cache.lock(name, ttl_s=ttl_s):
        acquired.set()
        time.sleep(hold_s)


@pytest.fixture
def spawn(monkeypatch: pytest.MonkeyPatch) -> multiprocessing.context.SpawnContext:
    # A spawned child re-imports this test module by name and gets the parent's sys.path: make sure the
    # project root is on it, whichever way pytest was started (python -m pytest or the pytest script).
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    return multiprocessing.get_context("spawn")


@pytest.mark.redis
def test_a_second_process_contends_the_redis_lock(redis_url: str, spawn: multiprocessing.context.SpawnContext) -> None:
    acquired = spawn.Event()
    child = spawn.Process(target=_hold_lock_in_child, args=(redis_url, "job", 0.3, 1.2, acquired))
    child.start()
    try:
        assert acquired.wait(30), "the child never took the lock"
        cache = RedisCache(redis_url)
        with pytest.raises(LockNotAcquired):  # held (and renewed past its 0.3 s ttl) by the other process
            cache.lock("job", timeout_s=0.6).__enter__()
        started = time.monotonic()
        with cache.lock("job", timeout_s=10):  # granted once the child releases
            assert child.exitcode is None or child.exitcode == 0
        assert time.monotonic() - started < 5
    finally:
        child.join(10)
    assert child.exitcode == 0


@pytest.mark.redis
def test_a_crashed_processs_lock_expires(redis_url: str, spawn: multiprocessing.context.SpawnContext) -> None:
    acquired = spawn.Event()
    child = spawn.Process(target=_hold_lock_in_child, args=(redis_url, "job", 0.5, 60, acquired))
    child.start()
    try:
        assert acquired.wait(30), "the child never took the lock"
    finally:
        child.kill()  # SIGKILL: no release, no more renewals
        child.join(10)
    cache = RedisCache(redis_url)
    with pytest.raises(LockNotAcquired):
        cache.lock("job", timeout_s=0).__enter__()
    started = time.monotonic()
    with cache.lock("job", timeout_s=5):
        waited = time.monotonic() - started
    assert waited < 1.0
