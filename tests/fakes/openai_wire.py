"""What the OpenAI chat-completions API accepts, checked the way the real API would: a request that breaks a rule
gets the 400 ``invalid_request_error`` the real service sends, naming the parameter (``param``) at fault.

Sources of the rules (read with the ``search`` tool, not guessed):

- API reference, "Create chat completion" (``POST /v1/chat/completions``,
  https://platform.openai.com/docs/api-reference/chat/create) and its typed mirror in the official Python SDK
  (openai-python ``src/openai/types/chat/completion_create_params.py``, ``CompletionCreateParamsBase``): the
  top-level body fields listed in :data:`KNOWN_FIELDS` (``messages`` and ``model`` required; anything else is
  ``unknown_parameter``), message roles ``developer | system | user | assistant | tool`` (``ChatCompletionRole``;
  the legacy ``function`` role is refused), a ``tool`` message needs ``tool_call_id``, an ``assistant`` message
  may have ``content: null`` only with ``tool_calls``.
- ``response_format``: ``{"type": "text" | "json_object"}`` or ``{"type": "json_schema", "json_schema": {"name"
  (required, ``^[a-zA-Z0-9_-]{1,64}$``), "schema", "description"?, "strict"?}}`` (SDK
  ``shared_params/response_format_json_schema.py``). With ``strict: true`` the Structured Outputs guide's rules
  apply: every object sets ``additionalProperties: false`` and lists all its properties in ``required``.
  ``json_object`` mode requires the word "JSON" somewhere in the messages (the API answers 400 otherwise).
- ``tools``: ``[{"type": "function", "function": {"name", "description"?, "parameters"?, "strict"?}}]``
  (``chat_completion_function_tool_param.py``); ``tool_choice``: ``none | auto | required`` or
  ``{"type": "function", "function": {"name"}}`` naming an offered tool.
- Errors (https://platform.openai.com/docs/guides/error-codes): ``{"error": {"message", "type", "param", "code"}}``
  with 400 ``invalid_request_error``, 401 ``invalid_api_key``, 429 ``rate_limit_exceeded`` (+ ``Retry-After``),
  500 ``server_error``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

__all__ = ["KNOWN_FIELDS", "ROLES", "WireError", "validate_chat_request"]

KNOWN_FIELDS = frozenset(
    [
        "messages",
        "model",
        "audio",
        "frequency_penalty",
        "function_call",
        "functions",
        "logit_bias",
        "logprobs",
        "max_completion_tokens",
        "max_tokens",
        "metadata",
        "modalities",
        "moderation",
        "n",
        "parallel_tool_calls",
        "prediction",
        "presence_penalty",
        "prompt_cache_key",
        "prompt_cache_options",
        "prompt_cache_retention",
        "reasoning_effort",
        "response_format",
        "safety_identifier",
        "seed",
        "service_tier",
        "stop",
        "store",
        "stream",
        "stream_options",
        "temperature",
        "tool_choice",
        "tools",
        "top_logprobs",
        "top_p",
        "user",
        "verbosity",
        "web_search_options",
    ]
)
ROLES = frozenset({"developer", "system", "user", "assistant", "tool"})
NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


class WireError(Exception):
    """A request the real API would refuse with 400."""

    def __init__(self, message: str, param: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message, self.param, self.code = message, param, code


def _check(condition: bool, message: str, param: str, code: str = "invalid_value") -> None:
    if not condition:
        raise WireError(message, param, code)


def _check_message(i: int, message: Any) -> None:
    where = f"messages[{i}]"
    _check(isinstance(message, Mapping), f"{where} must be an object", where, "invalid_type")
    role = message.get("role")
    _check(role in ROLES, f"Invalid value for '{where}.role': {role!r}", f"{where}.role")
    content = message.get("content")
    if role == "assistant" and message.get("tool_calls"):
        _check(content is None or isinstance(content, str), f"{where}.content must be a string or null", where)
    elif isinstance(content, list):
        for j, part in enumerate(content):
            _check(isinstance(part, Mapping) and "type" in part, f"{where}.content[{j}] needs a type", where)
    else:
        _check(isinstance(content, str), f"Missing or invalid '{where}.content'", f"{where}.content", "invalid_type")
    if role == "tool":
        _check(isinstance(message.get("tool_call_id"), str), f"'{where}.tool_call_id' is required", where)
    unknown = set(message) - {"role", "content", "name", "tool_calls", "tool_call_id", "refusal", "audio"}
    _check(not unknown, f"Unrecognized fields in {where}: {sorted(unknown)}", where, "unknown_parameter")


def _strict_problems(schema: Any, path: str = "schema") -> list[str]:
    """Structured Outputs' strict-mode rules: closed objects whose properties are all required."""
    problems: list[str] = []
    if isinstance(schema, Mapping):
        if schema.get("type") == "object" or "properties" in schema:
            if schema.get("additionalProperties") is not False:
                problems.append(f"{path}: 'additionalProperties' is required to be supplied and to be false")
            props = set(schema.get("properties", {}))
            if props != set(schema.get("required", [])):
                problems.append(f"{path}: 'required' must list every key in 'properties' ({sorted(props)})")
        for key, value in schema.items():
            if isinstance(value, Mapping | list):
                problems.extend(_strict_problems(value, f"{path}.{key}"))
    elif isinstance(schema, list):
        for i, item in enumerate(schema):
            problems.extend(_strict_problems(item, f"{path}[{i}]"))
    return problems


