"""Filing tickets with owners, without duplicates and without losing one; syncing their status back.

``TicketService.file`` searches the tracker for an open ticket on the same theme first (and offers it instead of
filing a duplicate), resolves the owner's tracker account by email, and files. Any tracker failure leaves a saved
draft with the reason; ``retry`` files drafts again. ``sync_statuses`` polls open tickets and, when one closes,
tells the Slack thread it came from how feedback on the theme moved since ("did it work?").
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from groundswell.core.errors import ConfigurationError, TrackerError, TrackerRateLimited
from groundswell.core.query import Viewer, Window
from groundswell.core.tickets import (
    Outcome,
    RoutingRules,
    Ticket,
    TicketDraft,
    TicketNotifier,
    TicketTracker,
    build_ticket_body,
    build_ticket_title,
    measure_outcome,
)
from groundswell.storage.db import Engine, as_utc, session_scope, utcnow
from groundswell.storage.taxonomy import get_taxonomy
from groundswell.storage.tickets import (
    TicketRow,
    count_theme_between,
    get_ticket,
    list_tickets,
    mark_close_notified,
    mark_ticket_closed,
    note_attempt,
    record_filed,
    save_draft,
    theme_evidence,
    ticket_accounts,
)

from groundswell.runtime import Runtime

__all__ = [
    "FileResult",
    "SyncReport",
    "TicketService",
    "build_ticket_service",
    "outcome_of",
    "stale_or_unowned",
    "sync_statuses",
]

log = logging.getLogger(__name__)
OUTCOME_DAYS = 30  # "did it work?": the 30 days before the close vs the days since (up to 30)


@dataclass
class FileResult:
    """``created``/``linked``: filed; ``existing``: open tickets on the same theme, nothing filed; ``draft``: saved."""

    status: Literal["created", "linked", "existing", "draft"]
    message: str
    ticket: Ticket | None = None
    ticket_id: int | None = None  # the row (the draft id to retry when status is "draft")
    existing: list[Ticket] = field(default_factory=list)


def _failure_message(exc: TrackerError, ticket_id: int) -> str:
    retry = f"Saved as draft #{ticket_id}; `groundswell ticket retry {ticket_id}` files it"
    if isinstance(exc, TrackerRateLimited):
        return f"{exc}. {retry} (after {exc.retry_after:.0f}s)."
    if not exc.retryable:
        return f"{exc}. {retry} once that is fixed."
    return f"{exc}. {retry}."


class TicketService:
    """Tickets for the Slack modal and ``groundswell ticket``; trackers by name ("jira", "linear", "local")."""

    def __init__(
        self, *, engine: Engine, trackers: Mapping[str, TicketTracker], routing: RoutingRules, default_tracker: str
    ) -> None:
        self.engine = engine
        self.trackers = dict(trackers)
        self.routing = routing
        self.default_tracker = default_tracker

    def tracker(self, name: str | None) -> TicketTracker:
        name = name or self.default_tracker
        if name not in self.trackers:
            known = ", ".join(sorted(self.trackers)) or "none"
            raise ConfigurationError(f"tracker {name!r} is not configured (configured: {known})")
        return self.trackers[name]

    def draft_for_theme(
        self,
        theme_key: str,
        *,
        window: Window,
        title: str | None = None,
        note: str = "",
        requested_by: str | None = None,
        slack_channel: str | None = None,
        slack_thread_ts: str | None = None,
        tracker: str | None = None,
        viewer: Viewer | None = None,
    ) -> TicketDraft:
        """A draft with the theme's evidence as body, routed to its team's owner and project (``viewer``: the
        evidence covers only what that viewer may see)."""
        with session_scope(self.engine) as session:
            evidence = theme_evidence(session=session, theme_key=theme_key, window=window, viewer=viewer)
            taxonomy = get_taxonomy(session=session, version=evidence.taxonomy_version)
        owner_team = taxonomy.get(theme_key).owner_team if taxonomy is not None else None
        route = self.routing.route(theme_key, owner_team=owner_team or None)
        tracker_name = tracker or self.default_tracker
        project = None
        if route is not None:
            project = route.jira_project if tracker_name == "jira" else route.linear_team_id
        draft = TicketDraft(
            title=title or build_ticket_title(evidence),
            theme_key=theme_key,
            team=route.team if route else None,
            assignee_email=route.owner_email if route else None,
            unit_ids=[q.unit_id for q in evidence.quotes],
            requested_by=requested_by,
            slack_channel=slack_channel,
            slack_thread_ts=slack_thread_ts,
            project=project if tracker_name != "local" else None,
        )
        return draft.model_copy(update={"body": build_ticket_body(evidence, marker=draft.marker, note=note)})

    def file(
        self,
        draft: TicketDraft,
        *,
        tracker: str | None = None,
        force: bool = False,
        idempotency_key: str | None = None,
        draft_id: int | None = None,
    ) -> FileResult:
        """File ``draft`` unless an open ticket on the same theme exists (``force`` files anyway)."""
        chosen = self.tracker(tracker)
        try:
            existing = [] if force else chosen.search_open(draft.marker)
        except TrackerError as exc:
            return self._keep_draft(draft, chosen.name, exc, idempotency_key, draft_id)
        if existing:
            same = [t for t in existing if t.title == draft.title]
            if draft_id is not None and same:  # a retry after a create whose answer was lost: it did land
                return self.link(draft_id, same[0])
            keys = ", ".join(t.key for t in existing)
            return FileResult(
                "existing", f"Open ticket(s) on this already: {keys}. Link instead, or file anyway.", existing=existing
            )
        with session_scope(self.engine) as session:
            row = (
                get_ticket(session=session, ticket_id=draft_id)
                if draft_id is not None
                else save_draft(
                    session=session, draft=draft, tracker=chosen.name, error=None, idempotency_key=idempotency_key
                )
            )
            row_id = row.id
        assert row_id is not None
        try:
            assignee = chosen.find_user(draft.assignee_email) if draft.assignee_email else None
            ticket = chosen.create(draft, assignee_id=assignee)
        except TrackerError as exc:
            return self._keep_draft(draft, chosen.name, exc, idempotency_key, row_id)
        with session_scope(self.engine) as session:
            record_filed(session=session, ticket_id=row_id, ticket=ticket)
        unowned = " (no owner found: unassigned)" if draft.assignee_email and assignee is None else ""
        return FileResult("created", f"Filed {ticket.key}{unowned}.", ticket=ticket, ticket_id=row_id)

    def _keep_draft(
        self, draft: TicketDraft, tracker: str, exc: TrackerError, key: str | None, draft_id: int | None
    ) -> FileResult:
        with session_scope(self.engine) as session:
            if draft_id is None:
                draft_id = save_draft(
                    session=session, draft=draft, tracker=tracker, error=str(exc), idempotency_key=key
                ).id
            note_attempt(session=session, ticket_id=draft_id, error=str(exc))  # type: ignore[arg-type]
        assert draft_id is not None
        log.warning("ticket not filed, draft #%s kept: %s", draft_id, exc)
        return FileResult("draft", _failure_message(exc, draft_id), ticket_id=draft_id)

    def link(self, ticket_id: int, ticket: Ticket) -> FileResult:
        """Attach the draft ``ticket_id`` to an existing tracker ticket instead of filing a new one."""
        with session_scope(self.engine) as session:
            record_filed(session=session, ticket_id=ticket_id, ticket=ticket)
        return FileResult("linked", f"Linked to {ticket.key}.", ticket=ticket, ticket_id=ticket_id)

    def link_draft(
        self, draft: TicketDraft, ticket: Ticket, *, tracker: str | None = None, idempotency_key: str | None = None
    ) -> FileResult:
        """Record that ``draft`` is covered by the existing ``ticket`` (the "Link instead" choice)."""
        with session_scope(self.engine) as session:
            row = save_draft(
                session=session,
                draft=draft,
                tracker=tracker or ticket.tracker,
                error=None,
                idempotency_key=idempotency_key,
            )
            row_id = row.id
        assert row_id is not None
        return self.link(row_id, ticket)

    def retry(self, ticket_id: int | None = None) -> list[FileResult]:
        """File saved drafts again (one, or all), each on the tracker it was meant for."""
        with session_scope(self.engine) as session:
            rows = (
                [get_ticket(session=session, ticket_id=ticket_id)]
                if ticket_id is not None
                else list_tickets(session=session, status=("draft",))
            )
            todo = [(r.id, r.tracker, r.draft) for r in rows if r.status == "draft"]
        results = []
        for row_id, tracker, raw in todo:
            results.append(self.file(TicketDraft.model_validate(raw), tracker=tracker, draft_id=row_id))
        return results


@dataclass
class SyncReport:
    checked: int = 0
    closed: list[str] = field(default_factory=list)
    notified: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def outcome_of(engine: Engine, row: TicketRow, *, now: datetime | None = None) -> Outcome | None:
    """Feedback on the ticket's theme in the 30 days before it closed vs since (per day)."""
    closed = as_utc(row.closed_at)
    if closed is None or not row.theme_keys:
        return None
    now = now or utcnow()
    after_end = min(now, closed + timedelta(days=OUTCOME_DAYS))
    with session_scope(engine) as session:
        before = count_theme_between(
            session=session, theme_key=row.theme_keys[0], start=closed - timedelta(days=OUTCOME_DAYS), end=closed
        )
        after = count_theme_between(session=session, theme_key=row.theme_keys[0], start=closed, end=after_end)
    after_days = max(0.0, (after_end - closed).total_seconds() / 86_400)
    return measure_outcome(before=before, after=after, before_days=OUTCOME_DAYS, after_days=after_days)


