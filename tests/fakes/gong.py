"""A Gong API v2 fake: ``POST /v2/calls/extensive`` (metadata + parties) and ``POST /v2/calls/transcript``.

Truth: calls (``metaData``, ``parties``, ``transcript``). Wire format as documented: basic auth with the access
key and secret (401 otherwise); JSON bodies ``{"cursor"?, "filter": {...}, "contentSelector"?: {...}}`` checked
against the documented fields; 100-record pages (``page_size`` here) with ``records.cursor`` while more remain;
a filter matching no call answers 404 ``No calls found corresponding to the provided filters``. Parties come
only with ``exposedFields.parties``, their CRM ``context`` only with ``context: Extended``.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer
from tests.fakes.shapes import check_shape, cursor_offset, iso, offset_cursor, parse_iso

ACCESS_KEY, SECRET = "gong-key", "gong-secret"
FILTER = {"fromDateTime": str, "toDateTime": str, "workspaceId": str, "callIds": [str], "primaryUserIds": [str]}
EXTENSIVE = {
    "cursor": str,
    "filter!": FILTER,
    "contentSelector": {
        "context": str,
        "contextTiming": [str],
        "exposedFields": {"parties": bool, "content": dict, "interaction": dict, "collaboration": dict, "media": bool},
    },
}
TRANSCRIPT = {"cursor": str, "filter!": FILTER}
PARTY_FIELDS = ("id", "emailAddress", "name", "title", "userId", "speakerId", "affiliation", "methods", "phoneNumber")


class FakeGong:
    def __init__(self, *, page_size: int = 4) -> None:
        self.calls: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.duplicate_next_page = False  # fault: the next page repeats the previous page's last call
        self.filters: list[tuple[str, dict[str, Any]]] = []  # (path, filter) of every accepted request
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def add_call(
        self, call_id: str, turns: list[tuple[str, str]], *, account: str = "001ACME", late: bool = False
    ) -> None:
        """A call between a rep (``rep``) and a customer (``cust``); ``turns`` are (speaker, text).
        ``late``: the transcript is not ready yet (``set_transcript`` adds it)."""
        self.clock += 3600
        self.calls[call_id] = {
            "metaData": {
                "id": call_id,
                "url": f"https://app.gong.io/call?id={call_id}",
                "title": f"Call {call_id}",
                "started": iso(self.clock),
                "duration": 1800,
                "scope": "External",
                "language": "eng",
            },
            "parties": [
                _party(f"{call_id}-p1", "s-rep", "Rita Rep", "rita@brightloop.io", "Internal", None),
                _party(f"{call_id}-p2", "s-cust", "Dana Reyes", "dana@acme.com", "External", account),
            ],
            "transcript": [] if late else _monologues(turns),
        }

    def set_transcript(self, call_id: str, turns: list[tuple[str, str]]) -> None:
        self.calls[call_id]["transcript"] = _monologues(turns)

    def live_truth(self) -> dict[str, list[str]]:
        """Call id -> the text of each monologue."""
        return {cid: _texts(call["transcript"]) for cid, call in self.calls.items()}

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v2/calls/extensive", self.extensive, methods=["POST"]),
                Route("/v2/calls/transcript", self.transcript, methods=["POST"]),
                Route("/{path:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    async def _refuse(self, request: Request, shape: dict[str, Any]) -> tuple[JSONResponse | None, dict[str, Any]]:
        expected = "Basic " + base64.b64encode(f"{ACCESS_KEY}:{SECRET}".encode()).decode()
        if request.headers.get("authorization") != expected:
            return _error(401, "Unauthorized: bad access key or secret"), {}
        if request.query_params:
            self.errors.append(f"{request.url.path}: unexpected query {dict(request.query_params)}")
            return _error(400, "unexpected query parameters"), {}
        body = await request.json()
        problems = check_shape(body, shape)
        for key in ("fromDateTime", "toDateTime"):
            value = (body.get("filter") or {}).get(key)
            try:
                _ = value is not None and parse_iso(value)
            except (TypeError, ValueError):
                problems.append(f"body.filter.{key}: not ISO 8601: {value!r}")
        if problems:
            self.errors.extend(f"{request.url.path}: {p}" for p in problems)
            return _error(400, "; ".join(problems)), {}
        self.filters.append((request.url.path, body["filter"]))
        return None, body

    async def unknown(self, request: Request) -> JSONResponse:
        self.errors.append(f"unknown endpoint {request.method} {request.url.path}")
        return _error(404, "Not found")

    def _matching(self, body: dict[str, Any]) -> list[dict[str, Any]]:
        flt = body["filter"]
        ids = set(flt.get("callIds") or [])
        start = parse_iso(flt["fromDateTime"]) if "fromDateTime" in flt else float("-inf")
        end = parse_iso(flt["toDateTime"]) if "toDateTime" in flt else float("inf")
        ordered = sorted(self.calls.values(), key=lambda c: (c["metaData"]["started"], c["metaData"]["id"]))
        return [
            c
            for c in ordered
            if start <= parse_iso(c["metaData"]["started"]) < end and (not ids or c["metaData"]["id"] in ids)
        ]

    def _page(self, body: dict[str, Any], items: list[Any], key: str) -> JSONResponse:
        if not items:
            return _error(404, "No calls found corresponding to the provided filters")
        try:
            start = cursor_offset(body.get("cursor"))
        except ValueError:
            self.errors.append(f"unknown cursor {body.get('cursor')!r}")
            return _error(400, "invalid cursor")
        page = items[start : start + self.page_size]
        if self.duplicate_next_page and start > 0:
            self.duplicate_next_page = False
            page = items[start - 1 : start] + page
        records: dict[str, Any] = {"totalRecords": len(items), "currentPageSize": len(page)}
        records["currentPageNumber"] = start // self.page_size
        if start + self.page_size < len(items):
            records["cursor"] = offset_cursor(start + self.page_size)
        return JSONResponse({"requestId": uuid.uuid4().hex[:16], "records": records, key: page})

    async def extensive(self, request: Request) -> JSONResponse:
        refused, body = await self._refuse(request, EXTENSIVE)
        if refused is not None:
            return refused
        selector = body.get("contentSelector") or {}
        with_parties = bool((selector.get("exposedFields") or {}).get("parties"))
        extended = selector.get("context") == "Extended"
        calls = []
        for call in self._matching(body):
            item: dict[str, Any] = {"metaData": dict(call["metaData"])}
            if with_parties:
                item["parties"] = [{k: v for k, v in p.items() if k != "context" or extended} for p in call["parties"]]
            calls.append(item)
        return self._page(body, calls, "calls")

    async def transcript(self, request: Request) -> JSONResponse:
        refused, body = await self._refuse(request, TRANSCRIPT)
        if refused is not None:
            return refused
        items = [
            {"callId": c["metaData"]["id"], "transcript": c["transcript"]}
            for c in self._matching(body)
            if c["transcript"]
        ]
        return self._page(body, items, "callTranscripts")


def _party(pid: str, speaker: str, name: str, email: str, affiliation: str, account: str | None) -> dict[str, Any]:
    context = [{"system": "Salesforce", "objects": [{"objectType": "Account", "objectId": account}]}] if account else []
    party = dict.fromkeys(PARTY_FIELDS)
    party.update(id=pid, speakerId=speaker, name=name, emailAddress=email, affiliation=affiliation, methods=["Invitee"])
    return {**party, "context": context}


def _monologues(turns: list[tuple[str, str]]) -> list[dict[str, Any]]:
    return [
        {
            "speakerId": f"s-{speaker}",
            "topic": None,
            "sentences": [{"start": i * 10_000, "end": i * 10_000 + 9_000, "text": text}],
        }
        for i, (speaker, text) in enumerate(turns)
    ]


def _texts(transcript: list[dict[str, Any]]) -> list[str]:
    return [" ".join(s["text"] for s in m["sentences"]) for m in transcript]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"requestId": uuid.uuid4().hex[:16], "errors": [message]}, status_code=status)
