"""An Intercom fake: conversations search, list and retrieve, every request checked against the 2.16 OpenAPI spec.

Truth: conversation objects (REST 2.14 shape, parts included). Search supports the single ``updated_at`` filter
the connector sends; results and listings are paginated with opaque ``starting_after`` cursors.
"""

from __future__ import annotations

import base64
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer
from tests.fakes.openapi import OpenApiChecker
from tests.specs import INTERCOM_OPENAPI

SPEC = str(INTERCOM_OPENAPI)
TOKEN = "ic-secret"
_OPS = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b, "=": lambda a, b: a == b}


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.urlsafe_b64decode(cursor.encode()).decode()[1:]) if cursor else 0


class FakeIntercom:
    def __init__(self, *, page_size: int = 3) -> None:
        self.conversations: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.clock = 1_780_000_000
        self.page_size = page_size
        self.checker = OpenApiChecker(SPEC)
        self.server = LoopbackServer(self.app())

    def tick(self) -> int:
        self.clock += 60
        return self.clock

    def add(self, cid: str, customer_text: str, replies: list[tuple[str, str]] = ()) -> None:
        now = self.tick()
        parts = [
            {
                "type": "conversation_part",
                "id": f"{cid}-p{i}",
                "part_type": "comment",
                "body": f"<p>{text}</p>",
                "created_at": now + i,
                "author": {"type": kind, "id": f"{kind}-1", "name": kind.title(), "email": _email(kind)},
            }
            for i, (kind, text) in enumerate(replies)
        ]
        self.conversations[cid] = {
            "type": "conversation",
            "id": cid,
            "created_at": now,
            "updated_at": now,
            "title": None,
            "state": "open",
            "source": {
                "type": "conversation",
                "id": f"{cid}-src",
                "delivered_as": "customer_initiated",
                "subject": "",
                "body": f"<p>{customer_text}</p>",
                "author": {"type": "user", "id": "u-1", "name": "Lee Park", "email": "lee@globex.com"},
            },
            "conversation_parts": {"type": "conversation_part.list", "conversation_parts": parts, "total_count": 0},
        }
        self._count(cid)

    def _count(self, cid: str) -> None:
        parts = self.conversations[cid]["conversation_parts"]
        parts["total_count"] = len(parts["conversation_parts"])

    def reply(self, cid: str, kind: str, text: str) -> None:
        conversation = self.conversations[cid]
        parts = conversation["conversation_parts"]["conversation_parts"]
        now = self.tick()
        parts.append(
            {
                "type": "conversation_part",
                "id": f"{cid}-p{len(parts)}",
                "part_type": "comment",
                "body": f"<p>{text}</p>",
                "created_at": now,
                "author": {"type": kind, "id": f"{kind}-1", "name": kind.title(), "email": _email(kind)},
            }
        )
        conversation["updated_at"] = now
        self._count(cid)

    def attach(self, cid: str, index: int, name: str, content_type: str, filesize: int) -> str:
        """Attach a file (a ``part_attachment`` as in the spec) to part ``index``; returns its url."""
        conversation = self.conversations[cid]
        part = conversation["conversation_parts"]["conversation_parts"][index]
        url = f"https://intercom-attachments-1.com/i/o/{cid}/{index}/{name}"
        part.setdefault("attachments", []).append(
            {"type": "upload", "name": name, "url": url, "content_type": content_type, "filesize": filesize}
        )
        conversation["updated_at"] = self.tick()
        return url

    def live_truth(self) -> dict[str, list[str]]:
        """Conversation id -> the bodies of its opening message and parts."""
        return {
            cid: [c["source"]["body"]] + [p["body"] for p in c["conversation_parts"]["conversation_parts"]]
            for cid, c in self.conversations.items()
        }

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/conversations/search", self.search, methods=["POST"]),
                Route("/conversations/{cid}", self.retrieve, methods=["GET"]),
                Route("/conversations", self.listing, methods=["GET"]),
                Route("/{path:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE"]),
            ]
        )

    async def _refuse(self, request: Request) -> JSONResponse | None:
        body = await request.body()
        problems = self.checker.check(
            request.method, request.url.path, dict(request.query_params), dict(request.headers), body
        )
        if problems:
            self.errors.extend(problems)
            return JSONResponse({"type": "error.list", "errors": [{"code": "parameter_invalid"}]}, status_code=400)
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"type": "error.list", "errors": [{"code": "unauthorized"}]}, status_code=401)
        return None

    async def unknown(self, request: Request) -> JSONResponse:
        return await self._refuse(request) or JSONResponse({"type": "error.list"}, status_code=404)

    def _page(self, items: list[dict[str, Any]], cursor: str | None, per_page: int) -> dict[str, Any]:
        start = _offset(cursor)
        size = min(per_page, self.page_size)
        page = items[start : start + size]
        pages: dict[str, Any] = {"type": "pages", "page": start // size + 1, "per_page": size}
        pages["total_pages"] = max(1, -(-len(items) // size))
        if start + size < len(items):
            pages["next"] = {"per_page": size, "starting_after": _cursor(start + size)}
        return {"type": "conversation.list", "conversations": page, "total_count": len(items), "pages": pages}

    @staticmethod
    def _summary(c: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in c.items() if k != "conversation_parts"}

    async def search(self, request: Request) -> JSONResponse:
        if (refused := await self._refuse(request)) is not None:
            return refused
        body = await request.json()
        query = body["query"]
        if query.get("field") != "updated_at" or query.get("operator") not in _OPS:
            self.errors.append(f"search: the fake supports updated_at filters only, got {query}")
            return JSONResponse({"type": "error.list"}, status_code=400)
        value = int(query["value"])
        hits = [
            self._summary(c)
            for _, c in sorted(self.conversations.items())
            if _OPS[query["operator"]](c["updated_at"], value)
        ]
        pagination = body.get("pagination") or {}
        return JSONResponse(self._page(hits, pagination.get("starting_after"), int(pagination.get("per_page", 20))))

    async def retrieve(self, request: Request) -> JSONResponse:
        if (refused := await self._refuse(request)) is not None:
            return refused
        conversation = self.conversations.get(request.path_params["cid"])
        if conversation is None:
            return JSONResponse({"type": "error.list", "errors": [{"code": "not_found"}]}, status_code=404)
        return JSONResponse(conversation)

    async def listing(self, request: Request) -> JSONResponse:
        if (refused := await self._refuse(request)) is not None:
            return refused
        items = [self._summary(c) for _, c in sorted(self.conversations.items())]
        per_page = int(request.query_params.get("per_page", 20))
        return JSONResponse(self._page(items, request.query_params.get("starting_after"), per_page))


def _email(kind: str) -> str | None:
    return {"admin": "sam@brightloop.io", "user": "lee@globex.com"}.get(kind)
