"""A HubSpot CRM fake: v3 object search, batch read (with property history), archived listing, deal pipelines;
v4 associations.

Truth: companies, contacts and deals with every property's dated values, contact/deal -> company associations,
archived records. A deal's ``hs_is_closed``/``hs_is_closed_won`` are calculated from its stage, as HubSpot does.
Wire format as documented: bearer token (401 ``INVALID_AUTHENTICATION`` otherwise); search bodies
(``filterGroups``/``sorts``/``properties``/``limit`` <= 200/``after``) checked, and at most ``search_cap``
(10,000) results a query (400 beyond, as HubSpot does); batch reads of at most 100 inputs (207 with
``OBJECT_NOT_FOUND`` errors for archived ids); ``paging.next.after`` cursors; 429 ``policyName: DAILY`` once
``daily_limit`` requests were served.
"""

from __future__ import annotations

from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer
from tests.fakes.shapes import check_shape

TOKEN = "pat-na1-hubspot"
MODIFIED = {"companies": "hs_lastmodifieddate", "contacts": "lastmodifieddate", "deals": "hs_lastmodifieddate"}
# the default deal pipeline, plus a custom closed-lost stage whose id says nothing (stage id -> label, metadata)
STAGES = {
    "appointmentscheduled": ("Appointment Scheduled", {"isClosed": "false", "probability": "0.2"}),
    "contractsent": ("Contract Sent", {"isClosed": "false", "probability": "0.9"}),
    "closedwon": ("Closed Won", {"isClosed": "true", "probability": "1.0"}),
    "closedlost": ("Closed Lost", {"isClosed": "true", "probability": "0.0"}),
    "93581204": ("Lost at pilot", {"isClosed": "true", "probability": "0.0"}),
}
# HUBSPOT_DEFINED association types to a company: (primary, unlabeled)
ASSOCIATION_TYPES = {"contacts": (1, 279), "deals": (5, 341)}
FILTER = {"propertyName!": str, "operator!": str, "value": (str, int), "highValue": str, "values": [str]}
SEARCH = {
    "filterGroups": [{"filters!": [FILTER]}],
    "sorts": [{"propertyName!": str, "direction": str}],
    "properties": [str],
    "limit": int,
    "after": str,
    "query": str,
}
BATCH_READ = {"inputs!": [{"id!": str}], "properties": [str], "propertiesWithHistory": [str], "idProperty": str}
ASSOCIATIONS = {"inputs!": [{"id!": str}]}
OPERATORS = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY"}


