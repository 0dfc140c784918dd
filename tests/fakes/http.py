"""A loopback HTTP server for fakes (uvicorn in a thread) with fault injection and a request log.

Faults are queued per path fragment and consumed in order: ``429`` (with ``Retry-After``), ``500``,
``timeout`` (the reply comes after the client gave up), ``truncate`` (half the JSON body, valid HTTP).
Every request is logged; a fake's own checks append to ``errors`` (a test asserts it stays empty).
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Collection, MutableMapping
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send


@dataclass
class Fault:
    path: str
    kind: str  # "429" | "500" | "timeout" | "truncate"
    arg: float = 0.0


@dataclass
class Faults:
    queue: list[Fault] = field(default_factory=list)
    injected: list[Fault] = field(default_factory=list)

    def add(self, path: str, kind: str, times: int = 1, arg: float = 0.0) -> None:
        self.queue.extend(Fault(path, kind, arg) for _ in range(times))

    def take(self, path: str) -> Fault | None:
        for fault in self.queue:
            if fault.path in path:
                self.queue.remove(fault)
                self.injected.append(fault)
                return fault
        return None


class FaultMiddleware:
    def __init__(self, app: ASGIApp, faults: Faults, log: list[tuple[str, str, str]]) -> None:
        self.app, self.faults, self.log = app, faults, log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        self.log.append((scope["method"], path, scope.get("query_string", b"").decode()))
        fault = self.faults.take(path)
        if fault is None:
            await self.app(scope, receive, send)
        elif fault.kind in ("429", "500"):
            headers = [(b"content-type", b"application/json")]
            if fault.kind == "429":
                headers.append((b"retry-after", str(int(fault.arg)).encode()))
            await send({"type": "http.response.start", "status": int(fault.kind), "headers": headers})
            await send({"type": "http.response.body", "body": b'{"error": "injected"}'})
        elif fault.kind == "timeout":
            await asyncio.sleep(fault.arg)
            await self.app(scope, receive, send)
        elif fault.kind == "truncate":
            await self._truncated(scope, receive, send)

    async def _truncated(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: MutableMapping[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            else:
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        body = b"".join(chunks)
        body = body[: len(body) // 2]
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LoopbackServer:
    """Serve an ASGI app on 127.0.0.1 in a background thread; ``url`` once started."""

    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]]) -> None:
        self.faults = Faults()
        self.log: list[tuple[str, str, str]] = []
        self.port = free_port()
        config = uvicorn.Config(
            FaultMiddleware(app, self.faults, self.log), host="127.0.0.1", port=self.port, log_level="error"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("fake server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=5)


class FakeClock:
    """A clock whose sleep advances time instantly; records every sleep."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += max(0.0, seconds)


class FakeApi:
    """Base of the hand-written vendor fakes: a log of protocol errors (a test asserts it stays empty), a
    catch-all route for endpoints the vendor does not have, and a check of query parameters."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def catch_all(self) -> Route:
        return Route("/{path:path}", self.unknown, methods=["GET", "POST", "PUT", "DELETE"])

    async def unknown(self, request: Request) -> JSONResponse:
        self.errors.append(f"unknown endpoint {request.method} {request.url.path}")
        return JSONResponse({"error": "not found"}, status_code=404)

    def refuse_params(
        self, request: Request, allowed: Collection[str], required: Collection[str] = ()
    ) -> JSONResponse | None:
        """400 (and an error logged) for a query parameter the endpoint does not document or a missing one."""
        names = set(request.query_params)
        problems = [f"unknown parameters {sorted(names - set(allowed))}"] if names - set(allowed) else []
        problems += [f"missing parameter {name}" for name in required if name not in names]
        if not problems:
            return None
        self.errors.extend(f"{request.url.path}: {p}" for p in problems)
        return JSONResponse({"error": "; ".join(problems)}, status_code=400)

    def integer(self, request: Request, name: str, default: int, low: int = 1, high: int | None = None) -> int:
        """A documented integer parameter; out of range or not a number is a protocol error (logged)."""
        raw = request.query_params.get(name)
        try:
            value = int(raw) if raw is not None else default
        except ValueError:
            self.errors.append(f"{request.url.path}: {name}={raw!r} is not an integer")
            return default
        if value < low or (high is not None and value > high):
            self.errors.append(f"{request.url.path}: {name}={value} outside {low}..{high}")
        return value
