"""Modal submissions: the ticket draft (handed to the TicketSink once per submission) and review edits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.admin import HomeService
from bot.answering import Responder
from bot.errors import reported
from core.protocols import TicketDraft
from messaging.ids import PROPOSAL_VALUE_FIELD, VIEW_PROPOSAL_EDIT, VIEW_TICKET, TicketField
from messaging.notices import notice_blocks

__all__ = ["draft_from_submission", "register"]

LOCK_TTL_S = 30.0


def _field(values: dict[str, Any], field: str) -> Any:
    element = (values.get(field) or {}).get(field) or {}
    kind = element.get("type")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "users_select":
        return element.get("selected_user")
    return element.get("value")


def draft_from_submission(view: dict[str, Any], user: str) -> TicketDraft:
    """The modal's state and metadata as a draft; the idempotency key is the same for a repeated submission."""
    values = view["state"]["values"]
    meta = json.loads(view.get("private_metadata") or "{}")
    title = (_field(values, TicketField.TITLE) or "").strip()
    answer_id = meta.get("answer_id")
    key = hashlib.sha256(f"{answer_id}|{user}|{title.lower()}".encode()).hexdigest()[:32]
    return TicketDraft(
        title=title,
        description=_field(values, TicketField.DESCRIPTION) or "",
        tracker=_field(values, TicketField.TRACKER) or "local",
        project=(_field(values, TicketField.PROJECT) or None),
        owner_slack_id=_field(values, TicketField.OWNER),
        theme_key=meta.get("theme_key"),
        evidence_unit_ids=list(meta.get("units") or []),
        source_answer_id=answer_id,
        source_thread_id=meta.get("thread_id"),
        requested_by=user,
        idempotency_key=f"slack:{key}",
    )


def register(app: App, responder: Responder, home: HomeService) -> None:
    deps = responder.deps

    @app.view(VIEW_TICKET)
    @reported
    def handle_ticket_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        draft = draft_from_submission(view, user)
        if not draft.title:
            ack(response_action="errors", errors={TicketField.TITLE: "A ticket needs a title."})
            return
        ack()
        with deps.cache.lock(f"ticket:{draft.idempotency_key}", LOCK_TTL_S, timeout_s=LOCK_TTL_S):
            receipt = deps.ticket_sink.submit(draft)
        if not receipt.created:
            return  # the same submission again (double click, Slack retry): already confirmed once
        link = f" <{receipt.url}|open>" if receipt.url else ""
        owner = f" · owner <@{draft.owner_slack_id}>" if draft.owner_slack_id else ""
        text = f"📝 <@{user}> created {receipt.reference}: *{draft.title}*{link}{owner}"
        channel, thread_ts = _thread_of(draft.source_thread_id)
        responder.post(client, channel=channel or user, thread_ts=thread_ts, text=text,
                       blocks=notice_blocks(text, detail=f"tracker: {draft.tracker}"))  # fmt: skip

    @app.view(VIEW_PROPOSAL_EDIT)
    @reported
    def handle_proposal_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        mode, _, proposal_id = view["private_metadata"].partition(":")
        value = (_field(view["state"]["values"], PROPOSAL_VALUE_FIELD) or "").strip()
        if mode == "rename":
            home.accept(int(proposal_id), actor=f"slack:{user}", name=value)
        else:
            home.merge(int(proposal_id), into=value, actor=f"slack:{user}")
        home.publish(client, user)


def _thread_of(thread_id: str | None) -> tuple[str | None, str | None]:
    """(channel, thread_ts) of a "team:channel:thread_ts" id; threads of ephemeral answers are not real ones."""
    if not thread_id:
        return None, None
    _, channel, ts = ([*thread_id.split(":"), "", ""])[:3]
    return channel or None, ts if ts and not ts.startswith("cmd-") else None