def sync_statuses(
    *,
    engine: Engine,
    trackers: Mapping[str, TicketTracker],
    notifier: TicketNotifier | None = None,
    now: datetime | None = None,
) -> SyncReport:
    """Poll open tickets; record closures; tell each closed ticket's Slack thread once, with the outcome so far."""
    report = SyncReport()
    with session_scope(engine) as session:
        open_rows = [(r.id, r.tracker, r.key) for r in list_tickets(session=session, status=("open",)) if r.key]
    for row_id, tracker, key in open_rows:
        if tracker not in trackers:
            continue
        report.checked += 1
        try:
            ticket = trackers[tracker].get_status(key)  # type: ignore[arg-type]
        except TrackerError as exc:
            report.errors.append(f"{key}: {exc}")
            continue
        if ticket.closed:
            with session_scope(engine) as session:
                mark_ticket_closed(
                    session=session,
                    ticket_id=row_id,
                    status=ticket.status,
                    closed_at=as_utc(ticket.closed_at),  # type: ignore[arg-type]
                )
            report.closed.append(key)  # type: ignore[arg-type]
    if notifier is None:
        return report
    with session_scope(engine) as session:
        rows = [r for r in list_tickets(session=session, status=("closed",)) if r.close_notified_at is None]
    for row in rows:
        if not row.slack_channel or not row.key:
            continue
        with session_scope(engine) as session:
            accounts = ticket_accounts(session=session, unit_ids=row.unit_ids)
        ticket = Ticket(
            tracker=row.tracker,
            key=row.key,
            url=row.url,
            title=row.title,
            status=row.tracker_status or "closed",
            closed=True,
        )
        notifier.ticket_closed(
            channel=row.slack_channel,
            thread_ts=row.slack_thread_ts,
            ticket=ticket,
            outcome=outcome_of(engine, row, now=now),
            accounts=accounts,
        )
        with session_scope(engine) as session:
            mark_close_notified(session=session, ticket_id=row.id)  # type: ignore[arg-type]
        report.notified.append(row.key)
    return report


def stale_or_unowned(*, engine: Engine, now: datetime | None = None, stale_days: int = 14) -> list[str]:
    """Reminder lines: open tickets nobody owns, and open tickets unchanged for ``stale_days``."""
    now = now or utcnow()
    with session_scope(engine) as session:
        rows = list_tickets(session=session, status=("open",))
    lines = []
    for row in rows:
        age = (now - (as_utc(row.updated_at) or now)).days
        why = [w for w, hit in (("no owner", not row.owner), (f"unchanged for {age} days", age >= stale_days)) if hit]
        if why:
            lines.append(f"{row.key} {row.title} ({', '.join(why)}) {row.url or ''}".rstrip())
    return lines


def build_ticket_service(runtime: Runtime) -> TicketService:
    """The service over the runtime's configured trackers and routing rules (for the CLI, Slack and jobs)."""
    return TicketService(
        engine=runtime.engine,
        trackers=runtime.trackers,
        routing=runtime.routing,
        default_tracker=runtime.settings.ticket_tracker,
    )
