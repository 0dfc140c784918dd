"""A Slack workspace in a test: the real FastAPI endpoint and Bolt app, a spec-checked fake Web API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.bot import BotDeps, create_app
from groundswell.bot.http import SlackHttpHandler
from groundswell.bot.simulate import SignedRequest, SlackSimulator
from groundswell.bot.tickets import local_ticket_sink
from groundswell.storage.cache import MemoryCache
from groundswell.storage.db import Engine, create_db_engine, migrate

from groundswell.settings import Settings
from tests.bot.answers import ScriptedAsker
from tests.fakes.slack_api import SpecCheckedSlack, payload_templates, slack_api  # noqa: F401

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
ADMIN, USER = "U0ADMIN", "U0MEMBER"
CHANNEL, DM = "C0PRODUCT", "D0MEMBER"


@pytest.fixture
def engine(tmp_path) -> Engine:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    return engine


@dataclass
class Workspace:
    http: TestClient
    fake: SpecCheckedSlack
    sim: SlackSimulator
    asker: ScriptedAsker
    deps: BotDeps
    engine: Engine

    def send(self, request: SignedRequest, *, headers: dict[str, str] | None = None, wait: bool = True) -> Any:
        response = self.http.post("/slack/events", content=request.body, headers={**request.headers, **(headers or {})})
        if wait:
            assert self.deps.executor.wait_idle(20), "listeners did not finish"
        return response

    def last_message(self, channel: str = CHANNEL) -> Any:
        messages = self.fake.messages(channel)
        assert messages, f"nothing was posted in {channel}"
        return messages[-1]

    def button(self, blocks: list[dict[str, Any]], action_prefix: str) -> tuple[dict[str, Any], str]:
        for block in blocks:
            for element in block.get("elements", []):
                if str(element.get("action_id", "")).startswith(action_prefix):
                    return element, block.get("block_id", "")
        raise AssertionError(f"no button {action_prefix} in {blocks}")


def make_settings(fake: SpecCheckedSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": "xoxb-test-token", "slack_signing_secret": SECRET, "slack_api_url": fake.api_url,
        "slack_post_interval_s": 0.0, "slack_user_roles": {ADMIN: "admin"},
        "slack_team_owners": {"identity": "U0IDLEAD"}, "slack_ticket_trackers": ["local", "jira"],
    }  # fmt: skip
    values.update(overrides)
    return Settings(_env_file=None, **values)


@contextmanager
def open_workspace(fake: SpecCheckedSlack, engine: Engine, tmp_path: Any, **deps: Any) -> Iterator[Workspace]:
    """The real endpoint and Bolt app over ``engine``; ``deps`` replace BotDeps fields (ticket_sink …)."""
    asker = ScriptedAsker()
    values: dict[str, Any] = {"settings": make_settings(fake, data_dir=tmp_path), "asker": asker, "engine": engine,
                              "cache": MemoryCache(), "ticket_sink": local_ticket_sink(engine)}  # fmt: skip
    values.update(deps)
    bot_deps = BotDeps(**values)
    api = create_api(slack=SlackHttpHandler(create_app(bot_deps)), engine=engine)
    sim = SlackSimulator(SECRET, templates=payload_templates(), response_url=fake.response_url)
    with TestClient(api) as http:
        yield Workspace(http, fake, sim, asker, bot_deps, engine)
    bot_deps.executor.shutdown(wait=True)


@pytest.fixture
def workspace(slack_api: SpecCheckedSlack, engine: Engine, tmp_path) -> Iterator[Workspace]:  # noqa: F811
    with open_workspace(slack_api, engine, tmp_path) as opened:
        yield opened
