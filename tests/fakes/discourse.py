"""A Discourse fake: ``/posts.json`` (``before``), ``/t/{id}.json`` and ``/t/{id}/posts.json`` (``post_ids[]``).

Truth: topics (id, title, slug) and Post objects as the PostSerializer returns them (``cooked``, ``username``,
``post_number``, ``post_type``, ``staff``/``admin``/``moderator``, ``hidden``, ``deleted_at``...). Auth is
the ``Api-Key`` + ``Api-Username`` headers (403 ``invalid_access`` otherwise). As for an admin key, deleted
posts stay in a topic with ``deleted_at`` set (``staff_view=False``: they vanish from it) and ``/posts.json``
lists neither deleted posts nor deleted topics; a deleted topic is 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import FakeApi, LoopbackServer

API_KEY, API_USERNAME = "dc-secret", "system"
STAFF = {"sam"}


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


class FakeDiscourse(FakeApi):
    def __init__(self, *, latest_page: int = 5, topic_chunk: int = 3) -> None:
        super().__init__()
        self.topics: dict[int, dict[str, Any]] = {}
        self.posts: dict[int, dict[str, Any]] = {}
        self.clock = 1_780_000_000
        self.latest_page, self.topic_chunk = latest_page, topic_chunk
        self.staff_view = True
        self.server = LoopbackServer(self.app())

    # -- truth -----------------------------------------------------------------------------------

    def tick(self, seconds: int = 60) -> int:
        self.clock += seconds
        return self.clock

    def topic(self, topic_id: int, title: str) -> None:
        slug = title.lower().replace(" ", "-")
        self.topics[topic_id] = {"id": topic_id, "title": title, "slug": slug, "deleted": False}

    def post(self, topic_id: int, username: str, text: str, post_type: int = 1) -> int:
        post_id = max(self.posts, default=100) + 1
        number = 1 + sum(1 for p in self.posts.values() if p["topic_id"] == topic_id)
        now, staff = _iso(self.tick()), username in STAFF
        topic = self.topics[topic_id]
        self.posts[post_id] = {
            "id": post_id,
            "name": username.title(),
            "username": username,
            "user_id": 1000 + len(username),
            "created_at": now,
            "updated_at": now,
            "cooked": f"<p>{text}</p>",
            "raw": text,
            "post_number": number,
            "post_type": post_type,
            "reply_count": 0,
            "topic_id": topic_id,
            "topic_slug": topic["slug"],
            "topic_title": topic["title"],
            "staff": staff,
            "admin": staff,
            "moderator": False,
            "hidden": False,
            "deleted_at": None,
            "user_deleted": False,
            "version": 1,
        }
        return post_id

    def edit(self, post_id: int, text: str) -> None:
        post = self.posts[post_id]
        post.update(cooked=f"<p>{text}</p>", raw=text, updated_at=_iso(self.tick()), version=post["version"] + 1)

    def delete(self, post_id: int) -> None:
        self.posts[post_id].update(deleted_at=_iso(self.tick()))

    def live_truth(self) -> dict[str, list[str]]:
        """Post id -> [cooked] of every post a customer or staff member can read (not deleted or hidden)."""
        return {
            str(p["id"]): [p["cooked"]]
            for p in self.posts.values()
            if not p["deleted_at"]
            and not p["hidden"]
            and p["post_type"] != 3
            and not self.topics[p["topic_id"]]["deleted"]
        }

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/posts.json", self.latest),
                Route("/t/{topic_id:int}.json", self.topic_view),
                Route("/t/{topic_id:int}/posts.json", self.topic_posts),
                self.catch_all(),
            ]
        )

    def _refused(self, request: Request, allowed: set[str]) -> JSONResponse | None:
        if request.headers.get("api-key") != API_KEY or request.headers.get("api-username") != API_USERNAME:
            body = {"errors": ["The API username or key is invalid."], "error_type": "invalid_access"}
            return JSONResponse(body, status_code=403)
        return self.refuse_params(request, allowed)

    def _visible(self, post: dict[str, Any]) -> bool:
        return not self.topics[post["topic_id"]]["deleted"] and (self.staff_view or not post["deleted_at"])

    async def latest(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request, {"before"})) is not None:
            return refused
        before = self.integer(request, "before", 1 << 62)
        listed = [p for i, p in sorted(self.posts.items(), reverse=True) if i < before and self._visible(p)]
        listed = [p for p in listed if not p["deleted_at"]]
        return JSONResponse({"latest_posts": listed[: self.latest_page]})

    def _topic_posts(self, topic_id: int) -> list[dict[str, Any]] | None:
        topic = self.topics.get(topic_id)
        if topic is None or topic["deleted"]:
            return None
        posts = [p for p in self.posts.values() if p["topic_id"] == topic_id and self._visible(p)]
        return sorted(posts, key=lambda p: p["post_number"])

    async def topic_view(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request, {"print", "track_visit", "post_number"})) is not None:
            return refused
        posts = self._topic_posts(request.path_params["topic_id"])
        if posts is None:
            return JSONResponse({"errors": ["The requested URL or resource could not be found."]}, status_code=404)
        topic = self.topics[request.path_params["topic_id"]]
        stream = {"posts": posts[: self.topic_chunk], "stream": [p["id"] for p in posts]}
        body = {"id": topic["id"], "title": topic["title"], "slug": topic["slug"], "posts_count": len(posts)}
        return JSONResponse({**body, "post_stream": stream})

    async def topic_posts(self, request: Request) -> JSONResponse:
        if (refused := self._refused(request, {"post_ids[]", "post_number", "asc", "include_suggested"})) is not None:
            return refused
        posts = self._topic_posts(request.path_params["topic_id"])
        if posts is None:
            return JSONResponse({"errors": ["not found"]}, status_code=404)
        wanted = [int(i) for i in request.query_params.getlist("post_ids[]")]
        if not wanted or len(wanted) > 20:
            self.errors.append(f"topic posts: post_ids[] must hold 1..20 ids, got {len(wanted)}")
        chosen = [p for p in posts if p["id"] in wanted]
        return JSONResponse({"id": request.path_params["topic_id"], "post_stream": {"posts": chosen}})
