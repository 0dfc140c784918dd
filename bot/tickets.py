"""The "Create ticket" modal's sink: Slack drafts filed through the ticket service (Jira, Linear or local).

Each submission (idempotency key) is recorded once, so Slack redelivering it or a double click files nothing
twice. Before filing, the service searches the tracker for an open ticket on the same theme: the user is offered
"Link instead" / "File anyway". A tracker failure keeps the draft for ``groundswell ticket retry``.
"""

from __future__ import annotations

import logging

from groundswell.bot.answering import Responder
from groundswell.core.errors import TrackerError
from groundswell.core.protocols import TicketDraft, TicketReceipt
from groundswell.core.tickets import RoutingRules, Ticket
from groundswell.core.tickets import TicketDraft as FilingDraft
from groundswell.jobs.tickets import FileResult, TicketService
from groundswell.messaging.alerts import existing_ticket_blocks
from groundswell.messaging.blockkit import Block, escape, link, safe_url
from groundswell.messaging.notices import error_blocks, notice_blocks
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.slack import save_ticket_draft
from groundswell.storage.tickets import LocalTracker
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

__all__ = ["TrackerTicketSink", "file_and_confirm", "filing_draft", "local_ticket_sink", "thread_of"]

log = logging.getLogger(__name__)
LOCK_TTL_S = 30.0


def thread_of(thread_id: str | None) -> tuple[str | None, str | None]:
    """(channel, thread_ts) of a "team:channel:thread_ts" id; threads of ephemeral answers are not real ones."""
    if not thread_id:
        return None, None
    _, channel, ts = ([*thread_id.split(":"), "", ""])[:3]
    return channel or None, ts if ts and not ts.startswith("cmd-") else None


def filing_draft(draft: TicketDraft, routing: RoutingRules) -> FilingDraft:
    """What the tracker files for a modal submission: routed team and owner unless the user picked one."""
    channel, thread_ts = thread_of(draft.source_thread_id)
    route = routing.route(draft.theme_key)
    project = draft.project
    if project is None and route is not None:
        project = route.jira_project if draft.tracker == "jira" else route.linear_team_id
    return FilingDraft(
        title=draft.title[:250],
        body=draft.description,
        theme_key=draft.theme_key,
        insight_key=None if draft.theme_key else draft.source_answer_id,
        team=route.team if route else None,
        assignee_email=draft.owner_email or (route.owner_email if route else None),
        unit_ids=list(draft.evidence_unit_ids),
        requested_by=draft.requested_by,
        slack_channel=channel,
        slack_thread_ts=thread_ts,
        project=project if draft.tracker != "local" else None,
    )


def _receipt(result: FileResult) -> TicketReceipt:
    if result.ticket is not None:
        status = "linked" if result.status == "linked" else "created"
        return TicketReceipt(reference=result.ticket.key, url=result.ticket.url, status=status, message=result.message)
    if result.status == "existing":
        return TicketReceipt(reference="", status="existing", message=result.message, existing=result.existing)
    return TicketReceipt(reference=f"draft #{result.ticket_id}", status="draft", message=result.message)


class TrackerTicketSink:
    """A ``TicketSink`` over :class:`jobs.tickets.TicketService`."""

    def __init__(self, service: TicketService) -> None:
        self.service = service

    @property
    def trackers(self) -> list[str]:
        """The configured trackers, the default first (the modal's choices)."""
        names = sorted(self.service.trackers, key=lambda name: (name != self.service.default_tracker, name))
        return names

    def submit(self, draft: TicketDraft) -> TicketReceipt:
        key, tracker = draft.idempotency_key, draft.tracker
        with session_scope(self.service.engine) as session:
            row, new = save_ticket_draft(
                session=session,
                idempotency_key=key,
                title=draft.title,
                draft=draft.model_dump(mode="json"),
                requested_by=draft.requested_by,
            )
            row_id = row.id
        if not new:
            return TicketReceipt(reference=f"submission {row_id}", created=False)
        filing = filing_draft(draft, self.service.routing)
        if draft.link_to:
            existing = self._ticket(tracker, draft.link_to)
            return _receipt(self.service.link_draft(filing, existing, tracker=tracker, idempotency_key=key))
        return _receipt(self.service.file(filing, tracker=tracker, force=draft.force, idempotency_key=key))

    def _ticket(self, tracker: str, key: str) -> Ticket:
        try:
            return self.service.tracker(tracker).get_status(key)
        except TrackerError as exc:  # linking is a local record: the status sync fills in the rest later
            log.warning("linking to %s without its details: %s", key, exc)
            return Ticket(tracker=tracker, key=key)


def local_ticket_sink(engine: Engine) -> TrackerTicketSink:
    """Tickets in the local tracker only (no routing): for tests, the console and benches without a runtime."""
    service = TicketService(
        engine=engine, trackers={"local": LocalTracker(engine)}, routing=RoutingRules(), default_tracker="local"
    )
    return TrackerTicketSink(service)


def email_of(client: WebClient, user: str) -> str | None:
    """A Slack user's profile email (users.info; needs users:read.email), None when Slack does not say."""
    try:
        profile = (client.users_info(user=user).get("user") or {}).get("profile") or {}
    except SlackApiError as exc:
        log.warning("no email for Slack user %s: %s", user, exc.response.get("error"))
        return None
    return profile.get("email") or None


def _confirmation(receipt: TicketReceipt, draft: TicketDraft, user: str) -> tuple[str, list[Block]]:
    if receipt.status == "existing":
        return receipt.message, existing_ticket_blocks(receipt.existing, submission_key=draft.idempotency_key)
    if receipt.status == "draft":
        problem = f"The ticket “{draft.title}” was not filed in {draft.tracker}: {receipt.message}"
        return problem, error_blocks(problem, "Nothing is lost: an admin can retry it with `groundswell ticket retry`.")
    opened = f" {link(receipt.url, 'open')}" if safe_url(receipt.url) else ""
    owner = f" · owner <@{escape(draft.owner_slack_id)}>" if draft.owner_slack_id else ""
    verb = "linked this to" if receipt.status == "linked" else "created"
    title = escape(draft.title, formatting=True)
    text = f"📝 <@{escape(user)}> {verb} {escape(receipt.reference)}: *{title}*{opened}{owner}"
    return text, notice_blocks(text, detail=f"tracker: {draft.tracker}", escaped=True)


def file_and_confirm(responder: Responder, client: WebClient, draft: TicketDraft, user: str) -> TicketReceipt:
    """Hand ``draft`` to the sink once per idempotency key and tell the thread what happened."""
    deps = responder.deps
    if draft.owner_slack_id and draft.owner_email is None:
        draft = draft.model_copy(update={"owner_email": email_of(client, draft.owner_slack_id)})
    with deps.cache.lock(f"ticket:{draft.idempotency_key}", LOCK_TTL_S, timeout_s=LOCK_TTL_S):
        receipt = deps.ticket_sink.submit(draft)
    if not receipt.created:
        return receipt  # the same submission again (double click, Slack retry): already confirmed once
    text, blocks = _confirmation(receipt, draft, user)
    channel, thread_ts = thread_of(draft.source_thread_id)
    responder.post(client, channel=channel or user, thread_ts=thread_ts, text=text[:3000], blocks=blocks)
    return receipt
