"""Caches, idempotency marks and locks: in memory (one process) or on Redis (many). The ONLY module importing redis.

Locks are leases: taken for ``ttl_s`` and renewed by a background thread every ``ttl_s / 3`` while the
``with`` block runs, so a long holder keeps its lock while a crashed one loses it ``ttl_s`` after its death.
Only the holder's random token can renew or release a lock.
"""

from __future__ import annotations

import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, Protocol, runtime_checkable

import redis
from groundswell.core.errors import GroundswellError, StorageError

__all__ = ["Cache", "HeldLock", "LockNotAcquired", "MemoryCache", "RedisCache", "build_cache"]

_POLL_S = 0.05


class LockNotAcquired(GroundswellError):
    """Someone else held the lock for longer than we were willing to wait."""


class HeldLock:
    """What ``with cache.lock(...) as held`` gives; ``lost`` turns True if a renewal found the lock taken over."""

    def __init__(self, name: str, token: str) -> None:
        self.name = name
        self.token = token
        self.lost = False


@runtime_checkable
class Cache(Protocol):
    """Bytes with expiry, counters, idempotency marks and expiring locks."""

    def get(self, key: str) -> bytes | None: ...

    def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None: ...

    def delete(self, key: str) -> None: ...

    def incr(self, key: str, ttl_s: float | None = None) -> int: ...

    def seen(self, key: str, ttl_s: float) -> bool: ...

    def lock(
        self, name: str, ttl_s: float = 60.0, *, timeout_s: float | None = None, auto_renew: bool = True
    ) -> AbstractContextManager[HeldLock]: ...

    def close(self) -> None: ...


def _ms(seconds: float) -> int:
    if seconds <= 0:
        raise ValueError(f"a ttl must be positive, got {seconds}")
    return max(1, round(seconds * 1000))


class _LeaseLocks(ABC):
    """The lock protocol shared by both caches; subclasses supply three atomic primitives on a key."""

    @abstractmethod
    def _lock_key(self, name: str) -> str: ...

    @abstractmethod
    def _try_acquire(self, key: str, token: str, ttl_ms: int) -> bool: ...

    @abstractmethod
    def _extend(self, key: str, token: str, ttl_ms: int) -> bool: ...

    @abstractmethod
    def _release(self, key: str, token: str) -> bool: ...

    @contextmanager
    def lock(
        self, name: str, ttl_s: float = 60.0, *, timeout_s: float | None = None, auto_renew: bool = True
    ) -> Iterator[HeldLock]:
        """Mutual exclusion on ``name``. Waits up to ``timeout_s`` (None: forever, 0: one try), else LockNotAcquired.

        With ``auto_renew`` (the default) the lease is extended while the block runs; without it the lock
        simply expires after ``ttl_s``, held or not.
        """
        ttl_ms = _ms(ttl_s)
        key, token = self._lock_key(name), uuid.uuid4().hex
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while not self._try_acquire(key, token, ttl_ms):
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise LockNotAcquired(f"lock {name!r} is held by someone else (waited {timeout_s}s)")
            time.sleep(_POLL_S if left is None else min(_POLL_S, left))
        held = HeldLock(name, token)
        stop = threading.Event()
        renewer = None
        if auto_renew:
            renewer = threading.Thread(
                target=self._renew, args=(key, held, ttl_ms, stop), name=f"lock-renew:{name}", daemon=True
            )
            renewer.start()
        try:
            yield held
        finally:
            stop.set()
            if renewer is not None:
                renewer.join()
            self._release(key, token)

    def _renew(self, key: str, held: HeldLock, ttl_ms: int, stop: threading.Event) -> None:
        while not stop.wait(ttl_ms / 3000):
            try:
                if not self._extend(key, held.token, ttl_ms):
                    held.lost = True
                    return
            except StorageError:
                continue  # transient: the next tick tries again, the lease has two thirds of its ttl left


