"""A :class:`core.protocols.ChatModel` over any OpenAI-compatible ``POST {base_url}/chat/completions``.

httpx directly (not the ``openai`` SDK): the SDK pinned here reads ``OPENAI_*`` environment variables and runs its
own retry loop, while Groundswell reads settings only in ``settings.py`` and bounds every wait itself.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx
from groundswell.core.errors import LanguageModelCredentialsRefused, LanguageModelError
from groundswell.core.protocols import ChatReply, ChatUsage
from groundswell.core.retry_after import retry_after_seconds
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_after_delay,
    wait_exponential_jitter,
)

__all__ = ["OpenAIChatModel"]

_RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})
JSON_OBJECT_INSTRUCTION = "Answer with one JSON object, and nothing else, that validates against this JSON schema:\n"


class OpenAIChatModel:
    """Chat completions with structured output and tool calls, bounded retries and clear errors.

    ``base_url`` is the API root with its version (``https://api.openai.com/v1``, ``http://127.0.0.1:11434/v1``).
    429 (honouring ``Retry-After``, capped at ``max_wait_s``), 408/409/5xx, timeouts and connection errors are
    retried ``max_retries`` times with exponential backoff, and never past ``deadline_s`` of retrying: a dead
    endpoint costs at most about ``deadline_s + timeout_s``. 401/403 raise
    :class:`~core.errors.LanguageModelCredentialsRefused` at once. A ``json_schema`` is sent as
    ``response_format: json_schema`` (strict); an endpoint that refuses that with a 400 gets
    ``response_format: json_object`` plus the schema in a system message from then on. ``parsed`` is the reply's
    JSON (None when the model did not answer JSON: callers validate it).
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None,
        model: str,
        timeout_s: float = 30.0,
        max_retries: int = 2,
        max_wait_s: float = 20.0,
        deadline_s: float = 90.0,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_retries < 0 or timeout_s <= 0:
            raise ValueError("max_retries must be >= 0 and timeout_s > 0")
        self.model_id = model
        self.url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.max_retries = max_retries
        self.max_wait_s = max_wait_s
        self.deadline_s = deadline_s
        self.json_schema_supported = True
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=max_wait_s, jitter=0.5)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(base_url=self.url + "/", headers=headers, timeout=timeout_s, transport=transport)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAIChatModel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        json_schema: Mapping[str, Any] | None = None,
        schema_name: str = "output",
        tools: Sequence[Mapping[str, Any]] | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
    ) -> ChatReply:
        payload: dict[str, Any] = {
            "model": self.model_id,
            "messages": [dict(m) for m in messages],
            "temperature": temperature,
        }
        if max_tokens is not None:
            payload["max_tokens"] = max_tokens
        if tools:
            payload["tools"] = [_as_tool(tool) for tool in tools]
        if json_schema is None:
            return self._reply(self._send(payload), structured=False)
        if self.json_schema_supported:
            fmt = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": dict(json_schema), "strict": True},
            }
            try:
                return self._reply(self._send(payload | {"response_format": fmt}), structured=True)
            except LanguageModelError as exc:
                if not _refuses_json_schema(exc):
                    raise
                self.json_schema_supported = False  # this endpoint has no Structured Outputs: json_object from now on
        instruction = {"role": "system", "content": JSON_OBJECT_INSTRUCTION + json.dumps(json_schema)}
        fallback = payload | {
            "messages": [*payload["messages"], instruction],
            "response_format": {"type": "json_object"},
        }
        return self._reply(self._send(fallback), structured=True)

    # --- transport -------------------------------------------------------------------------------------------------

    def _send(self, payload: dict[str, Any]) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self.max_retries + 1) | stop_after_delay(self.deadline_s),
            retry=retry_if_exception(_is_transient),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        return retrying(self._post, payload)

    def _post(self, payload: dict[str, Any]) -> Any:
        try:
            response = self._client.post("chat/completions", json=payload)
        except httpx.TimeoutException as exc:
            raise LanguageModelError(
                f"the language model at {self.url} did not answer within {self.timeout_s:g}s"
            ) from exc
        except httpx.TransportError as exc:
            raise LanguageModelError(f"the language model at {self.url} is unreachable: {exc}") from exc
        if response.status_code in (401, 403):
            raise LanguageModelCredentialsRefused(self.url, response.status_code)
        if response.status_code >= 400:
            raise LanguageModelError(
                f"the language model at {self.url} answered HTTP {response.status_code}: {_error_text(response)}",
                status=response.status_code,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        try:
            return response.json()
        except ValueError as exc:
            raise LanguageModelError(
                f"the language model at {self.url} answered non-JSON: {response.text[:200]}"
            ) from exc

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, LanguageModelError) and error.retry_after is not None:
            return min(error.retry_after, self.max_wait_s)
        return float(self._backoff(state))

    # --- reading the answer ----------------------------------------------------------------------------------------

    def _reply(self, body: Any, *, structured: bool) -> ChatReply:
        try:
            choice = body["choices"][0]
            message = choice["message"]
            content = message.get("content") or ""
            calls = [
                {"id": c["id"], "name": c["function"]["name"], "arguments": _arguments(c["function"]["arguments"])}
                for c in message.get("tool_calls") or []
            ]
            usage = body.get("usage") or {}
            reply_usage = ChatUsage(int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0))
        except (KeyError, IndexError, TypeError, ValueError) as exc:
            raise LanguageModelError(
                f"the language model at {self.url} answered outside the chat format: {exc!r}"
            ) from exc
        parsed = None
        if structured and content:
            try:
                parsed = json.loads(content)
            except ValueError:
                parsed = None
        return ChatReply(
            content=content,
            model=str(body.get("model") or self.model_id),
            usage=reply_usage,
            parsed=parsed,
            tool_calls=calls,
            finish_reason=choice.get("finish_reason"),
        )


def _as_tool(tool: Mapping[str, Any]) -> dict[str, Any]:
    """OpenAI's ``{"type": "function", "function": {...}}``; a bare ``{"name", "parameters", …}`` is wrapped."""
    if tool.get("type") == "function" and "function" in tool:
        return {"type": "function", "function": dict(tool["function"])}
    return {"type": "function", "function": dict(tool)}


def _arguments(raw: Any) -> dict[str, Any]:
    value = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(value, dict):
        raise ValueError(f"tool arguments are not a JSON object: {raw!r}")
    return value


def _error_text(response: httpx.Response) -> str:
    try:
        error = response.json()["error"]
        return str(error.get("message") or error)[:300]
    except (ValueError, KeyError, TypeError, AttributeError):
        return response.text[:300]


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, LanguageModelCredentialsRefused) or not isinstance(error, LanguageModelError):
        return False
    return error.status is None or error.status in _RETRY_STATUSES


def _refuses_json_schema(error: LanguageModelError) -> bool:
    text = str(error).lower()
    return error.status in (400, 422) and ("json_schema" in text or "response_format" in text)
