"""One scenario with the real agent over a small demo corpus (built by the real pipeline), through Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.bot import create_app
from groundswell.bot.hosting import build_bot_deps
from groundswell.bot.http import SlackHttpHandler
from groundswell.bot.simulate import SlackSimulator
from groundswell.messaging.ids import ACTION_SHOW_SOURCES
from pydantic import SecretStr

from groundswell.runtime import build_runtime
from groundswell.settings import Settings
from tests.bot.answers import ScriptedAsker
from tests.bot.conftest import CHANNEL, SECRET, USER, Workspace
from tests.fakes.slack_api import SpecCheckedSlack, payload_templates

pytestmark = pytest.mark.slow
agent_module = pytest.importorskip("groundswell.graph.agent", reason="lands with the agent branch")
pytest.importorskip("groundswell.storage.analytics", reason="lands with the analytics branch")

DEMO_END = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_runtime(tmp_path_factory):
    from groundswell.cli.data import SEED_TAXONOMY, import_seed_taxonomy
    from groundswell.demo.generate import generate_demo
    from groundswell.demo.tenant import demo_settings_overrides
    from groundswell.jobs.pipeline import run_pipeline

    runtime = build_runtime(
        Settings(data_dir=tmp_path_factory.mktemp("gs-slack-agent"), _env_file=None, **demo_settings_overrides({}))
    )
    exports = runtime.settings.exports_dir
    generate_demo(exports, seed=3, records=400, end=DEMO_END)
    import_seed_taxonomy(runtime, exports / SEED_TAXONOMY)
    run_pipeline(runtime=runtime, sources=runtime.file_sources(exports))
    as_of = json.loads((exports / "_truth" / "truth.json").read_text())["as_of"]
    return runtime, datetime.fromisoformat(as_of.replace("Z", "+00:00"))


def _slack(runtime, agent, slack_api: SpecCheckedSlack):
    """Bot dependencies answering with ``agent`` against the Slack fake, and a signed-request simulator."""
    settings = runtime.settings.model_copy(update={
        "slack_bot_token": SecretStr("xoxb-test"), "slack_signing_secret": SecretStr(SECRET),
        "slack_api_url": slack_api.api_url, "slack_post_interval_s": 0.0})  # fmt: skip
    deps = build_bot_deps(runtime, asker=agent, settings=settings)
    return deps, SlackSimulator(SECRET, templates=payload_templates(), response_url=slack_api.response_url)


def test_mention_and_follow_up_answered_by_the_real_agent(demo_runtime, slack_api: SpecCheckedSlack):
    runtime, as_of = demo_runtime
    agent = agent_module.Agent(runtime.agent_context(as_of=as_of))
    deps, sim = _slack(runtime, agent, slack_api)
    with TestClient(create_api(slack=SlackHttpHandler(create_app(deps)), engine=runtime.engine)) as http:
        ws = Workspace(http, slack_api, sim, ScriptedAsker(), deps, runtime.engine)
        first = sim.mention("what are the top themes in the last 30 days?", user=USER, channel=CHANNEL)
        ws.send(first)
        answer = ws.last_message()
        assert answer.thread_ts == json.loads(first.body)["event"]["ts"]
        assert "Working on it" not in answer.text and answer.blocks[0]["type"] == "header"
        assert "taxonomy v1" in json.dumps(answer.blocks)
        ws.send(sim.mention("and for enterprise customers?", user=USER, channel=CHANNEL, thread_ts=answer.thread_ts))
        follow_up = ws.last_message()
        assert follow_up.ts != answer.ts and follow_up.thread_ts == answer.thread_ts
        assert "Working on it" not in follow_up.text and "went wrong" not in json.dumps(follow_up.blocks)
        element, block_id = ws.button(answer.blocks, ACTION_SHOW_SOURCES)
        payload = {"ts": answer.ts, "text": answer.text, "blocks": answer.blocks, "thread_ts": answer.thread_ts}
        ws.send(sim.block_action(element, user=USER, channel=CHANNEL, message=payload, block_id=block_id))
        assert slack_api.calls_to("chat.postEphemeral")
    deps.executor.shutdown(wait=True)


def test_slack_rest_mcp_and_cli_share_one_answer_for_the_same_viewer(demo_runtime, slack_api: SpecCheckedSlack):
    """Slack's stored answer has the same numbers and citations the facade REST and MCP call gives that viewer."""
    from groundswell.bot.viewers import ViewerDirectory
    from groundswell.storage.db import session_scope
    from groundswell.storage.models import SlackAnswer
    from groundswell.surfaces.service import Surface
    from sqlmodel import col, select

    runtime, as_of = demo_runtime
    agent = agent_module.Agent(runtime.agent_context(as_of=as_of))
    deps, sim = _slack(runtime, agent, slack_api)
    question = "How many bug reports in the last 30 days?"
    with TestClient(create_api(slack=SlackHttpHandler(create_app(deps)), engine=runtime.engine)) as http:
        ws = Workspace(http, slack_api, sim, ScriptedAsker(), deps, runtime.engine)
        ws.send(sim.mention(question, user=USER, channel=CHANNEL))
        ws.last_message()
    deps.executor.shutdown(wait=True)
    with session_scope(runtime.engine) as session:
        stored = session.exec(select(SlackAnswer).order_by(col(SlackAnswer.created_at).desc())).first()
        slack = dict(stored.answer)
    viewer = ViewerDirectory(deps.settings, deps.client, deps.viewers).viewer_for(USER, segment=None)
    api = Surface(runtime, agent=agent).ask(viewer, question, via="mcp").model_dump(mode="json")
    assert slack["question"] == question and slack["results"] and slack["results"][0]["total"] is not None
    for key in ("results", "citations", "taxonomy_version", "window"):
        assert slack[key] == api[key], key
