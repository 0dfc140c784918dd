"""``POST /ingest/{source}``: push sources send signed batches of feedback.

- Signature: ``X-Groundswell-Timestamp`` (unix seconds) and ``X-Groundswell-Signature: v1=<hex>``, the
  HMAC-SHA256 of ``"{timestamp}.{raw body}"`` with the source's secret; outside the replay window, or wrong:
  401. A source without a secret: 404.
- Limits: more than ``max_batch`` records or ``max_body_bytes`` bytes: 413.
- ``Idempotency-Key``: the first answer is stored with the records, in one transaction; a retry with the same
  key and body gets it back (``Idempotent-Replayed: true``) and stores nothing; the same key with another
  body: 422.
- Malformed JSON: 400; records not matching :class:`~connectors.push.PushRecord`: 422 with the errors.
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

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from connectors.push import PushBatch, PushSource
from core.privacy import Privacy
from core.protocols import VectorIndex
from jobs.embed import remove_vectors
from jobs.ingest import process_record
from runtime import Runtime
from storage.db import Engine, session_scope
from storage.identity import IdentityCache
from storage.raw import ensure_source
from storage.sources import get_push_request, save_push_request
from storage.suppression import Suppressions

__all__ = ["IngestDeps", "build_ingest_router", "sign"]

SIGNATURE_HEADER = "X-Groundswell-Signature"
TIMESTAMP_HEADER = "X-Groundswell-Timestamp"


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

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> IngestDeps:
        s = runtime.settings
        return cls(
            engine=runtime.engine,
            secrets={name: secret.get_secret_value() for name, secret in s.push_secrets.items()},
            privacy=runtime.privacy,
            vectors=runtime.vectors,
            max_batch=s.push_max_batch,
            replay_window_s=s.push_replay_window_s,
            company_domains=s.company_domains,
        )


def _verify(deps: IngestDeps, source: str, request: Request, body: bytes) -> None:
    secret = deps.secrets.get(source)
    if not secret:
        raise HTTPException(404, f"unknown push source {source!r}")
    timestamp = request.headers.get(TIMESTAMP_HEADER, "")
    try:
        age = abs(deps.now() - int(timestamp))
    except ValueError:
        raise HTTPException(401, f"missing or malformed {TIMESTAMP_HEADER}") from None
    if age > deps.replay_window_s:
        raise HTTPException(401, f"timestamp outside the {deps.replay_window_s}s replay window")
    if not hmac.compare_digest(sign(secret, timestamp, body), request.headers.get(SIGNATURE_HEADER, "")):
        raise HTTPException(401, "bad signature")


def _parse(deps: IngestDeps, body: bytes) -> tuple[PushBatch, list[dict[str, Any]]]:
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"body is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("records"), list):
        raise HTTPException(400, 'body must be an object {"records": [...]}')
    if len(data["records"]) > deps.max_batch:
        raise HTTPException(413, f"{len(data['records'])} records; at most {deps.max_batch} per request")
    try:
        batch = PushBatch.model_validate(data)
    except ValidationError as exc:
        errors = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors(include_url=False)]
        raise HTTPException(422, {"message": "invalid records", "errors": errors}) from None
    return batch, data["records"]


def _store(
    deps: IngestDeps, source: str, key: str | None, body: bytes, batch: PushBatch, payloads: list[dict[str, Any]]
) -> tuple[dict[str, Any], bool]:
    """Store the batch and the idempotency key in one transaction; (result, replayed)."""
    body_sha = hashlib.sha256(body).hexdigest()
    push = PushSource(source, company_domains=deps.company_domains)
    removed: list[str] = []
    with session_scope(deps.engine) as session:
        if key:
            previous = get_push_request(session=session, source=source, key=key)
            if previous is not None:
                if previous.body_sha256 != body_sha:
                    raise HTTPException(422, "Idempotency-Key reused with a different body")
                return dict(previous.response), True
        ensure_source(session=session, name=source, kind="webhook", channel="other")
        counts: dict[str, int] = {}
        cache, suppressions = IdentityCache(), Suppressions(session)
        for record, payload in zip(batch.records, payloads, strict=True):
            raw = push.raw(record, payload)
            outcome, changes = process_record(
                session=session,
                source=push,
                record=raw,
                cache=cache,
                privacy=deps.privacy,
                suppressions=suppressions,
            )
            counts[str(outcome)] = counts.get(str(outcome), 0) + 1
            removed += changes.removed
        result = {"source": source, "records": len(batch.records), "outcomes": counts}
        if key:
            save_push_request(session=session, source=source, key=key, body_sha256=body_sha, response=result)
    if deps.vectors is not None:
        remove_vectors(index=deps.vectors, unit_ids=removed)
    return result, False


def build_ingest_router(deps: IngestDeps | Runtime) -> APIRouter:
    """The push endpoint; ``deps`` is a Runtime (the app) or explicit IngestDeps (tests)."""
    resolved = IngestDeps.from_runtime(deps) if isinstance(deps, Runtime) else deps
    router = APIRouter()

    @router.post("/ingest/{source}")
    async def ingest(source: str, request: Request, response: Response) -> dict[str, Any]:
        body = await request.body()
        if len(body) > resolved.max_body_bytes:
            raise HTTPException(413, f"body of {len(body)} bytes; at most {resolved.max_body_bytes}")
        _verify(resolved, source, request, body)
        batch, payloads = _parse(resolved, body)
        key = request.headers.get("Idempotency-Key")
        result, replayed = await run_in_threadpool(_store, resolved, source, key, body, batch, payloads)
        if replayed:
            response.headers["Idempotent-Replayed"] = "true"
        return result

    return router
