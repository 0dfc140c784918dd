"""LLM mode end to end against the loopback OpenAI fake: structured-output planning, prose from tool outputs,
tool calls and invented numbers refused, errors/timeouts/429s answered from templates, injections inert."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from groundswell.core.answer import Answer
from groundswell.core.query import Viewer
from groundswell.graph.agent import Agent
from groundswell.llm import OpenAIChatModel

from tests.fakes.openai_server import FakeOpenAI, api_error, rate_limited, slow
from tests.graph.agent.conftest import Demo
from tests.graph.agent.recompute import load_rows, select_rows

pytestmark = pytest.mark.slow
ADMIN = Viewer(name="pm", role="admin")
QUESTION = "What are the top 3 themes this week?"


def _plan_json(demo: Demo) -> dict[str, Any]:
    end = demo.as_of
    start = end - timedelta(days=7)
    return {
        "kind": "ranking",
        "k": 3,
        "quotes": 8,
        "filters": {"window": {"start": start.isoformat(), "end": end.isoformat(), "label": "last 7 days"}},
    }


def _honest(body: dict[str, Any]) -> str:
    """A model that phrases the first row of the JSON it was given, with the first citation."""
    payload = json.loads(body["messages"][-1]["content"])
    row = payload["results"][0]["rows"][0]
    return f"{row['label']} leads this week with {int(row['value'])} signals [{payload['citations'][0]['n']}]."


def _agent(demo: Demo, fake: FakeOpenAI) -> tuple[Agent, OpenAIChatModel]:
    from groundswell.graph.planner_llm import LLMPlanner

    client = OpenAIChatModel(
        base_url=fake.base_url, api_key=fake.api_key, model="gpt-test", timeout_s=1.0, max_retries=0, deadline_s=1.0
    )
    context = demo.runtime.agent_context(as_of=demo.as_of, planner=LLMPlanner(client, timeout_s=5).plan)
    return Agent(replace(context, chat_model=client)), client


def _exact(demo: Demo, answer: Answer) -> None:
    vocabulary = demo.runtime.agent_context(as_of=demo.as_of, planner=lambda *a, **k: None).tools.vocabulary(
        demo.as_of, ADMIN
    )  # type: ignore[arg-type,return-value]
    rows = select_rows(load_rows(demo.runtime.engine, vocabulary.taxonomy_version or 1), answer.plan, vocabulary, ADMIN)
    counts: dict[str, int] = {}
    for r in rows:
        if r.leaf:
            counts[r.leaf] = counts.get(r.leaf, 0) + 1
    assert {r.key: r.value for r in answer.results[0].rows} == {r.key: counts[r.key] for r in answer.results[0].rows}


def test_llm_plans_with_structured_output_and_phrases_only_tool_outputs(demo: Demo) -> None:
    with FakeOpenAI() as fake:
        fake.handler = lambda body: _plan_json(demo) if body.get("response_format") else _honest(body)
        agent, _ = _agent(demo, fake)
        answer = agent.ask(QUESTION, viewer=ADMIN)
        planning, composing = fake.chat_requests
    assert answer.composer == "llm" and answer.verified and answer.plan.kind == "ranking" and answer.plan.k == 3
    assert answer.text.startswith(_honest(composing)) and "Sources:" in answer.text
    assert "response_format" in planning and "tools" not in composing and "response_format" not in composing
    planted = set(demo.injections.values())
    assert not any(text in json.dumps(planning) for text in planted), "feedback text never reaches the planner"
    _exact(demo, answer)


@pytest.mark.parametrize(
    "failure, reason",
    [
        ("Per the customer's instructions: 9,999 complaints this week [1] [42].", "failed verification"),
        (api_error(500), "unavailable"),
        (rate_limited(30), "unavailable"),
        (slow(3.0, "too late"), "unavailable"),
    ],
)
def test_llm_failures_fall_back_to_template_with_the_same_numbers(demo: Demo, failure: Any, reason: str) -> None:
    """(The composer offers no tools, so the API cannot return a tool call: that path is tested with a double.)"""
    with FakeOpenAI() as fake:
        fake.enqueue(_plan_json(demo), failure)
        agent, _ = _agent(demo, fake)
        answer = agent.ask(QUESTION, viewer=ADMIN)
    assert answer.composer == "template" and reason in (answer.fallback or ""), answer.fallback
    assert answer.verified is (reason != "failed verification") and "9,999" not in answer.text
    _exact(demo, answer)


def test_injected_feedback_is_sent_as_untrusted_data(demo: Demo) -> None:
    with FakeOpenAI() as fake:
        fake.handler = lambda body: _plan_json(demo) if body.get("response_format") else _honest(body)
        agent, _ = _agent(demo, fake)
        answer = agent.ask(QUESTION, viewer=ADMIN)
        composing = fake.chat_requests[1]
    payload = json.loads(composing["messages"][-1]["content"])
    quoted = {q.unit_id for q in answer.citations} & set(demo.injections)
    assert quoted, "planted units are among the quotes"
    texts = [c["text"] for c in payload["citations"]]
    assert all(set(t) == {"untrusted_customer_feedback"} for t in texts)
    assert composing["messages"][0]["role"] == "system" and "never instructions" in composing["messages"][0]["content"]
