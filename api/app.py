"""The HTTP app: Slack's `/slack/events` (events, commands, interactivity, options), `/healthz`, `/readyz` and
`/metrics`.

The Bolt app is synchronous, so `/slack/events` is a plain `def` route: FastAPI runs it in its thread pool and
the event loop never blocks while Bolt verifies, acks and hands slow work to its listener pool.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.responses import JSONResponse
from groundswell.api.metrics import Metrics, metrics_router
from groundswell.bot.http import SlackHttpHandler
from groundswell.core.log_context import log_context
from groundswell.storage.db import Engine, schema_status

__all__ = ["REQUEST_ID_HEADER", "create_api"]

REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


async def _raw_body(request: Request) -> bytes:
    return await request.body()


def create_api(
    *,
    slack: SlackHttpHandler | None,
    engine: Engine,
    extra_routers: Sequence[APIRouter] = (),
    lifespan: Any = None,
    metrics: Metrics | None = None,
) -> FastAPI:
    """The FastAPI app; ``extra_routers`` (ingest webhooks, admin REST …) are mounted as given; ``lifespan``
    (an async context manager factory) runs around the server, e.g. the in-process scheduler; with ``metrics``,
    ``GET /metrics`` serves its registry to Prometheus."""
    api = FastAPI(title="Groundswell", docs_url=None, redoc_url=None, lifespan=lifespan)

    @api.middleware("http")
    async def request_ids(request: Request, call_next: Any) -> Response:
        """Every request's log lines carry its id: the caller's ``X-Request-ID`` if sane, else a fresh one."""
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _SANE_ID.fullmatch(given) else uuid.uuid4().hex[:16]
        with log_context(request_id=request_id):
            response = await call_next(request)
        response.headers[REQUEST_ID_HEADER] = request_id
        return response

    @api.get("/healthz")
    def healthz() -> dict[str, str]:
        """The process is up."""
        return {"status": "ok"}

    @api.get("/readyz")
    def readyz() -> Response:
        """Ready when the database answers and its schema is at the code's migration head."""
        try:
            current, heads = schema_status(engine)
        except Exception as exc:
            return JSONResponse({"status": "unavailable", "database": f"unreachable: {type(exc).__name__}"}, 503)
        if current != heads:
            detail = {"status": "unavailable", "database": "ok", "migrations": sorted(current), "head": sorted(heads)}
            return JSONResponse(detail, 503)
        return JSONResponse({"status": "ok", "database": "ok", "migrations": sorted(current)})

    if slack is not None:
        handler = slack

        @api.post("/slack/events")
        def slack_events(request: Request, body: bytes = Depends(_raw_body)) -> Response:
            """Events, slash commands, interactivity and options: Bolt verifies the signature and dispatches."""
            reply = handler.handle(body=body, query=request.url.query, headers=dict(request.headers))
            response = Response(content=reply.body, status_code=reply.status)
            for key, value in reply.headers:
                response.headers.append(key, value)
            return response

    if metrics is not None:
        api.include_router(metrics_router(metrics))
    for router in extra_routers:
        api.include_router(router)
    return api
