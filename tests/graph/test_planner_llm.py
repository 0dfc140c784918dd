"""LLMPlanner with an in-test chat double that behaves like a structured-output endpoint: it checks the schema it
is given is a valid JSON schema and, when it answers in schema, that its answer validates against it."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import jsonschema
import pytest
from groundswell.core.protocols import ChatModel, ChatReply
from groundswell.graph.planner_llm import LLMPlanner, plan_schema

from tests.graph.conftest import AS_OF, VOCAB, plan_reply


class SchemaChat:
    model_id = "test-chat"

    def __init__(self, answer: Callable[[list[Mapping[str, Any]]], Any], *, enforce_schema: bool = True) -> None:
        self.answer = answer
        self.enforce_schema = enforce_schema
        self.calls: list[dict[str, Any]] = []

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
        assert json_schema is not None and schema_name
        jsonschema.Draft202012Validator.check_schema(dict(json_schema))
        self.calls.append({"messages": list(messages), "schema": json_schema})
        data = self.answer(list(messages))
        if self.enforce_schema:
            jsonschema.validate(data, dict(json_schema))
        return ChatReply(content=json.dumps(data), model=self.model_id, parsed=data)


def test_the_chat_model_double_is_a_chat_model() -> None:
    assert isinstance(SchemaChat(lambda m: {}), ChatModel)


def test_schema_lists_the_vocabulary_as_enums() -> None:
    schema = plan_schema(VOCAB)
    filters = schema["properties"]["filters"]["properties"]
    assert "auth.sso" in filters["themes"]["items"]["enum"] and "auth" in filters["themes"]["items"]["enum"]
    assert filters["segments"]["items"]["enum"] == VOCAB.segments
    assert filters["sources"]["items"]["enum"] == VOCAB.sources
    assert "as_of" not in schema["properties"] and schema["additionalProperties"] is False
    assert _open_objects(schema) == []  # strict structured output: closed objects, every property required


def _open_objects(node: Any, path: str = "$") -> list[str]:
    found = []
    if isinstance(node, dict):
        if "properties" in node and (node.get("additionalProperties") is not False or
                                     set(node["properties"]) != set(node.get("required", []))):  # fmt: skip
            found.append(path)
        for key, value in node.items():
            found.extend(_open_objects(value, f"{path}.{key}"))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found.extend(_open_objects(item, f"{path}[{i}]"))
    return found


def test_a_valid_reply_is_the_plan() -> None:
    chat = SchemaChat(lambda m: plan_reply(filters={"themes": ["auth.sso"], "segments": ["SMB"]}))
    plan = LLMPlanner(chat).plan("sso trouble for small shops?", vocabulary=VOCAB, as_of=AS_OF)
    assert (plan.kind, plan.filters.themes, plan.filters.segments) == ("count", ["auth.sso"], ["SMB"])
    assert plan.as_of == AS_OF and plan.question == "sso trouble for small shops?"
    assert plan.notes == ["planned by test-chat"]
    sent = chat.calls[0]["messages"]
    assert sent[-1] == {"role": "user", "content": "sso trouble for small shops?"}
    assert "Payment page errors" in sent[1]["content"] and "2.3.0" in sent[1]["content"]


def test_previous_plan_goes_along_for_follow_ups() -> None:
    first = LLMPlanner(SchemaChat(lambda m: plan_reply())).plan("how many?", vocabulary=VOCAB, as_of=AS_OF)
    chat = SchemaChat(lambda m: plan_reply(filters={"segments": ["SMB"]}))
    LLMPlanner(chat).plan("and for SMB?", vocabulary=VOCAB, as_of=AS_OF, previous=first)
    assert "previous_plan_in_this_thread" in chat.calls[0]["messages"][1]["content"]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (plan_reply(filters={"themes": ["made.up"]}), "unknown themes"),
        (plan_reply(kind="guess"), "invalid plan"),
        (plan_reply(kind="clarify"), "clarify without a question"),
        (plan_reply(kind="comparison"), "comparison without a previous window"),
        ("not json", "invalid plan"),
    ],
)
def test_invalid_replies_fall_back_to_the_rules(reply: Any, reason: str) -> None:
    chat = SchemaChat(lambda m: reply, enforce_schema=False)  # a model that ignores the schema
    plan = LLMPlanner(chat).plan("how many bug reports this week?", vocabulary=VOCAB, as_of=AS_OF)
    assert (plan.kind, plan.filters.intents) == ("count", ["bug_report"])  # the deterministic plan
    assert any("fell back" in n and reason in n for n in plan.notes), plan.notes


def test_errors_and_timeouts_fall_back_to_the_rules() -> None:
    def boom(messages: Any) -> Any:
        raise ConnectionError("endpoint down")

    plan = LLMPlanner(SchemaChat(boom)).plan("top 3 themes last week", vocabulary=VOCAB, as_of=AS_OF)
    assert (plan.kind, plan.k) == ("ranking", 3) and any("ConnectionError" in n for n in plan.notes)
    release = threading.Event()

    def slow(messages: Any) -> Any:
        release.wait(5)
        return plan_reply()

    try:
        plan = LLMPlanner(SchemaChat(slow), timeout_s=0.05).plan("top 3 themes", vocabulary=VOCAB, as_of=AS_OF)
    finally:
        release.set()
    assert plan.kind == "ranking" and any("no reply within" in n for n in plan.notes)
