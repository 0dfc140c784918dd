"""LLMPlanner over the real HTTP client against the loopback fake OpenAI endpoint (wire format validated:
a schema that is not strict-mode valid, or any malformed request, fails the test when the server stops)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from groundswell.graph.planner_llm import LLMPlanner
from groundswell.llm import OpenAIChatModel

from tests.fakes.openai_server import FakeOpenAI, Reply, api_error, slow
from tests.graph.conftest import AS_OF, VOCAB, plan_reply

QUESTION = "how many bug reports this week?"


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def client(fake: FakeOpenAI) -> Iterator[OpenAIChatModel]:
    with OpenAIChatModel(
        base_url=fake.base_url, api_key=fake.api_key, model="gpt-test", timeout_s=5, max_retries=0
    ) as model:
        yield model


def test_the_model_plans_through_strict_structured_output(fake: FakeOpenAI, client: OpenAIChatModel) -> None:
    fake.enqueue(Reply(plan_reply(filters={"intents": ["bug_report"], "segments": ["SMB"]})))
    plan = LLMPlanner(client).plan(QUESTION, vocabulary=VOCAB, as_of=AS_OF)
    assert (plan.kind, plan.filters.intents, plan.filters.segments) == ("count", ["bug_report"], ["SMB"])
    assert plan.notes == ["planned by gpt-test"] and plan.question == QUESTION
    (request,) = fake.chat_requests
    response_format = request["response_format"]
    assert response_format["type"] == "json_schema" and response_format["json_schema"]["strict"] is True
    themes = response_format["json_schema"]["schema"]["properties"]["filters"]["properties"]["themes"]
    assert set(themes["items"]["enum"]) >= {"auth.sso", "checkout", "sync.calendar"}
    assert request["messages"][-1] == {"role": "user", "content": QUESTION}


def test_a_reply_outside_the_vocabulary_falls_back(fake: FakeOpenAI, client: OpenAIChatModel) -> None:
    fake.enqueue(Reply(plan_reply(filters={"segments": ["Galactic"]})))  # a model that ignored the enum
    plan = LLMPlanner(client).plan(QUESTION, vocabulary=VOCAB, as_of=AS_OF)
    assert (plan.kind, plan.filters.intents, plan.filters.segments) == ("count", ["bug_report"], [])
    assert any("fell back" in n and "Galactic" in n for n in plan.notes)


def test_prose_instead_of_json_falls_back(fake: FakeOpenAI, client: OpenAIChatModel) -> None:
    fake.enqueue("Sure! You should count the bug reports.")
    plan = LLMPlanner(client).plan(QUESTION, vocabulary=VOCAB, as_of=AS_OF)
    assert plan.filters.intents == ["bug_report"] and any("fell back" in n for n in plan.notes)


@pytest.mark.parametrize("status", [500, 401, 429])
def test_endpoint_errors_fall_back(fake: FakeOpenAI, client: OpenAIChatModel, status: int) -> None:
    fake.enqueue(api_error(status))
    plan = LLMPlanner(client).plan(QUESTION, vocabulary=VOCAB, as_of=AS_OF)
    assert plan.filters.intents == ["bug_report"] and any("fell back" in n for n in plan.notes)


def test_a_slow_endpoint_falls_back_after_the_planner_timeout(fake: FakeOpenAI, client: OpenAIChatModel) -> None:
    fake.enqueue(slow(0.6, plan_reply()))
    started = time.monotonic()
    plan = LLMPlanner(client, timeout_s=0.2).plan(QUESTION, vocabulary=VOCAB, as_of=AS_OF)
    assert time.monotonic() - started < 0.5
    assert plan.filters.intents == ["bug_report"] and any("no reply within 0.2s" in n for n in plan.notes)
    time.sleep(0.6)  # let the abandoned call finish before the server stops
