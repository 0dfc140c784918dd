"""API tokens: hashed at rest, shown once, revocable, expiring, mapped to viewers; the token bucket."""

from __future__ import annotations

from datetime import timedelta

import pytest
from groundswell.core.budgets import MemoryBudgetStore
from groundswell.core.errors import ConfigurationError
from groundswell.core.query import Viewer
from groundswell.storage.api_tokens import list_tokens
from groundswell.storage.db import session_scope, utcnow
from groundswell.surfaces.errors import TooManyRequests, Unauthorized
from groundswell.surfaces.tokens import TokenAuth, TokenBucket, hash_secret

from groundswell.runtime import build_runtime
from groundswell.settings import Settings


def _viewers(name: str) -> Viewer:
    if name not in ("sam", "ana"):
        raise ConfigurationError(f"unknown viewer {name!r}")
    return Viewer(name=name, role="restricted" if name == "sam" else "analyst", sources=frozenset({"zendesk"}))


@pytest.fixture
def auth(tmp_path) -> TokenAuth:
    runtime = build_runtime(Settings(data_dir=tmp_path, _env_file=None))  # type: ignore[call-arg]
    return TokenAuth(runtime.engine, _viewers, TokenBucket(rate=1.0, burst=100))


def test_a_token_is_stored_hashed_and_names_its_viewer(auth: TokenAuth) -> None:
    issued = auth.create("sam", days=7)
    with session_scope(auth.engine) as session:
        (row,) = list_tokens(session=session)
        assert row.secret_hash == hash_secret(issued.token) and issued.token not in (row.secret_hash, row.prefix)
    info, viewer = auth.authenticate(issued.token)
    assert viewer.name == "sam" and viewer.sources == {"zendesk"} and info.id == issued.info.id
    assert auth.list()[0].last_used_at is not None


@pytest.mark.parametrize("token", [None, "", "gsk_not-a-real-token"])
def test_missing_or_unknown_tokens_are_refused(auth: TokenAuth, token: str | None) -> None:
    auth.create("sam", days=7)
    with pytest.raises(Unauthorized):
        auth.authenticate(token)


def test_revoked_and_expired_tokens_are_refused(auth: TokenAuth) -> None:
    revoked, expired = auth.create("sam", days=7), auth.create("ana", days=7)
    auth.revoke(revoked.info.id)
    with session_scope(auth.engine) as session:
        row = next(r for r in list_tokens(session=session) if r.id == expired.info.id)
        row.expires_at = utcnow() - timedelta(seconds=1)
        session.add(row)
    with pytest.raises(Unauthorized, match="revoked"):
        auth.authenticate(revoked.token)
    with pytest.raises(Unauthorized, match="expired"):
        auth.authenticate(expired.token)


def test_unknown_viewers_get_no_token(auth: TokenAuth) -> None:
    with pytest.raises(ConfigurationError):
        auth.create("nobody", days=1)
    assert auth.list() == []


def test_the_bucket_allows_the_burst_then_refills_at_the_rate() -> None:
    now = [0.0]
    bucket = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    for _ in range(3):
        bucket.take(1)
    with pytest.raises(TooManyRequests) as refused:
        bucket.take(1)
    assert refused.value.retry_after == pytest.approx(0.5)
    bucket.take(2)  # buckets are per token
    now[0] = 0.5
    bucket.take(1)
    with pytest.raises(TooManyRequests):
        bucket.take(1)


def test_buckets_sharing_a_store_share_each_tokens_budget() -> None:
    """Two workers serving the API (each its own TokenBucket) draw on one budget per token in the shared store."""
    now = [100.0]
    store = MemoryBudgetStore()
    first, second = (TokenBucket(rate=1.0, burst=2, clock=lambda: now[0], store=store) for _ in range(2))
    first.take(7)
    second.take(7)
    with pytest.raises(TooManyRequests):
        first.take(7)
    second.take(8)  # another token's budget is untouched
