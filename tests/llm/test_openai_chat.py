"""OpenAIChatModel against the loopback fake OpenAI server (real HTTP, validated wire format)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from groundswell.core.errors import ConfigurationError, LanguageModelCredentialsRefused, LanguageModelError
from groundswell.core.protocols import ChatModel
from groundswell.llm import OpenAIChatModel

from tests.fakes.openai_server import FakeOpenAI, Reply, ToolCall, api_error, rate_limited, slow

SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "integer"}, "why": {"type": "string"}},
    "required": ["answer", "why"],
    "additionalProperties": False,
}
ASK = [{"role": "system", "content": "You count."}, {"role": "user", "content": "How many?"}]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(fake: FakeOpenAI, sleeps: list[float]) -> Iterator[OpenAIChatModel]:
    with OpenAIChatModel(
        base_url=fake.base_url, api_key=fake.api_key, model="gpt-test", max_retries=2, sleep=sleeps.append
    ) as model:
        yield model


def test_is_a_chat_model_and_sends_the_openai_wire_format(client: OpenAIChatModel, fake: FakeOpenAI) -> None:
    assert isinstance(client, ChatModel)
    fake.enqueue("Seven.")
    reply = client.chat(ASK, temperature=0.2, max_tokens=50)
    assert reply.content == "Seven." and reply.parsed is None and reply.finish_reason == "stop"
    assert reply.model == "gpt-test" and reply.usage.prompt_tokens > 0 and reply.usage.completion_tokens == 2
    (request,) = fake.requests
    assert request.path == "/v1/chat/completions" and request.headers["authorization"] == f"Bearer {fake.api_key}"
    assert request.body == {"model": "gpt-test", "messages": ASK, "temperature": 0.2, "max_tokens": 50}


def test_structured_output_asks_for_a_strict_json_schema_and_parses(client: OpenAIChatModel, fake: FakeOpenAI) -> None:
    fake.enqueue({"answer": 7, "why": "counted"})
    reply = client.chat(ASK, json_schema=SCHEMA, schema_name="count")
    assert reply.parsed == {"answer": 7, "why": "counted"}
    assert fake.chat_requests[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "count", "schema": SCHEMA, "strict": True},
    }


def test_falls_back_to_json_object_when_the_endpoint_refuses_json_schema(sleeps: list[float]) -> None:
    with FakeOpenAI(supports_json_schema=False) as fake:
        fake.handler = lambda body: {"answer": 3, "why": "fallback"}
        model = OpenAIChatModel(base_url=fake.base_url, api_key=fake.api_key, model="m", sleep=sleeps.append)
        assert model.chat(ASK, json_schema=SCHEMA).parsed == {"answer": 3, "why": "fallback"}
        assert model.chat(ASK, json_schema=SCHEMA).parsed == {"answer": 3, "why": "fallback"}
    formats = [r["response_format"]["type"] for r in fake.chat_requests]
    assert formats == ["json_schema", "json_object", "json_object"]  # the refusal is remembered
    assert '"answer"' in fake.chat_requests[1]["messages"][-1]["content"]  # the schema travels in the prompt
    assert not model.json_schema_supported and sleeps == []  # a 400 is not retried


def test_malformed_json_leaves_parsed_empty(client: OpenAIChatModel, fake: FakeOpenAI) -> None:
    fake.enqueue("{not json")
    reply = client.chat(ASK, json_schema=SCHEMA)
    assert reply.parsed is None and reply.content == "{not json"


def test_tool_calls_come_back_with_parsed_arguments(client: OpenAIChatModel, fake: FakeOpenAI) -> None:
    tool = {"name": "count_units", "description": "Count.", "parameters": {"type": "object", "properties": {}}}
    fake.enqueue(ToolCall("count_units", {"theme": "billing"}))
    reply = client.chat(ASK, tools=[tool])
    assert reply.tool_calls == [
        {"id": reply.tool_calls[0]["id"], "name": "count_units", "arguments": {"theme": "billing"}}
    ]
    assert reply.finish_reason == "tool_calls" and reply.content == ""
    assert fake.chat_requests[0]["tools"] == [{"type": "function", "function": tool}]


def test_refused_key_is_a_clear_configuration_error_never_retried(fake: FakeOpenAI, sleeps: list[float]) -> None:
    model = OpenAIChatModel(base_url=fake.base_url, api_key="sk-wrong", model="m", sleep=sleeps.append)
    with pytest.raises(
        LanguageModelCredentialsRefused, match=r"credentials for the language model at http://127"
    ) as err:
        model.chat(ASK)
    assert isinstance(err.value, ConfigurationError) and len(fake.requests) == 1 and sleeps == []


def test_429_honours_retry_after_then_succeeds(client: OpenAIChatModel, fake: FakeOpenAI, sleeps: list[float]) -> None:
    fake.enqueue(rate_limited(retry_after=3), "ok")
    assert client.chat(ASK).content == "ok"
    assert sleeps == [3.0] and len(fake.requests) == 2


def test_retry_after_is_capped(fake: FakeOpenAI, sleeps: list[float]) -> None:
    model = OpenAIChatModel(base_url=fake.base_url, api_key=fake.api_key, model="m", max_wait_s=5, sleep=sleeps.append)
    fake.enqueue(rate_limited(retry_after=300), "ok")
    assert model.chat(ASK).content == "ok" and sleeps == [5.0]


def test_server_errors_are_retried_a_bounded_number_of_times(
    client: OpenAIChatModel, fake: FakeOpenAI, sleeps: list[float]
) -> None:
    fake.enqueue(api_error(500), api_error(503), api_error(500), "never reached")
    with pytest.raises(LanguageModelError, match="HTTP 500"):
        client.chat(ASK)
    assert len(fake.requests) == 3 and len(sleeps) == 2 and all(0 < s <= 20 for s in sleeps)
    fake.handler = lambda body: "drained"
    assert client.chat(ASK).content == "never reached"


def test_bad_requests_are_not_retried_and_the_fake_names_the_parameter(sleeps: list[float]) -> None:
    with FakeOpenAI(allow_invalid=True) as fake:
        model = OpenAIChatModel(base_url=fake.base_url, api_key=fake.api_key, model="m", sleep=sleeps.append)
        with pytest.raises(LanguageModelError, match=r"HTTP 400.*role"):
            model.chat([{"role": "robot", "content": "hi"}])
    assert len(fake.requests) == 1 and sleeps == [] and "messages[0].role" in fake.violations[0]


def test_timeout_is_a_clear_error_after_bounded_retries(fake: FakeOpenAI, sleeps: list[float]) -> None:
    model = OpenAIChatModel(
        base_url=fake.base_url, api_key=fake.api_key, model="m", timeout_s=0.2, max_retries=1, sleep=sleeps.append
    )
    fake.enqueue(slow(1.0), slow(1.0))
    started = time.perf_counter()
    with pytest.raises(LanguageModelError, match=r"did not answer within 0.2s"):
        model.chat(ASK)
    assert time.perf_counter() - started < 2 and len(sleeps) == 1


def test_unreachable_endpoint_fails_within_the_deadline(sleeps: list[float]) -> None:
    with FakeOpenAI() as fake:
        url = fake.base_url
    model = OpenAIChatModel(base_url=url, api_key="k", model="m", max_retries=50, deadline_s=0, sleep=sleeps.append)
    with pytest.raises(LanguageModelError, match="unreachable"):
        model.chat(ASK)
    assert sleeps == []  # the deadline stops retrying before any wait


def test_the_fake_fails_the_test_when_the_script_calls_a_tool_that_was_not_offered(sleeps: list[float]) -> None:
    fake = FakeOpenAI().start()
    model = OpenAIChatModel(base_url=fake.base_url, api_key=fake.api_key, model="m", sleep=sleeps.append)
    fake.enqueue(Reply(tool_calls=(ToolCall("nope", {}),)))
    model.chat(ASK)
    with pytest.raises(AssertionError, match="scripted a call to tool 'nope'"):
        fake.stop()


def test_answers_outside_the_chat_format_are_errors() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"choices": []}))
    model = OpenAIChatModel(base_url="http://llm.invalid/v1", api_key="k", model="m", transport=transport)
    with pytest.raises(LanguageModelError, match="outside the chat format"):
        model.chat(ASK)
