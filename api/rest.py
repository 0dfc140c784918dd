"""REST under ``/api/v1``: the facade's calls with bearer tokens, pydantic models and problem+json errors.

Every route authenticates its token (missing, unknown, revoked or expired: 401), spends one unit of the token's
rate-limit bucket (429 with Retry-After past the burst) and answers as the token's viewer. Errors, including
request validation (422), share one shape: ``application/problem+json`` with type, title, status and detail.
"""

# no `from __future__ import annotations`: FastAPI resolves the routes' local Depends aliases at definition time
import json
import math
from functools import cache
from typing import Annotated, Any

import jsonschema
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from groundswell.core.answer import Answer, CitedQuote
from groundswell.core.errors import GroundswellError, QueryError
from groundswell.core.query import QueryPlan, Viewer
from groundswell.surfaces.errors import InvalidRequest, SurfaceError, TooManyRequests, Unauthorized
from groundswell.surfaces.models import (
    AskRequest,
    DraftRequest,
    FeedbackUnitOut,
    QueryResult,
    QuotesRequest,
    SourceHealth,
    ThemesOut,
    TicketDraftOut,
    TicketFiled,
)
from groundswell.surfaces.service import Surface
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

__all__ = ["PREFIX", "PROBLEM", "build_rest_router", "install_problem_handlers"]