def _iso(ms: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"


class FakeHubSpot:
    def __init__(self, *, page_size: int = 3, search_cap: int = 10_000) -> None:
        self.objects: dict[str, dict[str, dict[str, Any]]] = {"companies": {}, "contacts": {}, "deals": {}}
        self.links: dict[str, list[tuple[str, bool]]] = {}  # contact id -> [(company id, primary)]
        self.deal_links: dict[str, list[tuple[str, bool]]] = {}  # deal id -> [(company id, primary)]
        self.errors: list[str] = []
        self.searches: list[dict[str, Any]] = []
        self.searched_types: list[str] = []  # the object type of each search, in order
        self.ms = 1_780_000_000_000
        self.page_size = page_size
        self.search_cap = search_cap
        self.daily_limit: int | None = None
        self.pipeline_reads = 0
        self.served = 0
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def tick(self) -> int:
        self.ms += 1500
        return self.ms

    def add(self, object_type: str, object_id: str, **properties: Any) -> None:
        now = self.tick()
        record = {"id": object_id, "createdAt": _iso(now), "archived": False, "archivedAt": None, "history": {}}
        self.objects[object_type][object_id] = record
        self._set(object_type, record, now, {"createdate": _iso(now), "hs_object_id": object_id, **properties})

    def update(self, object_type: str, object_id: str, **properties: Any) -> None:
        self._set(object_type, self.objects[object_type][object_id], self.tick(), properties)

    def _set(self, object_type: str, record: dict[str, Any], now: int, properties: dict[str, Any]) -> None:
        properties = {**properties, MODIFIED[object_type]: _iso(now)}
        if object_type == "deals" and "dealstage" in properties:  # calculated properties follow the stage
            metadata = STAGES[properties["dealstage"]][1]
            won = metadata["probability"] == "1.0"
            properties |= {"hs_is_closed": metadata["isClosed"], "hs_is_closed_won": str(won).lower()}
        for name, value in properties.items():
            record["history"].setdefault(name, []).insert(
                0, {"value": None if value is None else str(value), "timestamp": _iso(now), "sourceType": "CRM_UI"}
            )
        record["updatedAt"] = _iso(now)

    def archive(self, object_type: str, object_id: str) -> None:
        record = self.objects[object_type][object_id]
        record["archived"], record["archivedAt"] = True, _iso(self.tick())

    def merge(self, object_type: str, primary: str, loser: str) -> None:
        merged = self.value(object_type, primary, "hs_merged_object_ids")
        self.update(object_type, primary, hs_merged_object_ids=";".join(filter(None, [merged, loser])))
        del self.objects[object_type][loser]  # the merged-away id is gone (not in the archived list either)

    def associate(self, contact_id: str, company_id: str, primary: bool = True) -> None:
        self.links.setdefault(contact_id, []).append((company_id, primary))

    def associate_deal(self, deal_id: str, company_id: str, primary: bool = True) -> None:
        self.deal_links.setdefault(deal_id, []).append((company_id, primary))

    def value(self, object_type: str, object_id: str, name: str) -> str | None:
        versions = self.objects[object_type][object_id]["history"].get(name) or [{"value": None}]
        return versions[0]["value"]

    def live(self, object_type: str) -> dict[str, dict[str, Any]]:
        return {i: r for i, r in self.objects[object_type].items() if not r["archived"]}

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/crm/v3/objects/{object_type}/search", self.search, methods=["POST"]),
                Route("/crm/v3/objects/{object_type}/batch/read", self.batch_read, methods=["POST"]),
                Route("/crm/v3/objects/{object_type}", self.listing, methods=["GET"]),
                Route("/crm/v3/pipelines/deals", self.pipelines, methods=["GET"]),
                Route("/crm/v4/associations/{from_type}/companies/batch/read", self.associations, methods=["POST"]),
                Route("/{path:path}", self.unknown, methods=["GET", "POST", "PATCH", "DELETE"]),
            ]
        )

    async def _refuse(self, request: Request, shape: dict[str, Any] | None) -> tuple[JSONResponse | None, Any]:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return _error(401, "INVALID_AUTHENTICATION", "Authentication credentials not found."), None
        self.served += 1
        if self.daily_limit is not None and self.served > self.daily_limit:
            body = {"status": "error", "message": "You have reached your daily limit.", "errorType": "RATE_LIMIT"}
            return JSONResponse({**body, "policyName": "DAILY"}, status_code=429), None
        object_type = request.path_params.get("object_type", "contacts")
        if object_type not in self.objects:
            self.errors.append(f"unknown object type {object_type}")
            return _error(404, "OBJECT_NOT_FOUND", "Unable to infer object type"), None
        if shape is None:
            return None, None
        body = await request.json()
        problems = check_shape(body, shape)
        if problems:
            self.errors.extend(f"{request.url.path}: {p}" for p in problems)
            return _error(400, "VALIDATION_ERROR", "; ".join(problems)), None
        return None, body

    async def unknown(self, request: Request) -> JSONResponse:
        self.errors.append(f"unknown endpoint {request.method} {request.url.path}")
        return _error(404, "NOT_FOUND", "not found")

    def _object(self, object_type: str, record: dict[str, Any], names: list[str], history: list[str]) -> dict:
        props = {"createdate": None, "hs_object_id": record["id"], MODIFIED[object_type]: None}
        props |= {n: None for n in names}
        props = {n: self.value(object_type, record["id"], n) for n in props}
        out = {k: record[k] for k in ("id", "createdAt", "updatedAt", "archived")} | {"properties": props}
        if history:
            out["propertiesWithHistory"] = {n: list(record["history"].get(n, [])) for n in history}
        return out

    async def search(self, request: Request) -> JSONResponse:
        refused, body = await self._refuse(request, SEARCH)
        if refused is not None:
            return refused
        object_type = request.path_params["object_type"]
        self.searches.append(body)
        self.searched_types.append(object_type)
        limit, start = body.get("limit", 10), int(body.get("after", "0"))
        if limit > 200 or start + limit > self.search_cap:
            self.errors.append(f"search beyond the documented caps: after={start} limit={limit}")
            return _error(400, "VALIDATION_ERROR", "a search serves at most 10,000 results")
        rows = [r for r in self.live(object_type).values() if self._matches(object_type, r, body)]
        for sort in body.get("sorts", []):
            name = sort["propertyName"]
            rows.sort(
                key=lambda r: self.value(object_type, r["id"], name) or "",
                reverse=sort.get("direction") == "DESCENDING",
            )
        page = rows[start : start + min(limit, self.page_size)]
        out: dict[str, Any] = {
            "total": len(rows),
            "results": [self._object(object_type, r, body.get("properties", []), []) for r in page],
        }
        if start + len(page) < len(rows):
            out["paging"] = {"next": {"after": str(start + len(page)), "link": "?after=" + str(start + len(page))}}
        return JSONResponse(out)

    def _matches(self, object_type: str, record: dict[str, Any], body: dict[str, Any]) -> bool:
        groups = body.get("filterGroups") or [{"filters": []}]
        return any(all(self._filter(object_type, record, f) for f in g["filters"]) for g in groups)

    def _filter(self, object_type: str, record: dict[str, Any], flt: dict[str, Any]) -> bool:
        if flt["operator"] not in OPERATORS:
            self.errors.append(f"unknown operator {flt['operator']}")
            return False
        if flt["operator"] != "GTE" or flt["propertyName"] != MODIFIED[object_type]:
            self.errors.append(f"the fake supports only {MODIFIED[object_type]} GTE, got {flt}")
            return False
        value = str(flt.get("value"))
        threshold = int(value) if value.isdigit() else None
        if threshold is None:
            self.errors.append(f"filter value is not epoch milliseconds: {value!r}")
            return False
        modified = self.value(object_type, record["id"], MODIFIED[object_type]) or ""
        return millis(modified) >= threshold

    async def batch_read(self, request: Request) -> JSONResponse:
        refused, body = await self._refuse(request, BATCH_READ)
        if refused is not None:
            return refused
        object_type = request.path_params["object_type"]
        if len(body["inputs"]) > 100:
            self.errors.append("batch read of more than 100 inputs")
            return _error(400, "VALIDATION_ERROR", "too many inputs")
        live = self.live(object_type)
        ids = [i["id"] for i in body["inputs"]]
        results = [
            self._object(object_type, live[i], body.get("properties", []), body.get("propertiesWithHistory", []))
            for i in ids
            if i in live
        ]
        missing = [i for i in ids if i not in live]
        out: dict[str, Any] = {
            "status": "COMPLETE",
            "results": results,
            "startedAt": _iso(self.ms),
            "completedAt": _iso(self.ms),
        }
        if missing:
            out["numErrors"] = 1
            out["errors"] = [{"status": "error", "category": "OBJECT_NOT_FOUND", "context": {"ids": missing}}]
        return JSONResponse(out, status_code=207 if missing else 200)

    async def listing(self, request: Request) -> JSONResponse:
        refused, _ = await self._refuse(request, None)
        if refused is not None:
            return refused
        params = dict(request.query_params)
        unknown = set(params) - {"limit", "after", "properties", "archived", "associations", "propertiesWithHistory"}
        if unknown:
            self.errors.append(f"listing: unknown parameters {sorted(unknown)}")
            return _error(400, "VALIDATION_ERROR", "unknown parameters")
        archived = params.get("archived", "false") == "true"
        rows = [r for r in self.objects[request.path_params["object_type"]].values() if r["archived"] == archived]
        start, limit = int(params.get("after", "0")), min(int(params.get("limit", "10")), 100, self.page_size)
        page = rows[start : start + limit]
        out: dict[str, Any] = {
            "results": [
                {
                    "id": r["id"],
                    "createdAt": r["createdAt"],
                    "updatedAt": r["updatedAt"],
                    "archived": r["archived"],
                    "archivedAt": r["archivedAt"],
                    "properties": {},
                }
                for r in page
            ]
        }
        if start + limit < len(rows):
            out["paging"] = {"next": {"after": str(start + limit)}}
        return JSONResponse(out)

    async def pipelines(self, request: Request) -> JSONResponse:
        refused, _ = await self._refuse(request, None)
        if refused is not None:
            return refused
        self.pipeline_reads += 1
        return JSONResponse(_pipelines_body())

    async def associations(self, request: Request) -> JSONResponse:
        refused, body = await self._refuse(request, ASSOCIATIONS)
        if refused is not None:
            return refused
        from_type = request.path_params["from_type"]
        if from_type not in ASSOCIATION_TYPES:
            self.errors.append(f"associations from {from_type} are not served by the fake")
            return _error(400, "VALIDATION_ERROR", "unknown object type")
        primary_type, plain_type = ASSOCIATION_TYPES[from_type]
        results = []
        for item in body["inputs"]:
            links = (self.links if from_type == "contacts" else self.deal_links).get(item["id"], [])
            if links:
                to = [
                    {
                        "toObjectId": int(company),
                        "associationTypes": [
                            {"category": "HUBSPOT_DEFINED", "typeId": primary_type, "label": "Primary"}
                        ]
                        * primary
                        + [{"category": "HUBSPOT_DEFINED", "typeId": plain_type, "label": None}],
                    }
                    for company, primary in links
                ]
                results.append({"from": {"id": item["id"]}, "to": to})
        return JSONResponse(
            {"status": "COMPLETE", "results": results, "startedAt": _iso(self.ms), "completedAt": _iso(self.ms)}
        )


def _pipelines_body() -> dict[str, Any]:
    stages = [
        {"id": sid, "label": label, "displayOrder": n, "metadata": metadata, "archived": False}
        for n, (sid, (label, metadata)) in enumerate(STAGES.items())
    ]
    return {"results": [{"id": "default", "label": "Sales Pipeline", "displayOrder": 0, "stages": stages}]}


def millis(text: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def _error(status: int, category: str, message: str) -> JSONResponse:
    return JSONResponse({"status": "error", "message": message, "category": category}, status_code=status)
