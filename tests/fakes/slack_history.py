"""A Slack Web API fake for reading channels: conversations.history, conversations.replies, users.info.

Requests are checked against the Web API spec (``tests/fixtures/specs/slack/web-api``): the method exists, every
argument is one the method documents, numbers/integers/booleans parse, and the documented required arguments
(channel; ts for replies; user for users.info) are present. Auth: ``Authorization: Bearer``. Pagination as
Slack: newest first, ``has_more`` and ``response_metadata.next_cursor``; ``limit`` is capped at 15 (the
non-Marketplace maximum). Kept apart from the bot's tests/fakes/slack_api.py on purpose.
"""

from __future__ import annotations

import base64
import functools
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.http import LoopbackServer
from tests.specs import SLACK_WEB_API

SPEC = SLACK_WEB_API
TOKEN = "xoxb-fake"
DOC_REQUIRED = {
    "/conversations.history": {"channel"},
    "/conversations.replies": {"channel", "ts"},
    "/users.info": {"user"},
}
MAX_LIMIT = 15


@functools.cache
def _spec() -> dict[str, Any]:
    with open(SPEC) as handle:
        return json.load(handle)


def check_call(method: str, path: str, args: dict[str, str]) -> list[str]:
    operation = _spec()["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return [f"{method} {path}: not a Web API method (or not with {method})"]
    params = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") in ("query", "formData")}
    problems = [f"{path}: unknown argument {name}" for name in args if name not in params]
    problems += [f"{path}: missing required argument {n}" for n in sorted(DOC_REQUIRED.get(path, set()) - set(args))]
    for name, value in args.items():
        kind = params.get(name, {}).get("type")
        try:
            if kind == "number":
                float(value)
            elif kind == "integer":
                int(value)
            elif kind == "boolean" and value not in ("true", "false", "1", "0"):
                raise ValueError(value)
        except ValueError:
            problems.append(f"{path}: argument {name}={value!r} is not a {kind}")
    return problems


def _cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0


class FakeSlackHistory:
    def __init__(self) -> None:
        self.channels: dict[str, dict[str, dict[str, Any]]] = {}  # channel -> ts -> message
        self.threads: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (channel, ts) -> replies
        self.users: dict[str, dict[str, Any]] = {}
        self.errors: list[str] = []
        self.clock = 1_780_000_000.0
        self.server = LoopbackServer(self.app())

    def _ts(self) -> str:
        self.clock += 30
        return f"{self.clock:.6f}"

    def add_user(self, uid: str, name: str, email: str, is_bot: bool = False) -> None:
        self.users[uid] = {"id": uid, "name": name, "real_name": name, "is_bot": is_bot, "profile": {"email": email}}

    def post(self, channel: str, user: str, text: str) -> str:
        ts = self._ts()
        self.channels.setdefault(channel, {})[ts] = {"type": "message", "user": user, "text": text, "ts": ts}
        return ts

    def reply(self, channel: str, thread_ts: str, user: str, text: str) -> None:
        ts = self._ts()
        parent = self.channels[channel][thread_ts]
        replies = self.threads.setdefault((channel, thread_ts), [])
        replies.append({"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts})
        parent.update(thread_ts=thread_ts, reply_count=len(replies), latest_reply=ts)

    def share_file(self, channel: str, ts: str, name: str, mimetype: str, size: int) -> str:
        """Add a file object (as conversations.history returns it) to a top-level message; returns its permalink."""
        message = self.channels[channel][ts]
        file_id = f"F{len(message.get('files', [])) + 1:03d}{ts.replace('.', '')[-6:]}"
        permalink = f"https://example.slack.com/files/U1/{file_id}/{name}"
        file = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rsplit(".", 1)[-1],
            "size": size,
            "url_private": f"https://files.slack.com/files-pri/T1-{file_id}/{name}",
            "permalink": permalink,
        }
        message.setdefault("files", []).append(file)
        message["upload"] = True
        return permalink

    def edit(self, channel: str, ts: str, text: str) -> None:
        self.channels[channel][ts].update(text=text, edited={"user": "U1", "ts": self._ts()})

    def delete(self, channel: str, ts: str) -> None:
        del self.channels[channel][ts]
        self.threads.pop((channel, ts), None)

    def live_truth(self) -> dict[str, list[str]]:
        return {
            f"{c}:{ts}": [m["text"]] + [r["text"] for r in self.threads.get((c, ts), [])]
            for c, messages in self.channels.items()
            for ts, m in messages.items()
        }

    # -- wire ------------------------------------------------------------------------------------

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/api/{method}", self.call, methods=["GET", "POST"])])

    async def call(self, request: Request) -> JSONResponse:
        path = "/" + request.path_params["method"]
        args = dict(request.query_params)
        if request.method == "POST":
            args.update({k: str(v) for k, v in (await request.form()).items()})
        problems = check_call(request.method, path, args)
        if problems:
            self.errors.extend(problems)
            return JSONResponse({"ok": False, "error": "invalid_arguments"})
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return JSONResponse({"ok": False, "error": "invalid_auth"})
        handler = {
            "/conversations.history": self.history,
            "/conversations.replies": self.replies,
            "/users.info": self.user_info,
        }.get(path)
        if handler is None:
            self.errors.append(f"{path}: not implemented by the fake")
            return JSONResponse({"ok": False, "error": "unknown_method"})
        return JSONResponse(handler(args))

    def _page(self, key: str, items: list[dict[str, Any]], args: dict[str, str]) -> dict[str, Any]:
        limit = min(int(args.get("limit", MAX_LIMIT)), MAX_LIMIT)
        start = _offset(args.get("cursor"))
        page = items[start : start + limit]
        more = start + limit < len(items)
        return {
            "ok": True,
            key: page,
            "has_more": more,
            "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""},
        }

    def history(self, args: dict[str, str]) -> dict[str, Any]:
        if args["channel"] not in self.channels:
            return {"ok": False, "error": "channel_not_found"}
        oldest = float(args.get("oldest", 0))
        messages = [m for ts, m in self.channels[args["channel"]].items() if float(ts) > oldest]
        messages.sort(key=lambda m: float(m["ts"]), reverse=True)
        return self._page("messages", messages, args)

    def replies(self, args: dict[str, str]) -> dict[str, Any]:
        parent = self.channels.get(args["channel"], {}).get(args["ts"])
        if parent is None:
            return {"ok": False, "error": "thread_not_found"}
        return self._page("messages", [parent, *self.threads.get((args["channel"], args["ts"]), [])], args)

    def user_info(self, args: dict[str, str]) -> dict[str, Any]:
        user = self.users.get(args["user"])
        return {"ok": True, "user": user} if user else {"ok": False, "error": "user_not_found"}