def _check_json_schema(value: Any, param: str, *, strict: bool) -> None:
    _check(isinstance(value, Mapping), f"'{param}' must be a JSON schema object", param, "invalid_type")
    try:
        Draft202012Validator.check_schema(value)
    except SchemaError as exc:
        raise WireError(f"Invalid schema for {param}: {exc.message}", param, "invalid_json_schema") from exc
    if strict and (problems := _strict_problems(value)):
        raise WireError(f"Invalid schema for {param} (strict): {problems[0]}", param, "invalid_json_schema")


def _check_response_format(body: Mapping[str, Any]) -> None:
    fmt = body["response_format"]
    _check(isinstance(fmt, Mapping), "'response_format' must be an object", "response_format", "invalid_type")
    kind = fmt.get("type")
    if kind in ("text", "json_object"):
        _check(
            set(fmt) == {"type"}, f"Unknown fields in response_format: {sorted(set(fmt) - {'type'})}", "response_format"
        )
        if kind == "json_object":
            said = " ".join(str(m.get("content")) for m in body["messages"] if isinstance(m, Mapping))
            _check("json" in said.lower(), "'messages' must contain the word 'json' to use json_object", "messages")
        return
    _check(kind == "json_schema", f"Invalid value for 'response_format.type': {kind!r}", "response_format.type")
    _check(
        set(fmt) == {"type", "json_schema"},
        "response_format json_schema needs exactly 'json_schema'",
        "response_format",
    )
    spec = fmt["json_schema"]
    _check(isinstance(spec, Mapping), "'response_format.json_schema' must be an object", "response_format.json_schema")
    unknown = set(spec) - {"name", "schema", "description", "strict"}
    _check(not unknown, f"Unknown fields in json_schema: {sorted(unknown)}", "response_format.json_schema")
    name = spec.get("name")
    _check(
        isinstance(name, str) and bool(NAME.match(name)),
        "json_schema.name must match ^[a-zA-Z0-9_-]{1,64}$",
        "response_format.json_schema.name",
    )
    _check("schema" in spec, "'response_format.json_schema.schema' is required", "response_format.json_schema.schema")
    strict = spec.get("strict", False)
    _check(
        isinstance(strict, bool | None), "json_schema.strict must be a boolean", "response_format.json_schema.strict"
    )
    _check_json_schema(spec["schema"], "response_format.json_schema.schema", strict=bool(strict))


def _check_tools(body: Mapping[str, Any]) -> set[str]:
    tools = body["tools"]
    _check(isinstance(tools, list) and bool(tools), "'tools' must be a non-empty array", "tools", "invalid_type")
    names: set[str] = set()
    for i, tool in enumerate(tools):
        where = f"tools[{i}]"
        _check(isinstance(tool, Mapping) and tool.get("type") == "function", f"{where}.type must be 'function'", where)
        _check(set(tool) == {"type", "function"}, f"Unknown fields in {where}", where, "unknown_parameter")
        fn = tool["function"]
        _check(isinstance(fn, Mapping), f"{where}.function must be an object", f"{where}.function", "invalid_type")
        name = fn.get("name")
        _check(
            isinstance(name, str) and bool(NAME.match(name)),
            f"{where}.function.name is invalid",
            f"{where}.function.name",
        )
        unknown = set(fn) - {"name", "description", "parameters", "strict"}
        _check(not unknown, f"Unknown fields in {where}.function: {sorted(unknown)}", where, "unknown_parameter")
        if "parameters" in fn:
            _check_json_schema(fn["parameters"], f"{where}.function.parameters", strict=bool(fn.get("strict")))
        _check(name not in names, f"duplicate tool name {name!r}", where)
        names.add(name)
    return names


def _check_tool_choice(choice: Any, names: set[str]) -> None:
    if isinstance(choice, str):
        _check(choice in ("none", "auto", "required"), f"Invalid value for 'tool_choice': {choice!r}", "tool_choice")
        return
    ok = (
        isinstance(choice, Mapping) and choice.get("type") == "function" and isinstance(choice.get("function"), Mapping)
    )
    _check(ok, "'tool_choice' must be none|auto|required or a function choice", "tool_choice")
    _check(choice["function"].get("name") in names, "tool_choice names a tool that was not offered", "tool_choice")


def validate_chat_request(body: Any) -> None:
    """Raise :class:`WireError` for anything the real endpoint would refuse."""
    _check(isinstance(body, Mapping), "The request body must be a JSON object", "body", "invalid_type")
    unknown = sorted(set(body) - KNOWN_FIELDS)
    _check(
        not unknown,
        f"Unrecognized request argument supplied: {', '.join(unknown)}",
        unknown[0] if unknown else "",
        "unknown_parameter",
    )
    model = body.get("model")
    _check(
        isinstance(model, str) and bool(model),
        "you must provide a model parameter",
        "model",
        "missing_required_parameter",
    )
    messages = body.get("messages")
    _check(
        isinstance(messages, list) and bool(messages),
        "'messages' must be a non-empty array",
        "messages",
        "missing_required_parameter",
    )
    for i, message in enumerate(messages):
        _check_message(i, message)
    if "temperature" in body:
        t = body["temperature"]
        _check(
            isinstance(t, int | float) and not isinstance(t, bool) and 0 <= t <= 2,
            "temperature must be in [0, 2]",
            "temperature",
        )
    for field in ("max_tokens", "max_completion_tokens", "n", "seed"):
        if field in body and body[field] is not None:
            v = body[field]
            _check(
                isinstance(v, int) and not isinstance(v, bool) and v >= (0 if field == "seed" else 1),
                f"'{field}' must be a positive integer",
                field,
                "invalid_type",
            )
    _check(not body.get("stream"), "this fake does not stream; send stream=false", "stream", "unsupported_value")
    if "response_format" in body:
        _check_response_format(body)
    names = _check_tools(body) if "tools" in body else set()
    if "tool_choice" in body:
        _check_tool_choice(body["tool_choice"], names)
