"""A fake OpenAI-compatible chat endpoint: a real HTTP server on 127.0.0.1 for tests of anything that talks to a
language model (the LLM classifier, the agent's planner and composer).

Usage::

    from tests.fakes.openai_server import FakeOpenAI, Reply, ToolCall, api_error, rate_limited, slow

    with FakeOpenAI() as llm:                       # free port, background thread; stopped on exit
        llm.enqueue(Reply({"answer": 42}))          # canned replies, served first, in order
        llm.handler = lambda body: "hello"          # then this callable(request JSON) answers
        client = OpenAIChatModel(base_url=llm.base_url, api_key=llm.api_key, model="gpt-test")
        ...
        assert llm.chat_requests[0]["messages"][0]["role"] == "system"

What a script may give back (from the queue or the handler):

- ``str`` → the assistant's text; ``dict``/``list`` → that JSON, as text (for structured output);
- :class:`Reply` (content, tool calls, finish reason, explicit usage); :class:`ToolCall` → one tool call;
- :func:`api_error` (any status), :func:`rate_limited` (429 + ``Retry-After``), ``api_error(500)``;
- :func:`slow` (answer after a delay: for timeout tests).

Each request is first validated like the real API would (see :mod:`tests.fakes.openai_wire` for the rules and
their sources): bad ``Authorization: Bearer <key>``, unknown top-level fields, bad roles, malformed
``response_format``/``tools`` → OpenAI-shaped errors (401/400). Every request is recorded in ``requests``; every
400 the client provoked is also kept in ``violations`` and, unless ``allow_invalid=True``, fails the test when
the server is stopped (a wrong call can never pass silently). ``supports_json_schema=False`` makes the server
refuse ``response_format: json_schema`` with a 400 as endpoints without Structured Outputs do. An empty queue
and no handler is a test bug: 500 plus a violation. Usage: prompt tokens ≈ characters/4 per message + 3,
completion tokens ≈ characters/4 of the reply (deterministic, so tests can assert accounting).
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.fakes.openai_wire import WireError, validate_chat_request

__all__ = [
    "ApiError",
    "FakeOpenAI",
    "RecordedRequest",
    "Reply",
    "Slow",
    "ToolCall",
    "api_error",
    "count_tokens",
    "rate_limited",
    "slow",
]

CHAT_PATH = "/v1/chat/completions"


@dataclass(frozen=True)
class ToolCall:
    name: str
    arguments: Mapping[str, Any]
    id: str | None = None


@dataclass(frozen=True)
class Reply:
    content: str | Mapping[str, Any] | list[Any] | None = None
    tool_calls: tuple[ToolCall, ...] = ()
    finish_reason: str | None = None  # default: "tool_calls" with tool calls, else "stop"
    prompt_tokens: int | None = None  # default: counted from the request
    completion_tokens: int | None = None


@dataclass(frozen=True)
class ApiError:
    status: int
    message: str
    type: str
    code: str | None = None
    param: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Slow:
    delay_s: float
    then: Any = "late"


_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    403: "invalid_request_error",
    404: "invalid_request_error",
    429: "requests",
}


_MESSAGES = {401: "Incorrect API key provided.", 500: "The server had an error while processing your request."}


def api_error(
    status: int,
    message: str | None = None,
    *,
    code: str | None = None,
    param: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> ApiError:
    """An OpenAI-shaped error: 401 invalid_api_key, 500 server_error, 503 … (type follows the status)."""
    default_code = {401: "invalid_api_key", 429: "rate_limit_exceeded", 500: "server_error"}.get(status)
    kind = _ERROR_TYPES.get(status, "server_error")
    text = message or _MESSAGES.get(status, f"HTTP {status}")
    return ApiError(status, text, kind, code or default_code, param, dict(headers or {}))


def rate_limited(retry_after: float | str = 1) -> ApiError:
    """429 with ``Retry-After`` (seconds, or an HTTP date given as a string)."""
    return api_error(429, "Rate limit reached for requests.", headers={"Retry-After": str(retry_after)})


def slow(delay_s: float, then: Any = "late") -> Slow:
    """Answer ``then`` only after ``delay_s`` seconds."""
    return Slow(delay_s, then)


def count_tokens(text: str) -> int:
    return math.ceil(len(text) / 4)


def _prompt_tokens(body: Mapping[str, Any]) -> int:
    return sum(count_tokens(json.dumps(m.get("content"))) + 3 for m in body["messages"])


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


Script = Callable[[dict[str, Any]], Any]
Headers = dict[str, str]


class FakeOpenAI:
    """The server; see the module docstring. ``base_url`` ends in ``/v1`` like the real API root."""

    def __init__(
        self,
        *,
        api_key: str = "sk-test-groundswell",
        handler: Script | None = None,
        supports_json_schema: bool = True,
        allow_invalid: bool = False,
    ) -> None:
        self.api_key = api_key
        self.handler = handler
        self.supports_json_schema = supports_json_schema
        self.allow_invalid = allow_invalid
        self.requests: list[RecordedRequest] = []
        self.violations: list[str] = []
        self._queue: deque[Any] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- scripting and assertions ----------------------------------------------------------------------------------

    def enqueue(self, *replies: Any) -> FakeOpenAI:
        with self._lock:
            self._queue.extend(replies)
        return self

    @property
    def chat_requests(self) -> list[dict[str, Any]]:
        """Bodies of the well-formed chat-completion requests, in arrival order."""
        return [r.body for r in self.requests if r.path == CHAT_PATH and isinstance(r.body, dict)]

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeOpenAI is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    # --- lifecycle -------------------------------------------------------------------------------------------------

    def start(self) -> FakeOpenAI:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self.violations and not self.allow_invalid:
            raise AssertionError("requests the real OpenAI API would refuse:\n  " + "\n  ".join(self.violations))

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- serving ---------------------------------------------------------------------------------------------------

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode("utf-8", "replace")
        path = handler.path.split("?")[0]
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(RecordedRequest(handler.command, path, headers, body))
        status, payload, extra = self._answer(handler.command, path, headers, body)
        self._send(handler, status, payload, extra)

    def _answer(self, method: str, path: str, headers: Mapping[str, str], body: Any) -> tuple[int, Any, dict[str, str]]:
        if method != "POST" or path != CHAT_PATH:
            return self._invalid(404, f"Unknown request URL: {method} {path}", "unknown_url", None)
        if headers.get("authorization") != f"Bearer {self.api_key}":
            got = headers.get("authorization")
            message = "You didn't provide an API key." if not got else "Incorrect API key provided."
            return self._error(api_error(401, message))
        if "application/json" not in headers.get("content-type", ""):
            return self._invalid(400, "Content-Type must be application/json", "invalid_request", None)
        try:
            validate_chat_request(body)
        except WireError as exc:
            return self._invalid(400, exc.message, exc.code, exc.param)
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema" and not self.supports_json_schema:
            return self._error(
                api_error(
                    400,
                    "response_format 'json_schema' is not supported by this model",
                    code="unsupported_value",
                    param="response_format",
                )
            )
        return self._reply(body, self._next_script(body))

    def _next_script(self, body: dict[str, Any]) -> Any:
        with self._lock:
            if self._queue:
                return self._queue.popleft()
        if self.handler is not None:
            return self.handler(body)
        self.violations.append("a chat request arrived but nothing was scripted (empty queue, no handler)")
        return api_error(500, "FakeOpenAI: nothing scripted for this request")

    def _reply(self, body: dict[str, Any], script: Any) -> tuple[int, Any, dict[str, str]]:
        if isinstance(script, Slow):
            time.sleep(script.delay_s)
            script = script.then
        if isinstance(script, ApiError):
            return self._error(script)
        if isinstance(script, ToolCall):
            script = Reply(tool_calls=(script,))
        if not isinstance(script, Reply):
            script = Reply(content=script)
        content = script.content
        if content is not None and not isinstance(content, str):
            content = json.dumps(content)
        offered = {t["function"]["name"] for t in body.get("tools", [])}
        with self._lock:
            self._counter += 1
            number = self._counter
        calls = []
        for i, call in enumerate(script.tool_calls):
            if call.name not in offered:
                self.violations.append(
                    f"scripted a call to tool {call.name!r} but the request offered {sorted(offered)}"
                )
            arguments = json.dumps(dict(call.arguments))
            calls.append(
                {
                    "id": call.id or f"call_{number}_{i}",
                    "type": "function",
                    "function": {"name": call.name, "arguments": arguments},
                }
            )
        message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": None}
        if calls:
            message["tool_calls"] = calls
        prompt = script.prompt_tokens if script.prompt_tokens is not None else _prompt_tokens(body)
        said = (content or "") + "".join(c["function"]["arguments"] for c in calls)
        completion = script.completion_tokens if script.completion_tokens is not None else count_tokens(said)
        payload = {
            "id": f"chatcmpl-fake{number:06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": script.finish_reason or ("tool_calls" if calls else "stop"),
                }
            ],
            "usage": {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion},
            "system_fingerprint": "fp_fake",
        }
        return 200, payload, {}

    def _invalid(
        self, status: int, message: str, code: str | None, param: str | None
    ) -> tuple[int, Any, dict[str, str]]:
        self.violations.append(f"{status} {code}: {message}")
        return self._error(api_error(status, message, code=code, param=param))

    @staticmethod
    def _error(error: ApiError) -> tuple[int, Any, dict[str, str]]:
        body = {"error": {"message": error.message, "type": error.type, "param": error.param, "code": error.code}}
        return error.status, body, dict(error.headers)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: Mapping[str, str]) -> None:
        raw = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(raw)))
            for name, value in headers.items():
                handler.send_header(name, value)
            handler.end_headers()
            handler.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout tests)
            pass