PREFIX = "/api/v1"
PROBLEM = "application/problem+json"
_bearer = HTTPBearer(auto_error=False, description="An API token: `groundswell tokens create --viewer NAME`.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""


class QuotesPage(BaseModel):
    items: list[CitedQuote]
    total: int
    next_offset: int | None = None


class SourcesPage(BaseModel):
    items: list[SourceHealth]
    total: int
    next_offset: int | None = None


class ConfirmRequest(BaseModel):
    force: bool = Field(False, description="File even when an open ticket on the theme exists.")


def problem(status: int, title: str, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump()
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def _surface_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SurfaceError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    if isinstance(exc, TooManyRequests):
        headers = {"Retry-After": str(max(1, math.ceil(exc.retry_after)))}
    return problem(exc.status, exc.title, exc.detail, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    """Framework errors (unparsable body, unknown route, wrong method) as problems under the API's prefix only."""
    assert isinstance(exc, StarletteHTTPException)
    if not request.url.path.startswith(PREFIX + "/"):
        return await http_exception_handler(request, exc)
    return problem(exc.status_code, _TITLES.get(exc.status_code, "Error"), str(exc.detail), exc.headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if not request.url.path.startswith(PREFIX + "/"):
        return await request_validation_exception_handler(request, exc)
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()))
    return problem(422, "Invalid request", f"{where}: {first.get('msg', 'invalid')}".strip(": "))


def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    status = 422 if isinstance(exc, QueryError) else 400
    return problem(status, "Invalid request" if status == 422 else "Bad request", str(exc))


def install_problem_handlers(app: FastAPI) -> None:
    """problem+json for the API's errors (surface errors, validation, known domain errors)."""
    app.add_exception_handler(SurfaceError, _surface_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(GroundswellError, _domain_error)


_TITLES = {
    401: "Missing, unknown, revoked or expired token",
    422: "Invalid request",
    429: "Rate limited",
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
}
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {PROBLEM: {}}, "description": _TITLES[code]} for code in (400, 401, 422, 429)
}
_NOT_FOUND = {404: {"model": Problem, "content": {PROBLEM: {}}, "description": "Not found (or not visible)"}}
_FORBIDDEN = {403: {"model": Problem, "content": {PROBLEM: {}}, "description": "Not allowed for this viewer"}}


def _query_names(dependant: Any) -> set[str]:
    names = {param.alias for param in dependant.query_params}
    return names.union(*(_query_names(sub) for sub in dependant.dependencies))


def _known_query(request: Request) -> None:
    """Unknown query parameters are refused (422), not silently ignored: a typo never widens a request."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    known = _query_names(dependant)
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidRequest(f"unknown query parameter(s): {', '.join(unknown)[:200]}")


@cache
def _body_validator(app: FastAPI, path: str, method: str) -> jsonschema.Draft202012Validator | None:
    operation = app.openapi()["paths"].get(path, {}).get(method.lower(), {})
    schema = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    root = {**schema, "components": app.openapi().get("components", {})}
    return jsonschema.Draft202012Validator(root)


async def _published_body(request: Request) -> None:
    """A JSON body must match the published schema itself (pydantic's lax mode would take ``false`` for 0)."""
    route = request.scope.get("route")
    validator = _body_validator(request.app, getattr(route, "path_format", ""), request.method)
    raw = await request.body() if validator is not None else b""
    if validator is None or not raw:
        return
    try:
        body = json.loads(raw)
    except ValueError:
        return  # FastAPI answers an unparsable body itself (422)
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "body"
        raise InvalidRequest(f"{where}: {error.message[:300]}")


def _page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    more = offset + limit < len(items)
    return {
        "items": items[offset : offset + limit],
        "total": len(items),
        "next_offset": offset + limit if more else None,
    }


def build_rest_router(surface: Surface) -> APIRouter:
    """The ``/api/v1`` routes over ``surface`` (mount with :func:`install_problem_handlers` on the app)."""

    def viewer(credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Viewer:
        return surface.auth.authenticate(credentials.credentials if credentials else None)[1]

    Who = Annotated[Viewer, Depends(viewer)]
    Offset = Annotated[int, Query(ge=0, le=100_000, description="Items to skip.")]
    router = APIRouter(
        prefix=PREFIX, tags=["api"], responses=_ERRORS, dependencies=[Depends(_known_query), Depends(_published_body)]
    )

    @router.post("/ask", response_model=Answer)
    def ask(body: AskRequest, who: Who) -> Answer:
        """A question in plain words → the answer Slack gives: text, exact numbers, citations, window, filters,
        taxonomy version, freshness and the plan that produced it."""
        return surface.ask(who, body.question, body.thread_id)

    @router.post("/query", response_model=QueryResult)
    def query(plan: QueryPlan, who: Who) -> QueryResult:
        """A typed query plan (as in an answer's ``plan``) → its exact results, scoped to the token's viewer."""
        return surface.run_query(who, plan)

    @router.get("/themes", response_model=ThemesOut)
    def themes(who: Who, offset: Offset = 0, limit: Annotated[int, Query(ge=1, le=1_000)] = 100) -> ThemesOut:
        """The current taxonomy: version and themes (key, name, parent, aliases, owner team), paginated."""
        return surface.list_themes(offset=offset, limit=limit)

    @router.get("/units/{unit_id}", response_model=FeedbackUnitOut, responses=_NOT_FOUND)
    def unit(unit_id: str, who: Who) -> FeedbackUnitOut:
        """A cited unit (redacted) with the visible units of its conversation; 404 outside the viewer's scope."""
        return surface.get_feedback(who, unit_id)

    @router.get("/quotes", response_model=QuotesPage, responses=_NOT_FOUND)
    def quotes(
        who: Who,
        theme: Annotated[str | None, Query(max_length=200, description="Theme key (leaf or parent).")] = None,
        text: Annotated[str | None, Query(max_length=500, description="Search by meaning.")] = None,
        days: Annotated[int, Query(ge=1, le=3650)] = 90,
        limit: Annotated[int, Query(ge=1, le=20)] = 5,
        offset: Offset = 0,
    ) -> dict[str, Any]:
        """Representative quotes the viewer may see, with citation links; filter by theme and/or text."""
        found = surface.find_quotes(
            who, QuotesRequest(theme=theme, text=text, days=days, limit=min(20, offset + limit))
        )
        return _page(found, offset, limit)

    @router.get("/sources", response_model=SourcesPage)
    def sources(who: Who, offset: Offset = 0, limit: Annotated[int, Query(ge=1, le=1_000)] = 100) -> dict[str, Any]:
        """Source health: last successful sync, newest unit, cadence and staleness, for the viewer's sources."""
        return _page(surface.source_health(who), offset, limit)

    @router.post("/tickets", response_model=TicketDraftOut, status_code=201, responses={**_NOT_FOUND, **_FORBIDDEN})
    def draft(body: DraftRequest, who: Who) -> TicketDraftOut:
        """Draft a ticket with a theme's evidence, routed to its owner. Nothing is filed until confirmed."""
        return surface.draft_ticket(who, body)

    @router.post("/tickets/{draft_id}/confirm", response_model=TicketFiled, responses={**_NOT_FOUND, **_FORBIDDEN})
    def confirm(draft_id: str, who: Who, body: ConfirmRequest | None = None) -> TicketFiled:
        """File a draft this token made (roles in ``api_ticket_roles`` only)."""
        return surface.confirm_ticket(who, draft_id, force=bool(body and body.force))

    return router