class MemoryCache(_LeaseLocks):
    """The single-process cache: a dict with expiry times, guarded by one mutex."""

    def __init__(self) -> None:
        self._data: dict[str, tuple[bytes, float | None]] = {}
        self._mutex = threading.Lock()

    def _live(self, key: str) -> bytes | None:
        """The unexpired value of ``key``; the caller holds the mutex."""
        entry = self._data.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= time.monotonic():
            del self._data[key]
            return None
        return value

    def _put(self, key: str, value: bytes, ttl_ms: int | None) -> None:
        self._data[key] = (value, None if ttl_ms is None else time.monotonic() + ttl_ms / 1000)

    def get(self, key: str) -> bytes | None:
        with self._mutex:
            return self._live(key)

    def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        with self._mutex:
            self._put(key, bytes(value), None if ttl_s is None else _ms(ttl_s))

    def delete(self, key: str) -> None:
        with self._mutex:
            self._data.pop(key, None)

    def incr(self, key: str, ttl_s: float | None = None) -> int:
        """Add one; a new counter starts at 1 and expires ``ttl_s`` after creation (a fixed window)."""
        with self._mutex:
            current = self._live(key)
            if current is None:
                self._put(key, b"1", None if ttl_s is None else _ms(ttl_s))
                return 1
            try:
                value = int(current) + 1
            except ValueError:
                raise StorageError(f"cache key {key!r} does not hold an integer") from None
            self._data[key] = (str(value).encode(), self._data[key][1])
            return value

    def seen(self, key: str, ttl_s: float) -> bool:
        """Mark ``key`` for ``ttl_s``; True if it was already marked (a duplicate), False the first time."""
        with self._mutex:
            if self._live(key) is not None:
                return True
            self._put(key, b"1", _ms(ttl_s))
            return False

    def close(self) -> None:
        with self._mutex:
            self._data.clear()

    def _lock_key(self, name: str) -> str:
        return f"lock:{name}"

    def _try_acquire(self, key: str, token: str, ttl_ms: int) -> bool:
        with self._mutex:
            if self._live(key) is not None:
                return False
            self._put(key, token.encode(), ttl_ms)
            return True

    def _extend(self, key: str, token: str, ttl_ms: int) -> bool:
        with self._mutex:
            if self._live(key) != token.encode():
                return False
            self._put(key, token.encode(), ttl_ms)
            return True

    def _release(self, key: str, token: str) -> bool:
        with self._mutex:
            if self._live(key) != token.encode():
                return False
            del self._data[key]
            return True


_INCR = """
local value = redis.call('INCR', KEYS[1])
if value == 1 and tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value
"""
_EXTEND = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


@contextmanager
def _redis_errors(action: str) -> Iterator[None]:
    try:
        yield
    except redis.RedisError as exc:
        raise StorageError(f"Redis {action} failed: {exc}") from exc


class RedisCache(_LeaseLocks):
    """The shared cache on Redis; every key is prefixed so one Redis database can serve other programs too."""

    def __init__(self, url: str, *, prefix: str = "groundswell:") -> None:
        self._redis = redis.Redis.from_url(url, socket_timeout=10, health_check_interval=30)
        self._prefix = prefix
        self._incr = self._redis.register_script(_INCR)
        self._extend_script = self._redis.register_script(_EXTEND)
        self._release_script = self._redis.register_script(_RELEASE)
        self._scripts: dict[str, Any] = {}

    def _key(self, key: str) -> str:
        return self._prefix + key

    def get(self, key: str) -> bytes | None:
        with _redis_errors("get"):
            return self._redis.get(self._key(key))  # type: ignore[return-value]

    def set(self, key: str, value: bytes, ttl_s: float | None = None) -> None:
        with _redis_errors("set"):
            self._redis.set(self._key(key), value, px=None if ttl_s is None else _ms(ttl_s))

    def delete(self, key: str) -> None:
        with _redis_errors("delete"):
            self._redis.delete(self._key(key))

    def incr(self, key: str, ttl_s: float | None = None) -> int:
        """Add one; a new counter starts at 1 and expires ``ttl_s`` after creation (a fixed window)."""
        ttl_ms = 0 if ttl_s is None else _ms(ttl_s)
        with _redis_errors("incr"):
            return int(self._incr(keys=[self._key(key)], args=[ttl_ms]))  # type: ignore[arg-type]

    def seen(self, key: str, ttl_s: float) -> bool:
        """Mark ``key`` for ``ttl_s``; True if it was already marked (a duplicate), False the first time."""
        with _redis_errors("seen"):
            return not self._redis.set(self._key(key), b"1", nx=True, px=_ms(ttl_s))

    def run_script(self, script: str, keys: Sequence[str], args: Sequence[str | int | float]) -> Any:
        """Run a Lua ``script`` atomically on Redis with ``keys`` (prefixed here) and ``args``; registered once
        per script text. For stores built on this connection (e.g. ``storage.budgets``)."""
        if script not in self._scripts:
            self._scripts[script] = self._redis.register_script(script)
        with _redis_errors("script"):
            return self._scripts[script](keys=[self._key(k) for k in keys], args=list(args))

    def ping(self) -> bool:
        with _redis_errors("ping"):
            return bool(self._redis.ping())

    def close(self) -> None:
        self._redis.close()

    def _lock_key(self, name: str) -> str:
        return self._key(f"lock:{name}")

    def _try_acquire(self, key: str, token: str, ttl_ms: int) -> bool:
        with _redis_errors("lock"):
            return bool(self._redis.set(key, token, nx=True, px=ttl_ms))

    def _extend(self, key: str, token: str, ttl_ms: int) -> bool:
        with _redis_errors("lock renewal"):
            return bool(self._extend_script(keys=[key], args=[token, ttl_ms]))

    def _release(self, key: str, token: str) -> bool:
        with _redis_errors("unlock"):
            return bool(self._release_script(keys=[key], args=[token]))


def build_cache(redis_url: str | None) -> Cache:
    """Redis when a URL is configured (several processes share locks), memory otherwise."""
    return RedisCache(redis_url) if redis_url else MemoryCache()
