"""A Salesforce REST API fake: ``query`` and ``queryAll`` (SOQL, evaluated by tests.fakes.soql), query locators.

Truth: Account (with AccountHistory written on every tracked change), Contact and Opportunity records, each with
``SystemModstamp``; deletes and merges set ``IsDeleted`` (``query`` hides them, ``queryAll`` shows them).
Wire format as documented: bearer token (``401 [{"errorCode": "INVALID_SESSION_ID"}]`` otherwise), pages of
at most ``batchSize`` records (``Sforce-Query-Options``, 200..2000; this fake pages smaller), ``done`` and
``nextRecordsUrl`` (``/services/data/vXX.X/query/<locator>-<offset>``), errors as ``[{"message", "errorCode"}]``,
``403 REQUEST_LIMIT_EXCEEDED`` once ``daily_limit`` requests were served.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer
from tests.fakes.shapes import iso
from tests.fakes.soql import SoqlError, parse, sortable

TOKEN = "00Dxx!sf-session"
TRACKED = ("ARR__c", "Plan__c", "Segment__c", "Region__c", "Renewal_Date__c", "Health_Score__c", "Lifecycle_Stage__c")
COMMON = {"Id", "IsDeleted", "CreatedDate", "SystemModstamp", "LastModifiedDate"}
SCHEMAS: dict[str, set[str]] = {
    "Account": COMMON | {"Name", "ParentId", "Domains__c", "MasterRecordId", *TRACKED},
    "Contact": COMMON | {"AccountId", "FirstName", "LastName", "Email", "Secondary_Email__c", "Phone", "Title"},
    "Opportunity": COMMON
    | {"AccountId", "Name", "StageName", "Amount", "CloseDate", "IsClosed", "IsWon", "Loss_Reason__c"},
    "AccountHistory": {"Id", "AccountId", "Field", "OldValue", "NewValue", "CreatedDate", "IsDeleted"},
}
VERSION = re.compile(r"^v\d+\.\d$")


class FakeSalesforce:
    def __init__(self, *, page_size: int = 3) -> None:
        self.records: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in SCHEMAS}
        self.errors: list[str] = []
        self.queries: list[str] = []
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.daily_limit: int | None = None
        self.served = 0
        self.locators: dict[str, list[dict[str, Any]]] = {}
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def stamp(self) -> str:
        self.clock += 1
        return iso(self.clock).replace("Z", ".000+0000")

    def _id(self, sobject: str) -> str:
        prefix = {"Account": "001", "Contact": "003", "Opportunity": "006", "AccountHistory": "017"}[sobject]
        return f"{prefix}{len(self.records[sobject]) + 1:015d}"

    def add(self, sobject: str, record_id: str | None = None, **fields: Any) -> str:
        now = self.stamp()
        record_id = record_id or self._id(sobject)
        row = dict.fromkeys(SCHEMAS[sobject])
        row.update(Id=record_id, IsDeleted=False, CreatedDate=now, SystemModstamp=now, LastModifiedDate=now)
        row.update(fields)
        self.records[sobject][record_id] = row
        return record_id

    def update(self, sobject: str, record_id: str, **changes: Any) -> None:
        row = self.records[sobject][record_id]
        now = self.stamp()
        for field, value in changes.items():
            if sobject == "Account" and field in TRACKED and row[field] != value:
                self.add(
                    "AccountHistory",
                    AccountId=record_id,
                    Field=field,
                    OldValue=row[field],
                    NewValue=value,
                    CreatedDate=now,
                )
            row[field] = value
        row["SystemModstamp"] = row["LastModifiedDate"] = now

    def delete(self, sobject: str, record_id: str, master: str | None = None) -> None:
        row = self.records[sobject][record_id]
        row["IsDeleted"] = True
        if master:
            row["MasterRecordId"] = master
        row["SystemModstamp"] = self.stamp()

    def live(self, sobject: str, fields: tuple[str, ...]) -> dict[str, dict[str, Any]]:
        """Id -> the given fields of every record not deleted."""
        return {i: {f: r[f] for f in fields} for i, r in self.records[sobject].items() if not r["IsDeleted"]}

    def history(self, account_id: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        rows = [h for h in self.records["AccountHistory"].values() if h["AccountId"] == account_id]
        return [{f: h[f] for f in fields} for h in sorted(rows, key=lambda h: (h["CreatedDate"], h["Id"]))]

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/services/data/{version}/query", self.query),
                Route("/services/data/{version}/queryAll", self.query),
                Route("/services/data/{version}/query/{locator}", self.more),
                Route("/{path:path}", self.unknown, methods=["GET", "POST", "PATCH", "DELETE"]),
            ]
        )

    def _refuse(self, request: Request) -> JSONResponse | None:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return _error(401, "INVALID_SESSION_ID", "Session expired or invalid")
        self.served += 1
        if self.daily_limit is not None and self.served > self.daily_limit:
            return _error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
        version = request.path_params.get("version", "")
        if not VERSION.match(version):
            self.errors.append(f"bad API version in {request.url.path}")
            return _error(404, "NOT_FOUND", "The requested resource does not exist")
        options = request.headers.get("sforce-query-options", "batchSize=2000")
        size = re.fullmatch(r"batchSize=(\d+)", options)
        if not size or not 200 <= int(size.group(1)) <= 2000:
            self.errors.append(f"bad Sforce-Query-Options {options!r}")
            return _error(400, "INVALID_QUERY_OPTIONS", "batchSize must be 200..2000")
        return None

    async def unknown(self, request: Request) -> JSONResponse:
        self.errors.append(f"unknown endpoint {request.method} {request.url.path}")
        return _error(404, "NOT_FOUND", "The requested resource does not exist")

    async def query(self, request: Request) -> JSONResponse:
        if (refused := self._refuse(request)) is not None:
            return refused
        if set(request.query_params) != {"q"}:
            self.errors.append(f"query parameters {sorted(request.query_params)}, expected exactly q")
            return _error(400, "MALFORMED_QUERY", "q is required")
        text = request.query_params["q"]
        self.queries.append(text)
        try:
            soql = parse(text, SCHEMAS)
        except SoqlError as exc:
            self.errors.append(f"SOQL {exc.code}: {exc} in {text!r}")
            return _error(400, exc.code, str(exc))
        include_deleted = request.url.path.endswith("/queryAll")
        rows = [
            r for r in self.records[soql.sobject].values() if (include_deleted or not r["IsDeleted"]) and soql.where(r)
        ]
        rows.sort(key=lambda r: tuple(sortable(r[f]) for f in soql.order))
        version = request.path_params["version"]
        selected = [
            {
                "attributes": {
                    "type": soql.sobject,
                    "url": f"/services/data/{version}/sobjects/{soql.sobject}/{r['Id']}",
                },
                **{f: r[f] for f in soql.fields},
            }
            for r in rows
        ]
        locator = uuid.uuid4().hex[:15]
        self.locators[locator] = selected
        return self._page(version, locator, 0)

    async def more(self, request: Request) -> JSONResponse:
        if (refused := self._refuse(request)) is not None:
            return refused
        locator, _, offset = request.path_params["locator"].partition("-")
        if locator not in self.locators or not offset.isdigit():
            self.errors.append(f"unknown query locator {request.path_params['locator']}")
            return _error(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        return self._page(request.path_params["version"], locator, int(offset))

    def _page(self, version: str, locator: str, offset: int) -> JSONResponse:
        rows = self.locators[locator]
        page = rows[offset : offset + self.page_size]
        done = offset + self.page_size >= len(rows)
        body: dict[str, Any] = {"totalSize": len(rows), "done": done, "records": page}
        if not done:
            body["nextRecordsUrl"] = f"/services/data/{version}/query/{locator}-{offset + self.page_size}"
        return JSONResponse(body)


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse([{"message": message, "errorCode": code}], status_code=status)
