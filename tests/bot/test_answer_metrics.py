"""What the Slack app tells /metrics: every answer by surface and outcome with its latency, how long each
request took to be acknowledged, by kind, and the requests it refused, by reason."""

from __future__ import annotations

from fastapi.testclient import TestClient
from groundswell.api.app import create_api
from groundswell.api.metrics import Metrics
from groundswell.bot.app import request_kind
from groundswell.bot.simulate import SlackSimulator
from groundswell.core.audit import AuditLog, MemoryAuditSink
from groundswell.messaging.ids import ACTION_CREATE_TICKET

from tests.api.test_metrics import scrape
from tests.bot.conftest import CHANNEL, DM, SECRET, USER, open_workspace
from tests.fakes.slack_api import SpecCheckedSlack, payload_templates


def test_answers_are_counted_by_surface_and_outcome(slack_api: SpecCheckedSlack, engine, tmp_path):
    metrics = Metrics(engine=engine)
    with open_workspace(slack_api, engine, tmp_path, telemetry=metrics) as workspace:
        workspace.send(workspace.sim.mention("what do enterprise customers say about SSO?", user=USER, channel=CHANNEL))
        workspace.send(workspace.sim.message("and SMB?", user=USER, channel=DM))
        workspace.send(workspace.sim.command("ask what about exports?", user=USER, channel=CHANNEL))
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=metrics)))
    for surface in ("mention", "dm", "command"):
        assert got[("groundswell_answers_total", (("outcome", "answered"), ("surface", surface)))] == 1
        assert got[("groundswell_answer_seconds_count", (("surface", surface),))] == 1


def test_acks_are_timed_by_kind_and_do_not_wait_for_the_answer(slack_api: SpecCheckedSlack, engine, tmp_path):
    metrics = Metrics(engine=engine)
    with open_workspace(slack_api, engine, tmp_path, telemetry=metrics) as workspace:
        workspace.asker.delay_s = 0.5  # the answer takes half a second; the ack must not
        workspace.send(workspace.sim.mention("what do enterprise customers say about SSO?", user=USER, channel=CHANNEL))
        message = workspace.last_message()
        workspace.send(workspace.sim.command("ask what about exports?", user=USER, channel=CHANNEL))
        element, block_id = workspace.button(message.blocks, ACTION_CREATE_TICKET)
        payload = {"ts": message.ts, "text": message.text, "blocks": message.blocks, "thread_ts": message.thread_ts}
        workspace.send(workspace.sim.block_action(element, user=USER, channel=CHANNEL, message=payload,
                                                  block_id=block_id))  # fmt: skip
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=metrics)))
    for kind in ("event", "command", "action"):
        assert got[("groundswell_slack_ack_seconds_count", (("kind", kind),))] == 1, kind
    assert got[("groundswell_slack_ack_seconds_sum", (("kind", "event"),))] < 0.5
    assert got[("groundswell_slack_ack_seconds_sum", (("kind", "command"),))] < 0.5
    assert got[("groundswell_slack_ack_seconds_bucket", (("kind", "event"), ("le", "0.5")))] == 1


def test_request_kinds() -> None:
    assert request_kind({"command": "/groundswell", "text": "ask"}) == "command"
    assert request_kind({"type": "event_callback", "event": {}}) == "event"
    assert request_kind({"type": "block_actions"}) == "action"
    assert request_kind({"type": "view_submission"}) == "view"
    assert request_kind({"type": "shortcut"}) == "shortcut"
    assert request_kind({"type": "block_suggestion"}) == "options"
    assert request_kind({"type": "url_verification"}) == "other"


def test_slack_denials_are_counted_by_reason(slack_api: SpecCheckedSlack, engine, tmp_path):
    metrics = Metrics(engine=engine)
    audit = AuditLog(MemoryAuditSink(), telemetry=metrics)
    with open_workspace(slack_api, engine, tmp_path, telemetry=metrics, audit=audit) as workspace:
        workspace.send(workspace.sim.command("channel answers ephemeral", user=USER, channel=CHANNEL))  # not an admin
        foreign = SlackSimulator(SECRET, team_id="T0ELSEWHERE", templates=payload_templates())
        assert workspace.send(foreign.mention("hello", user=USER, channel=CHANNEL)).status_code == 403
    got = scrape(TestClient(create_api(slack=None, engine=engine, metrics=metrics)))
    assert got[("groundswell_access_denials_total", (("reason", "admin_only"), ("surface", "slack")))] == 1
    assert got[("groundswell_access_denials_total", (("reason", "workspace_not_allowed"), ("surface", "slack")))] == 1
