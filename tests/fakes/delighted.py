"""A Delighted fake: ``GET /v1/survey_responses.json`` with basic auth (API key, empty password).

Truth: survey responses (``id``, ``person``, ``survey_type``, ``score``, ``comment``, ``permalink``,
``created_at``/``updated_at`` as Unix seconds, ``person_properties``, ``notes``, ``tags``,
``additional_answers``). Documented parameters only: ``per_page`` (max 100), ``page``, ``since``, ``until``,
``updated_since``, ``updated_until`` (inclusive), ``trend``, ``person_id``, ``person_email``, ``order``
(``asc``, ``desc``, ``asc:updated_at``, ``desc:updated_at``) and ``expand[]`` (``person``, ``notes``).
``between_pages`` runs once after the first page is served (e.g. to update a response mid-sync).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import FakeApi, LoopbackServer

API_KEY = "dl-secret"
PARAMS = {
    "per_page",
    "page",
    "since",
    "until",
    "updated_since",
    "updated_until",
    "trend",
    "person_id",
    "person_email",
    "order",
    "expand[]",
}
ORDERS = {"asc", "desc", "asc:updated_at", "desc:updated_at"}


class FakeDelighted(FakeApi):
    def __init__(self, *, page_size: int = 100) -> None:
        super().__init__()
        self.responses: dict[str, dict[str, Any]] = {}
        self.people: dict[str, dict[str, Any]] = {}
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.between_pages: Callable[[], None] | None = None
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def tick(self) -> int:
        self.clock += 60
        return self.clock

    def add(self, response_id: str, score: int, comment: str, *, person: str = "p1", kind: str = "nps") -> None:
        self.people.setdefault(
            person, {"id": person, "email": f"{person}@acme.com", "name": f"Person {person}", "created_at": self.clock}
        )
        now = self.tick()
        self.responses[response_id] = {
            "id": response_id,
            "person": person,
            "survey_type": kind,
            "score": score,
            "comment": comment,
            "permalink": f"https://delighted.com/r/{response_id}",
            "created_at": now,
            "updated_at": now,
            "person_properties": {"Company": "Acme"},
            "notes": [],
            "tags": [],
            "additional_answers": [],
        }

    def update(self, response_id: str, **changes: Any) -> None:
        self.responses[response_id].update(changes, updated_at=self.tick())

    def live_truth(self) -> dict[str, list[str]]:
        return {rid: [r["comment"]] for rid, r in self.responses.items()}

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/v1/survey_responses.json", self.list_responses), self.catch_all()])

    async def list_responses(self, request: Request) -> JSONResponse:
        expected = "Basic " + base64.b64encode(f"{API_KEY}:".encode()).decode()
        if request.headers.get("authorization") != expected:
            return JSONResponse({"status": 401, "message": "Invalid API key"}, status_code=401)
        if (refused := self.refuse_params(request, PARAMS)) is not None:
            return refused
        params = request.query_params
        order = params.get("order", "asc")
        expand = set(params.getlist("expand[]"))
        if order not in ORDERS or expand - {"person", "notes"}:
            self.errors.append(f"survey_responses: bad order/expand {dict(params)}")
            return JSONResponse({"status": 422, "message": "invalid parameter"}, status_code=422)
        size = min(self.integer(request, "per_page", 20, 1, 100), self.page_size)
        page_no = self.integer(request, "page", 1)
        key = "updated_at" if order.endswith("updated_at") else "created_at"
        rows = sorted(self.responses.values(), key=lambda r: (r[key], r["id"]), reverse=order.startswith("desc"))
        for name, field, keep in (
            ("since", "created_at", int.__ge__),
            ("until", "created_at", int.__le__),
            ("updated_since", "updated_at", int.__ge__),
            ("updated_until", "updated_at", int.__le__),
        ):
            if name in params:
                rows = [r for r in rows if keep(r[field], self.integer(request, name, 0, 0))]
        page = rows[(page_no - 1) * size : page_no * size]
        body = [{**r, "person": self.people[r["person"]]} if "person" in expand else dict(r) for r in page]
        if self.between_pages is not None:
            hook, self.between_pages = self.between_pages, None
            hook()
        return JSONResponse(body)
