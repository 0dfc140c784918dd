"""The "Create ticket" modal files a real ticket: signed requests through the endpoint, the Bolt app, the ticket
service and the loopback Jira (spec-checked), with the Slack Web API fake checking every call."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from groundswell.bot.tickets import TrackerTicketSink
from groundswell.connectors.trackers import JiraTracker
from groundswell.core.tickets import RoutingRules
from groundswell.jobs.tickets import TicketService
from groundswell.messaging.ids import ACTION_CREATE_TICKET, ACTION_TICKET_FORCE, ACTION_TICKET_LINK, TicketField
from groundswell.messaging.modals import CONFIRM_VALUE
from groundswell.storage.db import session_scope
from groundswell.storage.tickets import LocalTracker, list_tickets

from tests.bot.answers import comparison_answer
from tests.bot.conftest import CHANNEL, USER, Workspace, open_workspace
from tests.fakes.jira import FakeJira, adf_problems


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


def _nodes(node: dict, kind: str) -> list[dict]:
    found = [node] if node.get("type") == kind else []
    return found + [n for child in node.get("content", []) for n in _nodes(child, kind)]


def _text(node: dict) -> str:
    return " ".join(n["text"] for n in _nodes(node, "text"))


def test_the_jira_description_is_written_for_jira_not_a_dump_of_the_slack_answer(jira_workspace, fake_jira):
    ws = jira_workspace
    view, where = _open_modal(ws, "what are enterprise customers saying about SSO?")
    assert not any(b.get("block_id") == TicketField.CONFIRM for b in view["blocks"])  # a ranking: nothing to confirm
    ws.send(ws.sim.view_submission(view, user=USER))
    doc = fake_jira.issues["GS-1"]["fields"]["description"]
    assert adf_problems(doc) == []
    assert [_text(h) for h in _nodes(doc, "heading")] == ["Figures", "Top quotes"]
    figures = _text(_nodes(doc, "bulletList")[0])
    assert "Authentication > SSO login: 142" in figures and "Taxonomy version: 3" in figures
    assert "Window: last 30 days (2026-10-21 to 2026-11-19)" in figures
    quotes = _nodes(doc, "blockquote")
    assert len(quotes) == 3 and "SSO login keeps failing" in _text(quotes[0])
    hrefs = [m["attrs"]["href"] for n in _nodes(doc, "text") for m in n.get("marks", []) if m["type"] == "link"]
    assert "https://brightloop.zendesk.com/agent/tickets/1000" in hrefs
    slack = f"https://groundswell-demo.slack.com/archives/{CHANNEL}/p{where['ts'].replace('.', '')}"
    assert slack in hrefs  # back to the answer in Slack (chat.getPermalink)
    assert "<http" not in json.dumps(doc) and "*SSO" not in json.dumps(doc)  # no Slack mrkdwn


def test_a_ticket_from_a_within_normal_variation_answer_needs_explicit_confirmation(jira_workspace, fake_jira):
    ws = jira_workspace
    ws.asker.answer_with = comparison_answer
    view, _ = _open_modal(ws, "are SSO complaints rising?")
    box = next(b for b in view["blocks"] if b.get("block_id") == TicketField.CONFIRM)
    assert "The data shows no significant change" in box["label"]["text"] and "p = 0.42" in box["label"]["text"]
    refused = ws.send(ws.sim.view_submission(view, user=USER, overrides={TicketField.CONFIRM: []}))
    assert refused.json()["response_action"] == "errors" and TicketField.CONFIRM in refused.json()["errors"]
    assert fake_jira.issues == {} and _rows(ws) == []  # nothing filed, no draft kept
    ticked = {TicketField.CONFIRM: [CONFIRM_VALUE]}
    ws.send(ws.sim.view_submission(view, user=USER, overrides=ticked))
    assert list(fake_jira.issues) == ["GS-1"]
    doc = fake_jira.issues["GS-1"]["fields"]["description"]
    summary = _text(doc["content"][0])
    assert "within normal variation (p = 0.42): not a significant change" in summary
    figures = _text(_nodes(doc, "bulletList")[0])
    assert "previous 38" in figures and "p = 0.420" in figures and "Compared with: the 30 days before" in figures


def test_a_significant_change_files_without_asking(jira_workspace, fake_jira):
    ws = jira_workspace
    ws.asker.answer_with = lambda question, thread_id=None: comparison_answer(question, p_value=0.003)
    view, _ = _open_modal(ws, "are SSO complaints rising?")
    assert not any(b.get("block_id") == TicketField.CONFIRM for b in view["blocks"])
    ws.send(ws.sim.view_submission(view, user=USER))
    assert list(fake_jira.issues) == ["GS-1"]
