"""Buttons: show sources (paginated, ephemeral; reviewers get "Review labels" per unit), create ticket (opens the
modal), 👍/👎, taxonomy review-queue decisions (label review: bot/listeners/review.py)."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from groundswell.bot.admin import HomeService
from groundswell.bot.answering import Responder
from groundswell.bot.errors import reported
from groundswell.graph.ticket_text import NO_CHANGE_STATEMENT, no_significant_change, ticket_description
from groundswell.messaging.answer import sources_blocks
from groundswell.messaging.ids import (
    ACTION_CREATE_TICKET,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_PROPOSAL_ACCEPT,
    ACTION_PROPOSAL_MERGE,
    ACTION_PROPOSAL_RENAME,
    ACTION_SHOW_SOURCES,
    ACTION_SOURCES_PAGE,
)
from groundswell.messaging.modals import draft_from_answer, owner_team_of, proposal_edit_modal, ticket_modal
from groundswell.messaging.notices import notice_blocks
from groundswell.storage.db import session_scope
from groundswell.storage.slack import record_feedback
from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

__all__ = ["permalink", "register"]

log = logging.getLogger(__name__)

OPEN_GUARD_S = 5.0  # a second click on "Create ticket" within this window opens nothing


def permalink(client: WebClient, channel: str | None, ts: str | None) -> str | None:
    """The Slack link of the answer's message (chat.getPermalink), None when Slack cannot give one."""
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink") or None
    except SlackApiError as exc:
        log.warning("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
        return None


def _value(body: dict[str, Any]) -> str:
    return str(body["actions"][0].get("value", ""))


def register(app: App, responder: Responder, home: HomeService) -> None:
    deps = responder.deps

    @app.action(ACTION_SHOW_SOURCES)
    @reported
    def handle_show_sources(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        answer_id = _value(body)
        answer, _, _ = responder.load(answer_id)
        channel, user = body["channel"]["id"], body["user"]["id"]
        message = body.get("message") or {}
        client.chat_postEphemeral(channel=channel, user=user, thread_ts=message.get("thread_ts"),
                                  text=f"Sources for: {answer.question}"[:3000],
                                  blocks=sources_blocks(answer, answer_id=answer_id, page=1,
                                                        reviewable=responder.viewers.can_review(user)))  # fmt: skip

    @app.action(re.compile(f"^{ACTION_SOURCES_PAGE}:"))
    @reported
    def handle_sources_page(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        answer_id, _, page = _value(body).rpartition(":")
        answer, _, _ = responder.load(answer_id)
        reviewable = responder.viewers.can_review(body["user"]["id"])
        respond(text=f"Sources for: {answer.question}"[:3000], replace_original=True, response_type="ephemeral",
                blocks=sources_blocks(answer, answer_id=answer_id, page=int(page or 1),
                                      reviewable=reviewable))  # fmt: skip

    @app.action(ACTION_CREATE_TICKET)
    @reported
    def handle_create_ticket(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        answer_id, user = _value(body), body["user"]["id"]
        if deps.cache.seen(f"slack:ticket-open:{answer_id}:{user}", OPEN_GUARD_S):
            return  # a double click: the first click's modal is already on its way
        answer, thread_id, channel = responder.load(answer_id)
        team = owner_team_of(answer)
        owner = deps.settings.slack_team_owners.get(team) if team else None
        trackers = deps.tracker_choices
        url = permalink(client, (body.get("channel") or {}).get("id") or channel, (body.get("message") or {}).get("ts"))
        draft = draft_from_answer(answer, answer_id=answer_id, thread_id=thread_id, owner_slack_id=owner,
                                  description=ticket_description(answer, answer_url=url),
                                  tracker=trackers[0] if trackers else "local")  # fmt: skip
        p_value = no_significant_change(answer)
        confirm = NO_CHANGE_STATEMENT.format(p=p_value) if p_value is not None else None
        base = {"answer_id": answer_id, "channel": channel, "thread_id": thread_id, "confirm": confirm is not None}
        metadata = json.dumps(base | {"theme_key": draft.theme_key, "units": draft.evidence_unit_ids[:40]})
        if len(metadata) > 3000:
            metadata = json.dumps(base)
        client.views_open(trigger_id=body["trigger_id"],
                          view=ticket_modal(draft, trackers=trackers, private_metadata=metadata,
                                            confirm=confirm))  # fmt: skip

    def feedback(body: dict[str, Any], respond: Respond, rating: int) -> None:
        answer_id, user = _value(body), body["user"]["id"]
        with session_scope(deps.engine) as session:
            record_feedback(session=session, answer_id=answer_id, user_id=user, rating=rating)
        text = "Thanks — noted. It helps us measure answer quality." if rating > 0 else (
            "Thanks — noted. Tell me what was wrong in this thread and I'll try again.")  # fmt: skip
        respond(text=text, blocks=notice_blocks(text), response_type="ephemeral", replace_original=False)

    @app.action(ACTION_FEEDBACK_UP)
    @reported
    def handle_feedback_up(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        feedback(body, respond, +1)

    @app.action(ACTION_FEEDBACK_DOWN)
    @reported
    def handle_feedback_down(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        feedback(body, respond, -1)

    def admin_only(user: str) -> None:
        responder.require_admin(user, action="slack.review_themes", what="review discovered themes")

    @app.action(re.compile(f"^{ACTION_PROPOSAL_ACCEPT}:"))
    @reported
    def handle_proposal_accept(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        user = body["user"]["id"]
        admin_only(user)
        if deps.cache.seen(f"slack:proposal:{_value(body)}", OPEN_GUARD_S):
            return
        home.accept(int(_value(body)), actor=f"slack:{user}")
        home.publish(client, user)

    @app.action(re.compile(f"^({ACTION_PROPOSAL_RENAME}|{ACTION_PROPOSAL_MERGE}):"))
    @reported
    def handle_proposal_edit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        admin_only(body["user"]["id"])
        action_id, proposal_id = body["actions"][0]["action_id"], int(_value(body))
        mode = "rename" if action_id.startswith(ACTION_PROPOSAL_RENAME) else "merge"
        client.views_open(trigger_id=body["trigger_id"],
                          view=proposal_edit_modal(mode=mode, proposal_id=proposal_id,
                                                   name=home.proposal_name(proposal_id)))  # fmt: skip
