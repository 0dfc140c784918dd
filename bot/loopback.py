"""A loopback Slack Web API: a real HTTP server on 127.0.0.1 that records what the bot posts.

`groundswell console` points the app's WebClient at it (so the real listeners run offline) and renders the
recorded messages; the test suite's spec-checking fake (tests/fakes/slack_api.py) extends it.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["BOT_USER_ID", "TEAM_ID", "Call", "LoopbackSlack", "Posted"]

TEAM_ID = "T0GROUNDS"
BOT_USER_ID = "U0GSBOT"
BOT_ID = "B0GSBOT"
JSON_ARGS = {"blocks", "attachments", "view", "metadata"}


@dataclass
class Call:
    """One Web API call (or response_url post) as the server received it."""

    method: str  # "chat.postMessage", or "response_url" for posts to a command/action's response_url
    args: dict[str, Any]
    headers: dict[str, str]
    hook: str = ""  # the response_url's name (the console and tests use the channel id)
    at: float = field(default_factory=time.monotonic)


@dataclass
class Posted:
    """A message as the workspace would show it (updated in place by chat.update / replace_original)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    ephemeral_to: str | None = None
    kind: str = "message"  # message | modal | home


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


class LoopbackSlack:
    """Start with `start()` (returns the API base URL), stop with `stop()`. Thread-safe."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.posted: list[Posted] = []
        self.usergroups: dict[str, list[str]] = {}
        self.users: dict[str, str] = {}  # Slack user id -> profile email (users.info, users.lookupByEmail)
        self.uploads: dict[str, dict[str, Any]] = {}  # file id -> getUploadURLExternal args, then "data" (bytes)
        self._mutex = threading.Lock()
        self._ts = count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ------------------------------------------------------------------------------------------

    def start(self) -> str:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner._handle(self)

            def do_POST(self) -> None:
                owner._handle(self)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="loopback-slack", daemon=True
        )
        self._thread.start()
        return self.api_url

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, name: str = "r") -> str:
        return f"{self.base_url}/hooks/{name}"

    # --- queries ----------------------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._mutex:
            return [c for c in self.calls if c.method == method]

    def messages(self, channel: str | None = None) -> list[Posted]:
        with self._mutex:
            return [p for p in self.posted if channel is None or p.channel == channel]

    # --- request handling -------------------------------------------------------------------------------------

    def _handle(self, request: BaseHTTPRequestHandler) -> None:
        url = urlsplit(request.path)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length) if length else b""
        if url.path.startswith("/upload/"):  # step 2 of a file upload: the bytes, raw or multipart
            status, body = self.receive_upload(url.path.removeprefix("/upload/"), raw)
            self._send(request, status, body.encode())
            return
        args: dict[str, Any] = dict(parse_qsl(url.query))
        ctype = request.headers.get("Content-Type", "")
        if raw and "json" in ctype:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode()))
        headers = {k.lower(): v for k, v in request.headers.items()}
        if url.path.startswith("/hooks/"):
            call = Call("response_url", args, headers, hook=url.path.removeprefix("/hooks/"))
        elif url.path.startswith("/api/"):
            call = Call(url.path.removeprefix("/api/"), args, headers)
        else:
            self._send(request, 404, {"ok": False, "error": "unknown_path"})
            return
        status, extra_headers, body = self.respond(call)
        self._send(request, status, body, extra_headers)

    def _send(
        self, request: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None
    ) -> None:
        payload = json.dumps(body).encode() if not isinstance(body, bytes) else body
        request.send_response(status)
        request.send_header("Content-Type", "application/json; charset=utf-8")
        for key, value in (headers or {}).items():
            request.send_header(key, value)
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)

    def respond(self, call: Call) -> tuple[int, dict[str, str], Any]:
        """Record the call and answer it like Slack would; subclasses may check or refuse it first."""
        with self._mutex:
            self.calls.append(call)
            return 200, {}, self._answer(call)

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._ts):06d}"

    def _answer(self, call: Call) -> dict[str, Any]:  # caller holds the mutex
        a = {k: _decode(v) for k, v in call.args.items()}
        method = call.method
        if method == "auth.test":
            return {"ok": True, "url": "https://groundswell-demo.slack.com/", "team": "Groundswell demo",
                    "user": "groundswell", "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": BOT_ID}  # fmt: skip
        if method == "chat.postMessage":
            channel = str(a["channel"])
            msg = Posted(channel, self._next_ts(), str(a.get("text", "")), a.get("blocks") or [], a.get("thread_ts"))
            self.posted.append(msg)
            return {"ok": True, "channel": channel, "ts": msg.ts,
                    "message": {"type": "message", "text": msg.text, "ts": msg.ts, "bot_id": BOT_ID}}  # fmt: skip
        if method == "chat.update":
            for msg in self.posted:
                if msg.channel == a["channel"] and msg.ts == a["ts"]:
                    msg.text, msg.blocks = str(a.get("text", msg.text)), a.get("blocks") or []
                    return {"ok": True, "channel": msg.channel, "ts": msg.ts, "text": msg.text}
            return {"ok": False, "error": "message_not_found"}
        if method == "chat.getPermalink":
            channel, ts = str(a["channel"]), str(a["message_ts"])
            if not any(m.channel == channel and m.ts == ts for m in self.posted):
                return {"ok": False, "error": "message_not_found"}
            link = f"https://groundswell-demo.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        if method == "chat.postEphemeral":
            ts = self._next_ts()
            self.posted.append(Posted(str(a["channel"]), ts, str(a.get("text", "")), a.get("blocks") or [],
                                      a.get("thread_ts"), ephemeral_to=str(a["user"])))  # fmt: skip
            return {"ok": True, "message_ts": ts}
        if method in {"views.open", "views.publish", "views.update", "views.push"}:
            view = a.get("view") or {}
            kind = "home" if method == "views.publish" else "modal"
            title = (view.get("title") or {}).get("text", "Home")
            target = str(a.get("user_id") or "modal")
            self.posted.append(Posted(target, self._next_ts(), title, view.get("blocks") or [], kind=kind))
            return {"ok": True, "view": {"id": f"V{next(self._ts):08d}", **view}}
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ts):08d}"
            self.uploads[file_id] = {"filename": a.get("filename"), "length": int(a.get("length") or 0),
                                     "alt_txt": a.get("alt_txt")}  # fmt: skip
            return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete_upload(a)
        if method == "usergroups.users.list":
            return {"ok": True, "users": self.usergroups.get(str(a.get("usergroup")), [])}
        if method == "users.info":
            user = str(a.get("user"))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "profile": {"email": self.users[user]}}}
        if method == "users.lookupByEmail":
            found = [uid for uid, email in self.users.items() if email.lower() == str(a.get("email")).lower()]
            if not found:
                return {"ok": False, "error": "users_not_found"}
            return {"ok": True, "user": {"id": found[0], "profile": {"email": self.users[found[0]]}}}
        if method == "response_url":
            return self._hook(call.hook, a)
        return {"ok": True}

    def receive_upload(self, file_id: str, data: bytes) -> tuple[int, str]:
        """Store the bytes POSTed to an upload URL (Slack answers 200 ``OK - <length>``)."""
        with self._mutex:
            upload = self.uploads.get(file_id)
            if upload is None:
                return 404, "unknown upload url"
            upload["data"] = data
        return 200, f"OK - {len(data)}"

    def _complete_upload(self, a: dict[str, Any]) -> dict[str, Any]:  # caller holds the mutex
        files = a.get("files") if isinstance(a.get("files"), list) else []
        done = []
        for item in files:
            upload = self.uploads.get(str(item.get("id")))
            if upload is None or "data" not in upload:
                return {"ok": False, "error": "file_not_found"}
            if len(upload["data"]) != upload["length"]:
                return {"ok": False, "error": "file_upload_size_mismatch"}
            upload.update(title=item.get("title"), channel=a.get("channel_id"), thread_ts=a.get("thread_ts"))
            title = item.get("title") or upload["filename"]
            done.append({"id": item["id"], "title": title, "name": upload["filename"]})
            if a.get("channel_id"):
                comment = str(a.get("initial_comment") or "")
                text = f"[file {upload['filename']}] {comment}".strip()
                self.posted.append(Posted(str(a["channel_id"]), self._next_ts(), text, [], a.get("thread_ts")))
        return {"ok": True, "files": done}

    def _hook(self, channel: str, a: dict[str, Any]) -> dict[str, Any]:
        """A post to a response_url: ephemeral unless response_type is in_channel; may replace the original."""
        replace = a.get("replace_original") in (True, "true")
        ephemeral = a.get("response_type") != "in_channel"
        last = next((p for p in reversed(self.posted) if p.channel == channel and p.kind == "message"), None)
        if replace and last is not None:
            last.text, last.blocks = str(a.get("text", "")), a.get("blocks") or []
        else:
            self.posted.append(Posted(channel, self._next_ts(), str(a.get("text", "")), a.get("blocks") or [],
                                      ephemeral_to="you" if ephemeral else None))  # fmt: skip
        return {"ok": True}


def wait_for(predicate: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    """Poll ``predicate`` until true or the timeout passes."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
