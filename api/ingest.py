"""``POST /ingest/{source}``: push sources send signed batches of feedback.

- Signature: ``X-Groundswell-Timestamp`` (unix seconds) and ``X-Groundswell-Signature: v1=<hex>``, the
  HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the source's secret; outside the replay window, or wrong:
  401. A source without a secret: 404 (before the body is read).
- Replay: a signature is accepted once inside the window (the nonce is the signature, remembered in the cache —
  Redis when configured); the same signed request again: 409. With an ``Idempotency-Key`` a retry instead gets
  the first answer back (``Idempotent-Replayed: true``) and stores nothing; the same key with another body: 422.
- Limits: a body over ``max_body_bytes`` is refused with 413 while it is read (``Content-Length`` first, then
  the stream, never read whole); more than ``max_batch`` records: 413.
- Records are validated one by one: the good ones are stored, each bad one is kept as a rejected record
  (stage ``push``) and listed with its errors in ``rejected``; a batch with no good record: 422.
- Concurrency: two deliveries of one batch at once store it once (a lost race on a unique key is retried and
  then sees the winner's rows, or its idempotency answer).
- Every refusal is ``application/problem+json`` (``api.problems``): malformed JSON or a body of the wrong shape
  is 400, never a 500; a database that stays busy is 503.
- Each record is kept verbatim as a raw record (``deleted: true`` is a tombstone); units are cut at once and
  embedded by the next pipeline run; vectors of removed units are dropped at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from groundswell.api.problems import Problem
from groundswell.connectors.push import PushSource, RecordError, validate_records
from groundswell.core.models import RecordFailure
from groundswell.core.privacy import Privacy
from groundswell.core.protocols import VectorIndex
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry
from groundswell.jobs.embed import remove_vectors
from groundswell.jobs.ingest import process_record
from groundswell.storage.cache import Cache, MemoryCache
from groundswell.storage.db import DatabaseError, Engine, IntegrityError, OperationalError, session_scope
from groundswell.storage.identity import IdentityCache
from groundswell.storage.raw import add_rejected, ensure_source
from groundswell.storage.sources import get_push_request, save_push_request
from groundswell.storage.suppression import Suppressions
from starlette.concurrency import run_in_threadpool

from groundswell.runtime import Runtime

__all__ = ["IngestDeps", "build_ingest_router", "sign"]

SIGNATURE_HEADER = "X-Groundswell-Signature"
TIMESTAMP_HEADER = "X-Groundswell-Timestamp"
_RACE_RETRIES = 5


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value for ``body`` sent at ``timestamp``."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


@dataclass
class IngestDeps:
    engine: Engine
    secrets: Mapping[str, str]
    privacy: Privacy | None = None
    vectors: VectorIndex | None = None
    max_batch: int = 500
    max_body_bytes: int = 5_000_000
    replay_window_s: int = 300
    company_domains: Sequence[str] = ()
    now: Callable[[], float] = field(default=time.time)
    nonces: Cache = field(default_factory=MemoryCache)
    telemetry: Telemetry = NO_TELEMETRY  # records and redacted units, per pipeline stage

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> IngestDeps:
        s = runtime.settings
        return cls(
            engine=runtime.engine,
            secrets={name: secret.get_secret_value() for name, secret in s.push_secrets.items()},
            privacy=runtime.privacy,
            vectors=runtime.vectors,
            max_batch=s.push_max_batch,
            max_body_bytes=s.push_max_body_bytes,
            replay_window_s=s.push_replay_window_s,
            company_domains=s.company_domains,
            nonces=runtime.cache,
            telemetry=runtime.telemetry,
        )


async def _read_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 as soon as it is known to exceed ``limit`` (never buffered past it)."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Problem(400, "malformed Content-Length")
        if int(declared) > limit:
            raise Problem(413, f"body of {declared} bytes; at most {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, f"body over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _verify(deps: IngestDeps, secret: str, request: Request, body: bytes) -> str:
    """The request's signature once it is checked (401 otherwise)."""
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    try:
        age = abs(deps.now() - int(timestamp))
    except ValueError:
        raise Problem(401, f"missing or malformed {TIMESTAMP_HEADER}") from None
    if age > deps.replay_window_s:
        raise Problem(401, f"timestamp outside the {deps.replay_window_s}s replay window")
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.encode("utf-8", "replace")):
        raise Problem(401, "bad signature")
    return signature


