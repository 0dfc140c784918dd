"""A Zendesk Support fake: incremental ticket export (cursor), ticket comments (+ users sideload), organizations.

It holds a mutable truth (tickets with comments, users, organizations) and speaks the documented wire format:
basic auth ``{email}/token:{token}`` (401 otherwise), ``start_time`` or ``cursor`` (never both),
``after_cursor``/``end_of_stream``, comment pages with ``meta.has_more``/``meta.after_cursor``. Any other path
or query parameter is an error (logged in ``errors`` and answered 400/404).
"""

from __future__ import annotations

import base64
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer

EMAIL, TOKEN = "bot@brightloop.io", "zd-secret"
EXPORT_PARAMS = {"start_time", "cursor", "per_page", "include", "exclude_deleted"}
COMMENT_PARAMS = {"page[size]", "page[after]", "include", "sort_order"}


def _cursor(position: tuple[int, int]) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def _position(cursor: str) -> tuple[int, int]:
    ts, ticket_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    return int(ts), int(ticket_id)


class FakeZendesk:
    def __init__(self, *, page_size: int = 5, comment_page_size: int = 2) -> None:
        self.tickets: dict[int, dict[str, Any]] = {}
        self.users: dict[int, dict[str, Any]] = {}
        self.organizations: dict[int, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.clock = 1_700_000_000
        self.page_size = page_size
        self.comment_page_size = comment_page_size
        self.overlap_next_page = False  # fault: the next export page repeats the previous page's last ticket
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def tick(self) -> int:
        self.clock += 60
        return self.clock

    def add_user(self, user_id: int, role: str, email: str, name: str, organization_id: int | None = None) -> None:
        self.users[user_id] = {
            "id": user_id,
            "role": role,
            "email": email,
            "name": name,
            "organization_id": organization_id,
        }

    def add_ticket(self, ticket_id: int, requester_id: int, comments: list[tuple[int, str]], **fields: Any) -> None:
        now = self.tick()
        self.tickets[ticket_id] = {
            "id": ticket_id,
            "subject": fields.get("subject", f"Ticket {ticket_id}"),
            "status": "open",
            "requester_id": requester_id,
            "organization_id": fields.get("organization_id"),
            "tags": list(fields.get("tags", [])),
            "created_at": _iso(now),
            "updated_at": _iso(now),
            "generated_timestamp": now,
            "_comments": [
                {"id": ticket_id * 100 + i, "author_id": a, "body": b, "public": True, "created_at": _iso(now + i)}
                for i, (a, b) in enumerate(comments)
            ],
        }

    def touch(self, ticket_id: int, **changes: Any) -> None:
        ticket = self.tickets[ticket_id]
        ticket.update(changes)
        now = self.tick()
        ticket["updated_at"], ticket["generated_timestamp"] = _iso(now), now

    def edit_comment(self, ticket_id: int, index: int, body: str) -> None:
        self.tickets[ticket_id]["_comments"][index]["body"] = body
        self.touch(ticket_id)

    def add_comment(self, ticket_id: int, author_id: int, body: str) -> None:
        comments = self.tickets[ticket_id]["_comments"]
        comments.append(
            {
                "id": ticket_id * 100 + len(comments),
                "author_id": author_id,
                "body": body,
                "public": True,
                "created_at": _iso(self.clock),
            }
        )
        self.touch(ticket_id)

    def attach(self, ticket_id: int, index: int, file_name: str, content_type: str, size: int) -> str:
        """Attach a file to a comment (the Attachment object as documented); returns its ``content_url``."""
        comment = self.tickets[ticket_id]["_comments"][index]
        attachments = comment.setdefault("attachments", [])
        attachment_id = ticket_id * 1000 + index * 10 + len(attachments)
        content_url = f"{self.server.url}/attachments/token/t{attachment_id}/?name={file_name}"  # served here
        attachments.append(
            {
                "id": attachment_id,
                "file_name": file_name,
                "content_url": content_url,
                "mapped_content_url": content_url,
                "content_type": content_type,
                "size": size,
                "inline": False,
                "deleted": False,
                "malware_scan_result": "malware_not_found",
                "url": f"{self.server.url}/api/v2/attachments/{attachment_id}.json",
                "thumbnails": [],
            }
        )
        self.touch(ticket_id)
        return content_url

    def delete(self, ticket_id: int) -> None:
        self.touch(ticket_id, status="deleted")

    def live_truth(self) -> dict[str, list[str]]:
        """Ticket id -> comment bodies of every ticket that is neither deleted nor merged away."""
        return {
            str(t["id"]): [c["body"] for c in t["_comments"]]
            for t in self.tickets.values()
            if t["status"] != "deleted" and "closed_by_merge" not in t["tags"]
        }

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/api/v2/incremental/tickets/cursor.json", self.export),
                Route("/api/v2/tickets/{ticket_id:int}/comments.json", self.comments),
                Route("/api/v2/organizations/{org_id:int}.json", self.organization),
                Route("/{path:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    def _check(self, request: Request, allowed: set[str]) -> JSONResponse | None:
        header = request.headers.get("authorization", "")
        expected = "Basic " + base64.b64encode(f"{EMAIL}/token:{TOKEN}".encode()).decode()
        if header != expected:
            return JSONResponse({"error": "Couldn't authenticate you"}, status_code=401)
        unknown = set(request.query_params) - allowed
        if unknown:
            self.errors.append(f"{request.url.path}: unknown parameters {sorted(unknown)}")
            return JSONResponse({"error": "InvalidParameter"}, status_code=400)
        return None

    async def unknown(self, request: Request) -> JSONResponse:
        self.errors.append(f"unknown endpoint {request.method} {request.url.path}")
        return JSONResponse({"error": "InvalidEndpoint"}, status_code=404)

    async def export(self, request: Request) -> JSONResponse:
        if (refused := self._check(request, EXPORT_PARAMS)) is not None:
            return refused
        params = request.query_params
        if ("cursor" in params) == ("start_time" in params):
            self.errors.append(f"export: exactly one of start_time and cursor is required, got {dict(params)}")
            return JSONResponse({"error": "InvalidPaginationParameter"}, status_code=400)
        position = _position(params["cursor"]) if "cursor" in params else (int(params["start_time"]) - 1, 1 << 62)
        ordered = sorted(self.tickets.values(), key=lambda t: (t["generated_timestamp"], t["id"]))
        after = [t for t in ordered if (t["generated_timestamp"], t["id"]) > position]
        if self.overlap_next_page and "cursor" in params:
            before = [t for t in ordered if (t["generated_timestamp"], t["id"]) <= position]
            after = before[-1:] + after
            self.overlap_next_page = False
        size = min(int(params.get("per_page", self.page_size)), self.page_size)
        page = after[:size]
        last = (page[-1]["generated_timestamp"], page[-1]["id"]) if page else position
        body = {
            "tickets": [{k: v for k, v in t.items() if k != "_comments"} for t in page],
            "after_cursor": _cursor(last),
            "after_url": f"{self.server.url}{request.url.path}?cursor={_cursor(last)}",
            "before_cursor": None,
            "end_of_stream": len(after) <= size,
        }
        return JSONResponse(body)

    async def comments(self, request: Request) -> JSONResponse:
        if (refused := self._check(request, COMMENT_PARAMS)) is not None:
            return refused
        ticket = self.tickets.get(request.path_params["ticket_id"])
        if ticket is None:
            return JSONResponse({"error": "RecordNotFound"}, status_code=404)
        size = min(int(request.query_params.get("page[size]", 100)), self.comment_page_size)
        start = int(request.query_params.get("page[after]", "0"))
        page = ticket["_comments"][start : start + size]
        more = start + size < len(ticket["_comments"])
        body: dict[str, Any] = {
            "comments": page,
            "meta": {"has_more": more, "after_cursor": str(start + size) if more else None, "before_cursor": None},
            "links": {"next": None, "prev": None},
        }
        if request.query_params.get("include") == "users":
            ids = {c["author_id"] for c in page}
            body["users"] = [self.users[i] for i in sorted(ids, key=str) if i in self.users]
        return JSONResponse(body)

    async def organization(self, request: Request) -> JSONResponse:
        if (refused := self._check(request, set())) is not None:
            return refused
        org = self.organizations.get(request.path_params["org_id"])
        if org is None:
            return JSONResponse({"error": "RecordNotFound"}, status_code=404)
        return JSONResponse({"organization": org})


def _iso(ts: int) -> str:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
