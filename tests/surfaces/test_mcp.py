"""The MCP server through the SDK's own client, over stdio (`groundswell mcp` as a subprocess) and streamable
HTTP (`/mcp` in the app `serve` runs, on a loopback port): tools, resources, prompts, scopes, auth, and the same
numbers and citations as REST and the CLI's agent path."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import httpx2
import pytest
import uvicorn
from fastapi.testclient import TestClient
from groundswell.cli.slack import build_api
from groundswell.core.answer import Answer
from groundswell.graph.answers_eval import count_leaks
from groundswell.graph.tools import is_visible
from groundswell.surfaces.models import QuotesRequest
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from tests.graph.agent.conftest import Demo
from tests.surfaces.conftest import VIEWERS, Served, cited_units
from tests.surfaces.test_rest import LEAK_QUESTIONS

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"ask", "run_query", "find_quotes", "get_feedback", "list_themes", "source_health", "draft_ticket",
         "confirm_ticket"}  # fmt: skip
QUESTION = "Feedback volume per source over the last 90 days"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def mcp_url(served: Served) -> Iterator[str]:
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(build_api(served.runtime, served.surface), host="127.0.0.1", port=port,
                                           log_level="warning"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}/mcp"
    server.should_exit = True
    thread.join(timeout=10)


def _http(url: str, token: str) -> Client:
    client = httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=60)
    return Client(streamable_http_client(url, http_client=client))


def _stdio(served: Served, token: str) -> Client:
    settings = served.runtime.settings
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GROUNDSWELL_DATA_DIR": str(settings.data_dir),
           "GROUNDSWELL_AGENT_AS_OF": settings.agent_as_of.isoformat(), "GROUNDSWELL_VIEWERS": json.dumps(VIEWERS),
           "GROUNDSWELL_MCP_TOKEN": token}  # fmt: skip
    return Client(
        StdioServerParameters(command=sys.executable, args=["-m", "groundswell.cli.main", "mcp"], env=env, cwd=ROOT)
    )


async def _call(client: Client, tool: str, **arguments: Any) -> Any:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return result.structured_content


def test_stdio_serves_tools_resources_prompts_scoped_to_its_token(served: Served) -> None:
    sam = served.surface.viewer("sam")

    async def session() -> tuple[Any, ...]:
        async with _stdio(served, served.tokens["sam"]) as client:
            tools = (await client.list_tools()).tools
            answer = await _call(client, "ask", question=QUESTION)
            quotes = await _call(client, "find_quotes", days=180, limit=10)
            taxonomy = await client.read_resource("groundswell://taxonomy")
            glossary = await client.read_resource("groundswell://glossary")
            prompts = (await client.list_prompts()).prompts
            prompt = await client.get_prompt("theme_brief", {"theme": "SSO"})
            return tools, answer, quotes, taxonomy, glossary, prompts, prompt

    tools, answer, quotes, taxonomy, glossary, prompts, prompt = anyio.run(session)
    assert {t.name for t in tools} == TOOLS
    assert all(len(t.description or "") > 60 and t.input_schema.get("type") == "object" for t in tools)
    assert count_leaks(Answer.model_validate(answer), sam, cited_units(served)) == 0
    assert {row["key"] for r in answer["results"] for row in r["rows"]} <= {"zendesk", "intercom"}
    expected = served.runtime.agent.ask(QUESTION, viewer=sam).model_dump(mode="json")
    assert answer["results"] == expected["results"] and answer["citations"] == expected["citations"]
    assert quotes["quotes"] and all(
        is_visible(sam, q["source"], q["account_id"], q["segment"]) for q in quotes["quotes"]
    )
    assert json.loads(taxonomy.contents[0].text)["taxonomy_version"] == 1
    assert "ranking" in json.loads(glossary.contents[0].text)["kinds"]
    assert {"top_themes", "whats_changed", "revenue_at_risk", "theme_brief"} <= {p.name for p in prompts}
    assert "SSO" in json.dumps(prompt.model_dump(mode="json"))


def test_stdio_refuses_a_bad_token(served: Served) -> None:
    params = _stdio(served, "gsk_not-a-token").server
    assert isinstance(params, StdioServerParameters)
    done = subprocess.run([params.command, *params.args], env=params.env, cwd=params.cwd, input="",
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "unknown token" in done.stderr and done.stdout == ""


def test_http_needs_a_valid_bearer_token(mcp_url: str) -> None:
    body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
    for headers in ({}, {"Authorization": "Bearer gsk_nope"}):
        response = httpx.post(mcp_url, json=body, headers=headers)
        assert response.status_code == 401 and response.headers["content-type"].startswith("application/problem")


def test_ask_gives_the_same_numbers_and_citations_over_mcp_rest_and_the_cli(served: Served, mcp_url: str) -> None:
    question = "What are the top 5 themes over the last 30 days?"

    async def session() -> Any:
        async with _http(mcp_url, served.tokens["ana"]) as client:
            return await _call(client, "ask", question=question)

    via_mcp = anyio.run(session)
    rest = TestClient(build_api(served.runtime, served.surface))
    via_rest = rest.post("/api/v1/ask", json={"question": question},
                         headers={"Authorization": f"Bearer {served.tokens['ana']}"}).json()  # fmt: skip
    via_cli = served.runtime.agent.ask(question, viewer=served.surface.viewer("ana")).model_dump(mode="json")
    for key in ("results", "citations", "taxonomy_version", "window"):
        assert via_mcp[key] == via_rest[key] == via_cli[key], key
    assert via_mcp["results"][0]["rows"] and via_mcp["citations"]


def test_http_restricted_token_sees_nothing_outside_its_scope(served: Served, mcp_url: str) -> None:
    sam, ana = served.surface.viewer("sam"), served.surface.viewer("ana")
    hidden = next(q for q in served.surface.find_quotes(ana, QuotesRequest(days=180, limit=20))
                  if not is_visible(sam, q.source, q.account_id, q.segment))  # fmt: skip

    async def session() -> tuple[Any, ...]:
        async with _http(mcp_url, served.tokens["sam"]) as client:
            answer = await _call(client, "ask", question=QUESTION)
            sources = await _call(client, "source_health")
            drill = await client.call_tool("get_feedback", {"unit_id": hidden.unit_id})
            theme = next(t["key"] for t in (await _call(client, "list_themes"))["themes"] if not t["parent_key"])
            draft = await _call(client, "draft_ticket", theme=theme, days=180)
            return answer, sources, drill, draft

    answer, sources, drill, draft = anyio.run(session)
    assert count_leaks(Answer.model_validate(answer), sam, cited_units(served)) == 0
    assert {s["source"] for s in sources["sources"]} <= {"zendesk", "intercom"}
    assert drill.is_error and "Not found" in drill.content[0].text and hidden.text not in drill.content[0].text
    assert "- Scope: only what sam may see" in draft["body"]  # a restricted draft holds only its own evidence
    assert all(is_visible(sam, u.source, u.account_id, u.segment) for u in cited_units(served)(draft["unit_ids"]))


def test_http_tickets_file_only_on_confirm_by_a_viewer_allowed_to(served: Served, mcp_url: str) -> None:
    theme = next(t.key for t in served.surface.list_themes(limit=1_000).themes if t.parent_key)

    async def session() -> tuple[Any, ...]:
        async with _http(mcp_url, served.tokens["mo"]) as member:
            draft = await _call(member, "draft_ticket", theme=theme)
            refused = await member.call_tool("confirm_ticket", {"draft_id": draft["draft_id"]})
        async with _http(mcp_url, served.tokens["ana"]) as analyst:
            mine = await _call(analyst, "draft_ticket", theme=theme)
            filed = await _call(analyst, "confirm_ticket", draft_id=mine["draft_id"], force=True)
        return draft, refused, filed

    draft, refused, filed = anyio.run(session)
    assert draft["body"] and refused.is_error and "Forbidden" in refused.content[0].text
    assert filed["status"] == "created" and filed["ticket_key"]


def test_the_eval_questions_leak_nothing_over_mcp(served: Served, mcp_url: str, demo: Demo) -> None:
    sam, units = served.surface.viewer("sam"), cited_units(served)

    async def session() -> list[Any]:
        async with _http(mcp_url, served.tokens["sam"]) as client:
            return [await _call(client, "ask", question=row["question"]) for row in demo.questions[:LEAK_QUESTIONS]]

    answers = anyio.run(session)
    assert len(answers) == LEAK_QUESTIONS
    assert sum(count_leaks(Answer.model_validate(a), sam, units) for a in answers) == 0
