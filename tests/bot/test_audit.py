"""Slack questions and refusals land in the audit log with surface "slack" and the Slack user id."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from groundswell.bot.simulate import SlackSimulator
from groundswell.core.audit import AuditedAsker, AuditLog
from groundswell.messaging.ids import ACTION_PROPOSAL_ACCEPT
from groundswell.storage.access_log import DatabaseAuditSink
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.models import AccessEvent
from sqlmodel import select

from tests.bot.answers import ScriptedAsker
from tests.bot.conftest import ADMIN, CHANNEL, SECRET, USER, Workspace, open_workspace
from tests.fakes.slack_api import SpecCheckedSlack, payload_templates


@pytest.fixture
def audited(slack_api: SpecCheckedSlack, engine: Engine, tmp_path) -> Iterator[Workspace]:
    log = AuditLog(DatabaseAuditSink(engine))
    with open_workspace(slack_api, engine, tmp_path, asker=AuditedAsker(ScriptedAsker(), log), audit=log) as ws:
        yield ws


def _events(engine: Engine) -> list[AccessEvent]:
    with session_scope(engine) as session:
        return list(session.exec(select(AccessEvent).order_by(AccessEvent.id)))  # type: ignore[arg-type]


def test_a_mention_is_audited_with_surface_slack_and_the_user_id(audited):
    request = audited.sim.mention("what are the top themes?", user=USER, channel=CHANNEL)
    audited.send(request)
    (event,) = _events(audited.engine)
    assert (event.kind, event.surface, event.viewer, event.user_id, event.outcome) == (
        "question", "slack", f"slack:{USER}", USER, "answered"
    )  # fmt: skip
    assert "what are the top themes?" in event.text and event.plan["kind"] == "ranking"
    assert event.thread_id and event.thread_id.endswith(json.loads(request.body)["event"]["ts"])
    assert "u-1" in event.unit_ids and event.answer_sha256 and len(event.answer_sha256) == 64


def test_a_member_changing_channel_settings_is_a_denial_event(audited):
    audited.send(audited.sim.command("channel answers ephemeral", user=USER, channel=CHANNEL))
    assert "Only admins" in audited.fake.calls_to("response_url")[-1].args["text"]
    audited.send(audited.sim.command("channel answers ephemeral", user=ADMIN, channel=CHANNEL))
    (event,) = _events(audited.engine)
    assert (event.kind, event.action, event.outcome, event.user_id, event.reason) == (
        "denial", "slack.channel_settings", "denied", USER, "admin only"
    )  # fmt: skip


def test_a_member_deciding_a_review_proposal_is_a_denial_event(audited):
    audited.send(audited.sim.home_opened(user=ADMIN))
    home = audited.fake.calls_to("views.publish")[-1].args["view"]
    element = {"type": "button", "action_id": f"{ACTION_PROPOSAL_ACCEPT}:1", "value": "1",
               "text": {"type": "plain_text", "text": "Accept"}}  # fmt: skip
    audited.send(audited.sim.block_action(element, user=USER, channel="", view=home))
    (event,) = _events(audited.engine)
    assert (event.action, event.outcome, event.viewer) == ("slack.review_themes", "denied", f"slack:{USER}")


def test_a_workspace_not_allowed_is_a_denial_event(audited):
    stranger = SlackSimulator(SECRET, team_id="T0STRANGER", templates=payload_templates())
    assert audited.send(stranger.command("ask anything", user=USER, channel=CHANNEL)).status_code == 403
    (event,) = _events(audited.engine)
    assert (event.surface, event.action, event.outcome) == ("slack", "slack.workspace", "denied")
    assert event.reason == "workspace T0STRANGER is not allowed"


def test_a_member_submitting_a_review_modal_is_refused_and_audited(audited):
    from groundswell.messaging.ids import ACTION_PROPOSAL_RENAME, PROPOSAL_VALUE_FIELD
    from groundswell.storage.taxonomy import add_proposal, list_proposals

    with session_scope(audited.engine) as session:
        proposal = add_proposal(session=session, name="dark mode theme", size=9, taxonomy_version=1)
    audited.send(audited.sim.home_opened(user=ADMIN))
    home = audited.fake.calls_to("views.publish")[-1].args["view"]
    element, block_id = audited.button(home["blocks"], f"{ACTION_PROPOSAL_RENAME}:{proposal.id}")
    audited.send(audited.sim.block_action(element, user=ADMIN, channel="", view=home, block_id=block_id))
    modal = audited.fake.calls_to("views.open")[-1].args["view"]
    audited.send(audited.sim.view_submission(modal, user=USER, overrides={PROPOSAL_VALUE_FIELD: "Dark mode"}))
    (event,) = _events(audited.engine)
    assert (event.action, event.outcome, event.user_id) == ("slack.review_themes", "denied", USER)
    with session_scope(audited.engine) as session:
        assert [p.status for p in list_proposals(session=session)] == ["pending"]
