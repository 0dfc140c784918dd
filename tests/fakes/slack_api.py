"""The Slack Web API on loopback, checked against Slack's official OpenAPI spec.

Every call must name a method the spec has, carry its required arguments (token in the Authorization header)
with the spec's types, and any Block Kit it carries must be valid; otherwise the call is answered like Slack
would (``ok: false``) and recorded in ``problems``, which the fixture turns into a test failure.
It can also answer the next calls to a method with HTTP 429 and a Retry-After header.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from groundswell.bot.loopback import Call, LoopbackSlack
from groundswell.messaging.blockkit import validate_blocks, validate_view

from tests.specs import SLACK_SPECS, SLACK_WEB_API

SPEC_DIR = SLACK_SPECS
WEB_API_SPEC = SLACK_WEB_API
PAYLOADS = SPEC_DIR / "payload_shapes"
JSON_ENCODED = {"blocks", "attachments", "view", "metadata"}  # "string" in the spec: JSON, or raw in JSON bodies
# slack_sdk sends ``team_id`` with every call of a client made for a workspace (Bolt builds one per request); Slack
# accepts it on every method (org-wide apps), though the 2021 spec lists it only on some.
EVERY_METHOD_ARGS = {"team_id"}
TEMPLATE_FILES = {
    "command": "app-backend/slash-commands/SlashCommandPayload.json",
    "block_actions": "app-backend/interactive-components/BlockActionPayload.json",
    "view_submission": "app-backend/views/ViewSubmissionPayload.json",
    "app_mention": "events/AppMentionPayload.json",
    "message": "events/MessagePayload.json",
    "app_home_opened": "events/AppHomeOpenedPayload.json",
}


@cache
def web_api_methods() -> dict[str, list[dict[str, Any]]]:
    """method name -> its parameters, from the spec."""
    spec = json.loads(WEB_API_SPEC.read_text())
    methods: dict[str, list[dict[str, Any]]] = {}
    for path, verbs in spec["paths"].items():
        for operation in verbs.values():
            methods[path.lstrip("/")] = operation.get("parameters", [])
    return methods | UPLOAD_METHODS


def _param(name: str, kind: str, required: bool = False) -> dict[str, Any]:
    return {"name": name, "type": kind, "required": required}


# The 2021 OpenAPI spec predates Slack's current upload flow; these two methods are transcribed from their
# reference pages (docs.slack.dev/reference/methods/files.getUploadURLExternal, …completeUploadExternal).
UPLOAD_METHODS: dict[str, list[dict[str, Any]]] = {
    "files.getUploadURLExternal": [
        _param("token", "string", True),
        _param("filename", "string", True),
        _param("length", "integer", True),
        _param("alt_txt", "string"),
        _param("snippet_type", "string"),
    ],
    "files.completeUploadExternal": [
        _param("token", "string", True),
        _param("files", "string", True),  # a JSON array of {"id", "title"?}
        _param("channel_id", "string"),
        _param("channels", "string"),
        _param("initial_comment", "string"),
        _param("thread_ts", "string"),
        _param("blocks", "string"),
    ],
}
ALT_TXT_MAX = 1000


def _upload_problems(call: Call) -> list[str]:
    """What the upload methods' reference pages add to the argument types."""
    problems = []
    alt = call.args.get("alt_txt")
    if isinstance(alt, str) and len(alt) > ALT_TXT_MAX:
        problems.append(f"{call.method}: alt_txt_too_large ({len(alt)} > {ALT_TXT_MAX})")
    if call.method == "files.getUploadURLExternal" and str(call.args.get("length", "1")) == "0":
        problems.append(f"{call.method}: length must be positive")
    if call.method == "files.completeUploadExternal" and "files" in call.args:
        files = _decoded(call.args["files"])
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) and "id" in f for f in files):
            problems.append(f"{call.method}: files must be a JSON array of objects with an id")
    return problems


