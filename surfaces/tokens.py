"""API tokens: a high-entropy secret shown once, stored as its sha256; revocable, expiring; one viewer each.

``TokenAuth.authenticate`` turns a presented bearer token into the viewer it names (resolved through the runtime's
viewer directory on every call, so a viewer's scope changes apply at once) and spends one unit of that token's
rate-limit bucket.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from groundswell.core.budgets import BucketSlot, BudgetStore, MemoryBudgetStore
from groundswell.core.errors import ConfigurationError
from groundswell.core.query import Viewer
from groundswell.storage.api_tokens import ApiToken, find_token, insert_token, list_tokens, revoke_token, touch_token
from groundswell.storage.db import Engine, as_utc, session_scope, utcnow
from groundswell.surfaces.errors import TooManyRequests, Unauthorized

__all__ = ["TOKEN_PREFIX", "IssuedToken", "TokenAuth", "TokenBucket", "TokenInfo", "hash_secret"]

TOKEN_PREFIX = "gsk_"
SHOWN_PREFIX = 12  # characters of the token kept in clear to tell tokens apart in lists


def hash_secret(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class TokenInfo:
    id: int
    viewer: str
    prefix: str
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    @classmethod
    def of(cls, row: ApiToken) -> TokenInfo:
        assert row.id is not None
        return cls(row.id, row.viewer, row.prefix, row.label, row.created_at, row.expires_at, row.revoked_at,
                   row.last_used_at)  # fmt: skip

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or as_utc(self.expires_at) > now)


@dataclass(frozen=True)
class IssuedToken:
    info: TokenInfo
    token: str  # the only time the secret exists outside the caller's hands


class TokenBucket:
    """Per-token buckets: ``burst`` at once, refilled at ``rate`` per second, kept in a
    :class:`core.budgets.BudgetStore` (the runtime's is Redis or the database, so every worker and process
    serving the API shares one budget per token; the default is in process)."""

    def __init__(
        self,
        rate: float,
        burst: int,
        clock: Callable[[], float] = time.time,
        *,
        store: BudgetStore | None = None,
    ) -> None:
        self.rate, self.burst, self.clock = rate, burst, clock
        self.store = store if store is not None else MemoryBudgetStore()

    def take(self, key: str | int) -> None:
        """Spend one unit or raise :class:`TooManyRequests` with the seconds until one is back. ``key`` must be
        unique across databases sharing the store (the token's hash, not its row id); the bucket's shape is part
        of the stored key, so a changed rate or burst starts a fresh bucket."""
        slot = BucketSlot(f"api-token:{key}:{self.burst}:{self.rate:g}", calls=self.burst, per_s=self.burst / self.rate)
        wait = self.store.take([slot], self.clock())
        if wait > 0:
            raise TooManyRequests(f"rate limit: {self.burst} requests, then {self.rate:g}/s", retry_after=wait)


class TokenAuth:
    """Issues, lists, revokes and checks tokens; ``viewers`` resolves a name (``Runtime.viewer``)."""

    def __init__(
        self,
        engine: Engine,
        viewers: Callable[[str], Viewer],
        bucket: TokenBucket,
        *,
        on_denied: Callable[[str, str, str, str], None] | None = None,
    ) -> None:
        """``on_denied(surface, token_viewer_or_prefix, reason, code)`` records each refusal (the audit log);
        ``code`` is unauthorized or rate_limited."""
        self.engine, self.viewers, self.bucket, self.on_denied = engine, viewers, bucket, on_denied

    def create(self, viewer: str, *, days: int | None, label: str = "") -> IssuedToken:
        self.viewers(viewer)  # unknown viewers are refused before anything is stored
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        expires = utcnow() + timedelta(days=days) if days else None
        with session_scope(self.engine) as session:
            row = insert_token(session=session, viewer=viewer, prefix=token[:SHOWN_PREFIX],
                               secret_hash=hash_secret(token), expires_at=expires, label=label)  # fmt: skip
            return IssuedToken(TokenInfo.of(row), token)

    def list(self) -> list[TokenInfo]:
        with session_scope(self.engine) as session:
            return [TokenInfo.of(row) for row in list_tokens(session=session)]

    def revoke(self, token_id: int) -> TokenInfo:
        with session_scope(self.engine) as session:
            return TokenInfo.of(revoke_token(session=session, token_id=token_id))

    def authenticate(self, token: str | None, *, spend: bool = True, surface: str = "rest") -> tuple[TokenInfo, Viewer]:
        """The token's viewer; :class:`Unauthorized` for a missing, unknown, revoked or expired token,
        :class:`TooManyRequests` past the token's bucket; each refusal goes to ``on_denied``.
        ``spend``: take one unit of the token's bucket (a transport's gate checks without spending)."""
        try:
            return self._authenticate(token, spend=spend)
        except (Unauthorized, TooManyRequests) as exc:
            if self.on_denied is not None:
                who = token.strip()[:SHOWN_PREFIX] if token else "anonymous"
                code = "rate_limited" if isinstance(exc, TooManyRequests) else "unauthorized"
                self.on_denied(surface, f"token:{who}", f"{exc.title}: {exc.detail}", code)
            raise

    def _authenticate(self, token: str | None, *, spend: bool) -> tuple[TokenInfo, Viewer]:
        if not token:
            raise Unauthorized("a bearer token is required (groundswell tokens create --viewer NAME)")
        presented = hash_secret(token.strip())
        now = utcnow()
        with session_scope(self.engine) as session:
            row = find_token(session=session, secret_hash=presented)
            if row is None or not hmac.compare_digest(row.secret_hash, presented):
                raise Unauthorized("unknown token")
            info = TokenInfo.of(row)
            if not info.active(now):
                raise Unauthorized("token revoked" if info.revoked_at else "token expired")
            touch_token(session=session, token_id=info.id, at=now)
        try:
            viewer = self.viewers(info.viewer)
        except ConfigurationError as exc:
            raise Unauthorized(f"the token's viewer {info.viewer!r} is no longer configured") from exc
        if spend:
            self.bucket.take(presented[:32])  # the token's hash: row ids repeat across databases sharing Redis
        return info, viewer
