"""Buttons of the jobs' messages: "Link instead" / "File anyway" on an existing ticket, "Snooze" on spike alerts."""

from __future__ import annotations

import re
from typing import Any

from groundswell.bot.answering import Responder
from groundswell.bot.errors import UserError, reported
from groundswell.bot.tickets import file_and_confirm
from groundswell.core.protocols import TicketDraft
from groundswell.jobs.alerts import snooze
from groundswell.messaging.ids import ACTION_ALERT_SNOOZE, ACTION_TICKET_FORCE, ACTION_TICKET_LINK
from groundswell.messaging.notices import notice_blocks
from groundswell.storage.db import session_scope
from groundswell.storage.slack import ticket_submission
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

__all__ = ["register"]


def register(app: App, responder: Responder) -> None:
    deps = responder.deps

    def follow_up(body: dict[str, Any], client: WebClient, *, link_to: str | None) -> None:
        user = body["user"]["id"]
        key = str(body["actions"][0].get("value", "")).partition("|")[0]
        with session_scope(deps.engine) as session:
            raw = ticket_submission(session=session, idempotency_key=key)
        if raw is None:
            raise UserError("I no longer have that ticket request.", "Press “Create ticket” on the answer again.")
        choice = f"link:{link_to}" if link_to else "force"
        draft = TicketDraft.model_validate(raw).model_copy(
            update={"link_to": link_to, "force": link_to is None, "idempotency_key": f"{key}:{choice}"}
        )
        file_and_confirm(responder, client, draft, user)

    @app.action(re.compile(f"^{ACTION_TICKET_LINK}:"))
    @reported
    def handle_ticket_link(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        follow_up(body, client, link_to=str(body["actions"][0].get("value", "")).partition("|")[2] or None)

    @app.action(ACTION_TICKET_FORCE)
    @reported
    def handle_ticket_force(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        follow_up(body, client, link_to=None)

    @app.action(re.compile(f"^{ACTION_ALERT_SNOOZE}:"))
    @reported
    def handle_alert_snooze(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        action, user = body["actions"][0], body["user"]["id"]
        hours = float(str(action["action_id"]).rpartition(":")[2])
        theme, channel = str(action.get("value", "")), body["channel"]["id"]
        until = snooze(engine=deps.engine, channel=channel, theme_key=theme, hours=hours, by=f"slack:{user}")
        text = f"🔕 <@{user}> snoozed alerts on `{theme}` in this channel until {until:%Y-%m-%d %H:%M} UTC."
        respond(text=text, blocks=notice_blocks(text), response_type="in_channel", replace_original=False)
