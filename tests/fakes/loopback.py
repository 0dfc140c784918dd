"""A real HTTP server on 127.0.0.1 (``http.server`` in a thread) for tracker fakes, with fault injection.

A fake subclasses :class:`LoopbackFake` and implements ``handle(request) -> Reply``. Faults are queued and taken
in order by the first request whose path contains their fragment: an HTTP status with a body and headers
(401, 429 + Retry-After, 500, 400 with field errors), or ``delay_s`` (the answer comes after the client gave up).
Spec violations are appended to ``problems``; the fixture that owns a fake asserts it stays empty.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any  # parsed JSON, or None


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    path: str
    reply: Reply | None = None
    delay_s: float = 0.0


class LoopbackFake:
    """Subclasses implement ``handle``; ``url`` is the base URL once started (use as a context manager)."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.problems: list[str] = []
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                split = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw.decode(errors="replace")
                request = Request(self.command, split.path, parse_qs(split.query), dict(self.headers.items()), body)
                reply = fake._dispatch(request)
                payload = b"" if reply.body is None else json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up (timeout fault)

            do_GET = do_POST = do_PUT = do_DELETE = _serve

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> LoopbackFake:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail_next(
        self, path: str, status: int = 500, body: Any = None, headers: dict[str, str] | None = None, times: int = 1
    ) -> None:
        """The next ``times`` requests whose path contains ``path`` get this answer instead of the real one."""
        reply = Reply(status, body if body is not None else {"errorMessages": ["injected"]}, headers or {})
        self._faults.extend(Fault(path, reply) for _ in range(times))

    def delay_next(self, path: str, seconds: float) -> None:
        """The next request on ``path`` is answered only after ``seconds`` (longer than the client's timeout)."""
        self._faults.append(Fault(path, delay_s=seconds))

    def _dispatch(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            fault = next((f for f in self._faults if f.path in request.path), None)
            if fault is not None:
                self._faults.remove(fault)
        if fault is not None and fault.reply is not None:
            return fault.reply
        if fault is not None:
            time.sleep(fault.delay_s)
        with self._lock:
            return self.handle(request)

    def handle(self, request: Request) -> Reply:
        raise NotImplementedError

    def problem(self, message: str) -> Reply:
        """Record a spec violation and answer 400 (a test that ignores the answer still fails on ``problems``)."""
        self.problems.append(message)
        return Reply(400, {"errorMessages": [f"fake: {message}"], "errors": {}})
