"""The bot's small parts: command parsing, roles to viewers, pacing, plain-words errors, request shapes."""

from __future__ import annotations

import json
import threading
import time

import pytest
from groundswell.bot.deps import ChannelPacer, TrackingExecutor
from groundswell.bot.errors import UserError, explain
from groundswell.bot.parse import parse_command, parse_switches, strip_mentions
from groundswell.bot.simulate import SlackSimulator, view_state
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.errors import ConfigurationError, StorageError
from groundswell.messaging.modals import draft_from_answer, ticket_modal
from groundswell.storage.cache import LockNotAcquired
from slack_sdk.errors import SlackApiError

from tests.bot.answers import ranking_answer
from tests.bot.conftest import make_settings
from tests.fakes.slack_api import payload_templates


@pytest.mark.parametrize(
    ("text", "name", "rest", "channel"),
    [
        ("ask what about SSO?", "ask", "what about SSO?", None),
        ("  ASK   spaced   out ", "ask", "spaced out", None),
        ("themes last 30 days enterprise", "themes", "last 30 days enterprise", None),
        ("themes", "themes", "", None),
        ("digest now", "digest", "now", None),
        ("digest later", "help", "", None),
        ("subscribe auth.sso <#C0ALERTS|alerts>", "subscribe", "auth.sso", "C0ALERTS"),
        ("subscribe", "help", "", None),
        ("unsubscribe", "unsubscribe", "", None),
        ("", "help", "", None),
        ("what is this", "help", "", None),
    ],
)
def test_parse_command(text, name, rest, channel):
    parsed = parse_command(text)
    assert (parsed.name, parsed.rest, parsed.channel) == (name, rest, channel)


def test_switches_and_mentions():
    assert parse_switches("mention-only on answers ephemeral segment Mid Market") == {
        "mention-only": "on", "answers": "ephemeral", "segment": "Mid Market"}  # fmt: skip
    assert strip_mentions("<@U0GSBOT> what about <@U123|bob>  SSO?") == "what about SSO?"


def test_roles_by_user_and_group_map_to_scoped_viewers(slack_api):
    slack_api.usergroups["S0CS"] = ["U0CSREP"]
    settings = make_settings(
        slack_api, slack_user_roles={"U0BOSS": "admin", "S0CS": "support"},
        slack_role_scopes={"support": {"segments": ["SMB", "Enterprise"], "sources": ["zendesk"]},
                           "admin": {"can_reveal_pii": True}},
    )  # fmt: skip
    from groundswell.bot.deps import build_web_client

    directory = ViewerDirectory(settings, build_web_client("xoxb-test", slack_api.api_url))
    boss = directory.viewer_for("U0BOSS")
    assert boss.role == "admin" and boss.can_reveal_pii and boss.segments is None and directory.is_admin("U0BOSS")
    rep = directory.viewer_for("U0CSREP", segment="Enterprise")
    assert rep.role == "support" and rep.sources == {"zendesk"} and rep.segments == {"Enterprise"}
    assert directory.viewer_for("U0CSREP", segment="Startup").segments == frozenset()  # narrows, never widens
    stranger = directory.viewer_for("U0OTHER", segment="SMB")
    assert stranger.role == "member" and stranger.segments == {"SMB"} and not directory.is_admin("U0OTHER")
    directory.viewer_for("U0OTHER")
    assert len(slack_api.calls_to("usergroups.users.list")) == 1  # group members are cached


def test_pacer_spaces_posts_per_channel():
    pacer = ChannelPacer(0.2)
    started = time.monotonic()
    assert pacer.wait("C1") == 0 and pacer.wait("C2") == 0
    pacer.wait("C1")
    pacer.wait("C1")
    assert time.monotonic() - started >= 0.38


def test_tracking_executor_waits_for_pending_work():
    executor = TrackingExecutor(2)
    gate = threading.Event()
    executor.submit(gate.wait)
    assert not executor.wait_idle(0.05)
    gate.set()
    assert executor.wait_idle(2)
    executor.shutdown()


def test_errors_in_plain_words():
    not_in_channel = SlackApiError("no", {"ok": False, "error": "not_in_channel"})
    assert "/invite @Groundswell" in explain(not_in_channel)[1]
    assert explain(UserError("A", "B")) == ("A", "B")
    assert "database" in explain(StorageError("x"))[0]
    assert "not fully set up" in explain(ConfigurationError("no token"))[0]
    assert "already working" in explain(LockNotAcquired("x"))[0]
    assert explain(KeyError("x"))[0].startswith("Something went wrong")


def test_simulated_requests_follow_slacks_payload_shapes():
    sim = SlackSimulator("s", templates=payload_templates())
    templates = payload_templates()
    command = dict(pair.split("=", 1) for pair in sim.command("ask x", user="U1", channel="C1").body.split("&"))
    assert set(templates["command"]) - {"enterprise_id"} <= set(command)  # no Enterprise Grid here
    mention = json.loads(sim.mention("hi", user="U1", channel="C1").body)
    assert set(mention["event"]) <= set(templates["app_mention"]["event"])
    assert {"type", "team_id", "event", "event_id", "event_time"} <= set(mention) <= set(templates["app_mention"])
    draft = draft_from_answer(ranking_answer("q"), answer_id="a", thread_id=None, description="d")
    view = ticket_modal(draft, trackers=["local"], private_metadata="{}", confirm="No significant change.")
    state = view_state(view, {"ticket_project": "P"})
    assert state["ticket_confirm"]["ticket_confirm"] == {"type": "checkboxes", "selected_options": []}
    ticked = view_state(view, {"ticket_confirm": ["file-without-significant-change"]})["ticket_confirm"]
    assert [o["value"] for o in ticked["ticket_confirm"]["selected_options"]] == ["file-without-significant-change"]
    assert state["ticket_project"]["ticket_project"]["value"] == "P"
    assert state["ticket_tracker"]["ticket_tracker"]["selected_option"]["value"] == "local"


@pytest.mark.redis
def test_retry_guard_on_redis_drops_the_second_delivery(redis_url):
    from groundswell.bot.guards import retry_guard
    from groundswell.storage.cache import RedisCache
    from slack_bolt import BoltRequest, BoltResponse

    first_process, second_process = retry_guard(RedisCache(redis_url)), retry_guard(RedisCache(redis_url))
    body = {"type": "event_callback", "event_id": "Ev0REDIS"}
    request = BoltRequest(body="{}", headers={"x-slack-retry-num": ["1"]})
    calls = []
    assert first_process(request, body, lambda: calls.append(1) or BoltResponse(status=200)).status == 200
    dropped = second_process(request, body, lambda: calls.append(2) or BoltResponse(status=200))
    assert calls == [1] and dropped.status == 200 and dropped.headers["x-slack-no-retry"] == ["1"]


def test_a_role_naming_an_agent_viewer_takes_its_scopes(slack_api):
    from groundswell.bot.deps import build_web_client
    from groundswell.core.query import Viewer

    settings = make_settings(slack_api, slack_user_roles={"U0EMEA": "emea_support"})
    named = {"emea_support": Viewer(name="emea_support", role="restricted", segments=frozenset({"SMB", "Enterprise"}),
                                    sources=frozenset({"zendesk"}))}  # fmt: skip
    directory = ViewerDirectory(settings, build_web_client("xoxb-test", slack_api.api_url), named)
    viewer = directory.viewer_for("U0EMEA", segment="SMB")
    assert (viewer.name, viewer.role, viewer.sources, viewer.segments) == (
        "slack:U0EMEA", "restricted", {"zendesk"}, {"SMB"})  # fmt: skip
