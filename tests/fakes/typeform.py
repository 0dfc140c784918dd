"""A Typeform fake: ``GET /forms/{form_id}/responses`` with bearer auth and response-token cursors.

Without ``after``/``before`` the responses come newest submitted first (``sort`` may change that); with
``after`` (oldest processed first) or ``before`` (newest processed first) they come in processing order, and
combining either with ``sort`` is a 400, as documented. Documented parameters only; ``page_size`` 1..1000.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import FakeApi, LoopbackServer

TOKEN, FORM_ID = "tfp_secret", "u6nXL7"
PARAMS = {
    "page_size",
    "since",
    "until",
    "after",
    "before",
    "included_response_ids",
    "excluded_response_ids",
    "completed",
    "sort",
    "query",
    "fields",
    "answered_fields",
    "response_type",
}


class FakeTypeform(FakeApi):
    def __init__(self) -> None:
        super().__init__()
        self.responses: list[dict[str, Any]] = []  # in processing order
        self.clock = 1_780_000_000
        self.server = LoopbackServer(self.app())

    def submit(self, token: str, comment: str, nps: int, email: str = "ana@acme.com", age_s: int = 0) -> None:
        self.clock += 60
        when = datetime.fromtimestamp(self.clock - age_s, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        answers = [
            {"field": {"id": "f_nps", "type": "nps", "ref": "nps"}, "type": "number", "number": nps},
            {"field": {"id": "f_why", "type": "long_text", "ref": "why"}, "type": "text", "text": comment},
        ]
        self.responses.append(
            {
                "landing_id": token,
                "token": token,
                "response_id": token,
                "landed_at": when,
                "submitted_at": when,
                "metadata": {"platform": "other", "browser": "default"},
                "hidden": {"email": email, "company": "Acme"},
                "calculated": {"score": 0},
                "answers": answers,
            }
        )

    def live_truth(self) -> dict[str, list[str]]:
        return {r["token"]: [r["answers"][1]["text"]] for r in self.responses}

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/forms/{form_id}/responses", self.list_responses), self.catch_all()])

    async def list_responses(self, request: Request) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"code": "AUTHENTICATION_FAILED", "description": "Authentication failed"}, 401)
        if (refused := self.refuse_params(request, PARAMS)) is not None:
            return refused
        if request.path_params["form_id"] != FORM_ID:
            return JSONResponse({"code": "FORM_NOT_FOUND"}, status_code=404)
        params = request.query_params
        if "sort" in params and ("after" in params or "before" in params):
            self.errors.append("responses: sort combined with after/before")
            return JSONResponse({"code": "VALIDATION_ERROR"}, status_code=400)
        size = self.integer(request, "page_size", 25, 1, 1000)
        tokens = [r["token"] for r in self.responses]
        if "after" in params:
            at = tokens.index(params["after"]) + 1 if params["after"] in tokens else 0
            ordered = self.responses[at:]
        elif "before" in params:
            at = tokens.index(params["before"]) if params["before"] in tokens else len(tokens)
            ordered = list(reversed(self.responses[:at]))
        else:
            ordered = sorted(self.responses, key=lambda r: r["submitted_at"], reverse=True)
        page = ordered[:size]
        return JSONResponse({"total_items": len(self.responses), "page_count": 1, "items": page})
