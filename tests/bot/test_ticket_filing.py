"""The "Create ticket" modal files a real ticket: signed requests through the endpoint, the Bolt app, the ticket
service and the loopback Jira (spec-checked), with the Slack Web API fake checking every call."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.tickets import TrackerTicketSink
from connectors.trackers import JiraTracker
from core.tickets import RoutingRules
from jobs.tickets import TicketService
from messaging.ids import ACTION_CREATE_TICKET, ACTION_TICKET_FORCE, ACTION_TICKET_LINK, TicketField
from storage.db import session_scope
from storage.tickets import LocalTracker, list_tickets
from tests.bot.conftest import CHANNEL, USER, Workspace, open_workspace
from tests.fakes.jira import FakeJira


@pytest.fixture
def fake_jira() -> Iterator[FakeJira]:
    with FakeJira() as fake:
        fake.add_user("ida@brightloop.io", "acc-ida")
        yield fake
    assert fake.problems == []


@pytest.fixture
def jira_workspace(slack_api, engine, tmp_path, fake_jira) -> Iterator[Workspace]:
    jira = JiraTracker(base_url=fake_jira.url, email="bot@brightloop.io", api_token="jira-token", project_key="GS",
                       timeout_s=2.0)  # fmt: skip
    service = TicketService(engine=engine, trackers={"local": LocalTracker(engine), "jira": jira},
                            routing=RoutingRules(), default_tracker="jira")  # fmt: skip
    sink = TrackerTicketSink(service)
    slack_api.users["U0IDLEAD"] = "ida@brightloop.io"
    with open_workspace(slack_api, engine, tmp_path, ticket_sink=sink, ticket_trackers=sink.trackers) as opened:
        yield opened


def _open_modal(ws: Workspace, question: str) -> tuple[dict, dict]:
    ws.send(ws.sim.mention(question, user=USER, channel=CHANNEL))
    message = ws.last_message()
    element, block_id = ws.button(message.blocks, ACTION_CREATE_TICKET)
    ws.send(ws.sim.block_action(element, user=USER, channel=CHANNEL, block_id=block_id,
                                message={"ts": message.ts, "text": message.text, "blocks": message.blocks,
                                         "thread_ts": message.thread_ts}))  # fmt: skip
    return ws.fake.calls_to("views.open")[-1].args["view"], {"ts": message.ts, "thread_ts": message.thread_ts}


def _click(ws: Workspace, prefix: str, message) -> None:
    element, block_id = ws.button(message.blocks, prefix)
    payload = {"ts": message.ts, "text": message.text, "blocks": message.blocks, "thread_ts": message.thread_ts}
    ws.send(ws.sim.block_action(element, user=USER, channel=CHANNEL, message=payload, block_id=block_id))


def _rows(ws: Workspace) -> list[tuple[str | None, str, str | None]]:
    with session_scope(ws.engine) as session:
        return sorted((r.key, r.status, r.slack_thread_ts) for r in list_tickets(session=session))


def test_the_modal_files_one_jira_ticket_with_the_owner_matched_by_email(jira_workspace, fake_jira):
    ws = jira_workspace
    view, where = _open_modal(ws, "what are enterprise customers saying about SSO?")
    tracker = next(b["element"] for b in view["blocks"] if b.get("block_id") == TicketField.TRACKER)
    assert [o["value"] for o in tracker["options"]] == ["jira", "local"]  # the configured trackers, default first
    submission = ws.sim.view_submission(view, user=USER)
    ws.send(submission)
    ws.send(submission)  # Slack delivering it again: still one ticket, one confirmation
    assert list(fake_jira.issues) == ["GS-1"]
    assert fake_jira.issues["GS-1"]["fields"]["assignee"]["accountId"] == "acc-ida"  # U0IDLEAD -> email -> Jira
    thread = where["thread_ts"] or where["ts"]
    assert _rows(ws) == [("GS-1", "open", thread)]  # the thread told when it closes
    confirmations = [m for m in ws.fake.messages(CHANNEL) if "created GS-1" in m.text]
    assert len(confirmations) == 1 and confirmations[0].thread_ts == thread


def test_an_open_ticket_on_the_theme_is_offered_instead_of_a_second_one(jira_workspace, fake_jira):
    ws = jira_workspace
    ws.send(ws.sim.view_submission(_open_modal(ws, "what are enterprise customers saying about SSO?")[0], user=USER))
    ws.send(ws.sim.view_submission(_open_modal(ws, "and what about SSO errors this week?")[0], user=USER))
    assert list(fake_jira.issues) == ["GS-1"]  # the same theme: nothing filed the second time
    offer = ws.last_message()
    assert "already an open ticket" in offer.blocks[0]["text"]["text"] and "GS-1" in offer.blocks[0]["text"]["text"]
    _click(ws, ACTION_TICKET_LINK, offer)
    _click(ws, ACTION_TICKET_LINK, offer)  # a double click links once
    assert len([m for m in ws.fake.messages(CHANNEL) if "linked this to GS-1" in m.text]) == 1
    assert [row[:2] for row in _rows(ws)] == [("GS-1", "open"), ("GS-1", "open")]
    _click(ws, ACTION_TICKET_FORCE, offer)  # "File anyway"
    assert sorted(fake_jira.issues) == ["GS-1", "GS-2"]


def test_a_tracker_failure_says_so_in_plain_words_and_keeps_the_draft_for_retry(jira_workspace, fake_jira):
    ws = jira_workspace
    fake_jira.fail_next("/rest/api/3/issue", status=503, times=10)
    view, _ = _open_modal(ws, "what are enterprise customers saying about SSO?")
    ws.send(ws.sim.view_submission(view, user=USER))
    assert fake_jira.issues == {}
    told = ws.last_message()
    assert "was not filed in jira" in told.text and "groundswell ticket retry" in told.text
    assert [row[:2] for row in _rows(ws)] == [(None, "draft")]
    fake_jira._faults.clear()
    sink = ws.deps.ticket_sink
    assert isinstance(sink, TrackerTicketSink)
    assert [r.status for r in sink.service.retry()] == ["created"]  # what `groundswell ticket retry` runs
    assert list(fake_jira.issues) == ["GS-1"] and [row[:2] for row in _rows(ws)] == [("GS-1", "open")]
