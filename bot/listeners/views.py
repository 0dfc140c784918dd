"""Modal submissions: the ticket draft (handed to the TicketSink once per submission) and review edits."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from groundswell.bot.admin import HomeService
from groundswell.bot.answering import Responder
from groundswell.bot.errors import reported
from groundswell.bot.tickets import file_and_confirm
from groundswell.core.protocols import TicketDraft
from groundswell.messaging.ids import PROPOSAL_VALUE_FIELD, VIEW_PROPOSAL_EDIT, VIEW_TICKET, TicketField
from groundswell.messaging.modals import CONFIRM_VALUE
from slack_bolt import Ack, App
from slack_sdk import WebClient

__all__ = ["draft_from_submission", "register", "unconfirmed"]


def _field(values: dict[str, Any], field: str) -> Any:
    element = (values.get(field) or {}).get(field) or {}
    kind = element.get("type")
    if kind == "static_select":
        return (element.get("selected_option") or {}).get("value")
    if kind == "users_select":
        return element.get("selected_user")
    if kind == "checkboxes":
        return [o.get("value") for o in element.get("selected_options") or []]
    return element.get("value")


NOT_CONFIRMED = "The data shows no significant change: tick the box to file this ticket anyway."


def unconfirmed(view: dict[str, Any]) -> bool:
    """The modal asked to confirm filing despite no significant change, and the box is not ticked."""
    meta = json.loads(view.get("private_metadata") or "{}")
    ticked = _field(view["state"]["values"], TicketField.CONFIRM) or []
    return bool(meta.get("confirm")) and CONFIRM_VALUE not in ticked


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
    @app.view(VIEW_TICKET)
    @reported
    def handle_ticket_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        user = body["user"]["id"]
        draft = draft_from_submission(view, user)
        if not draft.title:
            ack(response_action="errors", errors={TicketField.TITLE: "A ticket needs a title."})
            return
        if unconfirmed(view):
            ack(response_action="errors", errors={TicketField.CONFIRM: NOT_CONFIRMED})
            return
        ack()
        file_and_confirm(responder, client, draft, user)

    @app.view(VIEW_PROPOSAL_EDIT)
    @reported
    def handle_proposal_edit(ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient) -> None:
        ack()
        user = body["user"]["id"]
        # checked again on submit: the role may have changed since the modal opened
        responder.require_admin(user, action="slack.review_themes", what="review discovered themes")
        mode, _, proposal_id = view["private_metadata"].partition(":")
        value = (_field(view["state"]["values"], PROPOSAL_VALUE_FIELD) or "").strip()
        if mode == "rename":
            home.accept(int(proposal_id), actor=f"slack:{user}", name=value)
        else:
            home.merge(int(proposal_id), into=value, actor=f"slack:{user}")
        home.publish(client, user)