@cache
def payload_templates() -> dict[str, dict[str, Any]]:
    return {name: json.loads((PAYLOADS / rel).read_text()) for name, rel in TEMPLATE_FILES.items()}


def _type_ok(value: Any, kind: str | None, name: str) -> bool:
    if kind == "string":
        if name in JSON_ENCODED and isinstance(value, (list, dict)):
            return True
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool) or str(value).lower() in {"true", "false", "1", "0"}
    if kind == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or str(value).lstrip("-").isdigit()
    if kind == "number":
        try:
            float(value)
        except (TypeError, ValueError):
            return False
        return not isinstance(value, bool)
    return True


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def check_call(call: Call) -> list[str]:
    """Everything wrong with one Web API call, per the spec (empty: a correct call)."""
    if call.method == "response_url":
        problems = []
        if "blocks" in call.args:
            problems += [f"response_url: {p}" for p in validate_blocks(_decoded(call.args["blocks"]))]
        return problems
    params = web_api_methods().get(call.method)
    if params is None:
        return [f"{call.method}: no such Web API method"]
    problems = []
    by_name = {p["name"]: p for p in params}
    auth = call.headers.get("authorization", "")
    if "token" in by_name and not (auth.startswith("Bearer xox") or str(call.args.get("token", "")).startswith("xox")):
        problems.append(f"{call.method}: no token")
    for name, param in by_name.items():
        if name != "token" and param.get("required") and name not in call.args:
            problems.append(f"{call.method}: required argument {name!r} missing")
    for name, value in call.args.items():
        param = by_name.get(name)
        if param is None and name not in EVERY_METHOD_ARGS:
            problems.append(f"{call.method}: unknown argument {name!r}")
        elif param is not None and value is not None and not _type_ok(value, param.get("type"), name):
            problems.append(f"{call.method}: {name}={value!r} is not a {param.get('type')}")
    problems += _upload_problems(call)
    if "blocks" in call.args:
        problems += [f"{call.method}: {p}" for p in validate_blocks(_decoded(call.args["blocks"]))]
    if "view" in call.args:
        problems += [f"{call.method}: {p}" for p in validate_view(_decoded(call.args["view"]))]
    return problems


class SpecCheckedSlack(LoopbackSlack):
    """The loopback Web API plus the spec check and scripted 429s."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._throttle: dict[str, list[int]] = {}
        self._refuse: dict[str, str] = {}

    def throttle(self, method: str, *, times: int = 1, retry_after_s: int = 1) -> None:
        """Answer the next ``times`` calls to ``method`` with HTTP 429 and ``Retry-After``."""
        self._throttle[method] = [retry_after_s] * times

    def refuse(self, method: str, error: str) -> None:
        """Answer every later call to ``method`` with ``{"ok": false, "error": error}`` (as Slack does)."""
        self._refuse[method] = error

    def respond(self, call: Call) -> tuple[int, dict[str, str], Any]:
        problems = check_call(call)
        if problems:
            with self._mutex:
                self.problems.extend(problems)
                self.calls.append(call)
            return 200, {}, {"ok": False, "error": "invalid_arguments", "problems": problems}
        if call.method in self._refuse:
            with self._mutex:
                self.calls.append(call)
            return 200, {}, {"ok": False, "error": self._refuse[call.method]}
        pending = self._throttle.get(call.method)
        if pending:
            retry_after = pending.pop(0)
            with self._mutex:
                self.calls.append(call)
            return 429, {"Retry-After": str(retry_after)}, {"ok": False, "error": "ratelimited"}
        return super().respond(call)


@pytest.fixture
def slack_api() -> Iterator[SpecCheckedSlack]:
    """A started spec-checked fake; the test fails if the bot made any call the spec refuses."""
    fake = SpecCheckedSlack()
    fake.start()
    try:
        yield fake
    finally:
        fake.stop()
    assert not fake.problems, "the bot made Web API calls Slack would refuse:\n" + "\n".join(fake.problems)