def _parse(deps: IngestDeps, body: bytes) -> list[Any]:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise Problem(400, f"body is not JSON: {type(exc).__name__}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise Problem(400, 'body must be an object {"records": [...]}')
    if len(data["records"]) > deps.max_batch:
        raise Problem(413, f"{len(data['records'])} records; at most {deps.max_batch} per request")
    return data["records"]


def _keep_rejected(session: Any, source: str, items: list[Any], refused: list[RecordError]) -> None:
    for error in refused:
        raw = json.dumps(items[error.index], ensure_ascii=False, default=str)
        failure = RecordFailure(source=source, external_id=error.external_id, reason=error.reason, raw=raw)
        add_rejected(session=session, failure=failure, stage="push")


def _store_once(deps: IngestDeps, source: str, key: str | None, body_sha: str, items: list[Any]) -> tuple[dict, bool]:
    valid, refused = validate_records(items)
    push = PushSource(source, company_domains=deps.company_domains)
    removed: list[str] = []
    with session_scope(deps.engine) as session:
        if key:
            previous = get_push_request(session=session, source=source, key=key)
            if previous is not None:
                if previous.body_sha256 != body_sha:
                    raise Problem(422, "Idempotency-Key reused with a different body")
                return dict(previous.response), True
        ensure_source(session=session, name=source, kind="webhook", channel="other")
        _keep_rejected(session, source, items, refused)
        deps.telemetry.count_processed("ingest", len(refused))
        counts: dict[str, int] = {"rejected": len(refused)} if refused else {}
        cache, suppressions = IdentityCache(), Suppressions(session)
        for record, payload in valid:
            outcome, changes = process_record(
                session=session,
                source=push,
                record=push.raw(record, payload),
                cache=cache,
                privacy=deps.privacy,
                suppressions=suppressions,
                telemetry=deps.telemetry,
            )
            counts[str(outcome)] = counts.get(str(outcome), 0) + 1
            removed += changes.removed
        result: dict[str, Any] = {"source": source, "records": len(items), "outcomes": counts}
        result["rejected"] = [e.as_dict() for e in refused]
        if key and valid:
            save_push_request(session=session, source=source, key=key, body_sha256=body_sha, response=result)
    if deps.vectors is not None:
        remove_vectors(index=deps.vectors, unit_ids=removed)
    return result, False


def _store(deps: IngestDeps, source: str, key: str | None, body: bytes, items: list[Any]) -> tuple[dict, bool]:
    """Store the batch and the idempotency key in one transaction; (result, replayed).

    A concurrent delivery of the same records or key makes the loser's transaction fail on a unique key (or,
    on SQLite, on the write lock); it is rolled back and run again, and then sees what the winner stored.
    """
    body_sha = hashlib.sha256(body).hexdigest()
    for attempt in range(_RACE_RETRIES):
        try:
            return _store_once(deps, source, key, body_sha, items)
        except (IntegrityError, OperationalError):
            if attempt == _RACE_RETRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def build_ingest_router(deps: IngestDeps | Runtime) -> APIRouter:
    """The push endpoint; ``deps`` is a Runtime (the app) or explicit IngestDeps (tests)."""
    resolved = IngestDeps.from_runtime(deps) if isinstance(deps, Runtime) else deps
    router = APIRouter()

    async def handle(source: str, request: Request, response: Response) -> dict[str, Any]:
        secret = resolved.secrets.get(source)
        if not secret:
            raise Problem(404, f"unknown push source {source!r}")
        body = await _read_body(request, resolved.max_body_bytes)
        signature = _verify(resolved, secret, request, body)
        items = _parse(resolved, body)
        key = request.headers.get("Idempotency-Key") or None
        nonce = f"push-nonce:{source}:{signature}"
        if key is None and resolved.nonces.seen(nonce, ttl_s=2 * resolved.replay_window_s):
            raise Problem(409, "this signed request was already received (replay)")
        try:
            result, replayed = await run_in_threadpool(_store, resolved, source, key, body, items)
        except Exception:
            resolved.nonces.delete(nonce)  # not stored: the sender may try again
            raise
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        if result["rejected"] and not any(k != "rejected" for k in result["outcomes"]):
            errors = [e for r in result["rejected"] for e in r["errors"]]
            raise Problem(422, "no valid record in the batch", errors=errors, rejected=result["rejected"])
        return result

    @router.post("/ingest/{source}", response_model=None)
    async def ingest(source: str, request: Request, response: Response) -> Any:
        try:
            return await handle(source, request, response)
        except Problem as problem:
            return problem.response()
        except DatabaseError:
            return Problem(503, "the database is busy; try again").response({"Retry-After": "5"})

    return router
