"""Ticket rows: drafts saved when filing failed, filed tickets, status sync; the local tracker and ticket evidence."""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from groundswell.core.errors import StorageError
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.core.tickets import MARKER_PREFIX, Ticket, TicketDraft, TicketEvidence
from groundswell.storage.analytics.run import run_plan
from groundswell.storage.analytics.scope import open_scope, visible_unit_ids
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.models import Account, FeedbackUnit
from groundswell.storage.models import Ticket as TicketRow
from groundswell.storage.signals import list_signals, quotes_for
from groundswell.storage.taxonomy import get_taxonomy
from sqlmodel import Session, col, select

__all__ = [
    "LocalTracker",
    "TicketRow",
    "count_theme_between",
    "default_window",
    "get_ticket",
    "list_tickets",
    "mark_close_notified",
    "mark_ticket_closed",
    "note_attempt",
    "record_filed",
    "save_draft",
    "theme_evidence",
    "ticket_accounts",
]

OPEN = ("open",)


def save_draft(
    *, session: Session, draft: TicketDraft, tracker: str, error: str | None, idempotency_key: str | None = None
) -> TicketRow:
    """Store ``draft`` (status ``draft``) before filing, or after a failure so ``ticket retry`` can file it."""
    key = idempotency_key or secrets.token_hex(12)
    row = session.exec(select(TicketRow).where(TicketRow.idempotency_key == key)).first()
    now = utcnow()
    if row is None:
        row = TicketRow(tracker=tracker, title=draft.title, idempotency_key=key, created_at=now, updated_at=now)
    row.tracker, row.status, row.title, row.description = tracker, "draft", draft.title, draft.body
    row.draft = draft.model_dump(mode="json")
    row.dedupe_key, row.theme_keys = draft.dedupe_key, [draft.theme_key] if draft.theme_key else []
    row.unit_ids, row.team, row.owner = list(draft.unit_ids), draft.team, draft.assignee_email
    row.created_by, row.slack_channel, row.slack_thread_ts = (
        draft.requested_by,
        draft.slack_channel,
        draft.slack_thread_ts,
    )
    row.last_error, row.updated_at = error, now
    session.add(row)
    session.flush()
    return row


def ticket_accounts(*, session: Session, unit_ids: Sequence[str]) -> list[tuple[str | None, str]]:
    """(CRM id, name) of the accounts behind ``unit_ids``, by name: whose CSMs hear when the ticket closes."""
    if not unit_ids:
        return []
    query = (
        select(Account.external_id, Account.name)
        .join(FeedbackUnit, col(FeedbackUnit.account_id) == col(Account.id))
        .where(col(FeedbackUnit.id).in_(list(unit_ids)))
        .distinct()
    )
    return sorted(session.exec(query).all(), key=lambda row: row[1])


def record_filed(*, session: Session, ticket_id: int, ticket: Ticket) -> TicketRow:
    """The draft ``ticket_id`` was filed (or linked to an existing ticket) as ``ticket``."""
    row = get_ticket(session=session, ticket_id=ticket_id)
    row.key, row.url, row.tracker = ticket.key, ticket.url, ticket.tracker
    row.status = "closed" if ticket.closed else "open"
    row.tracker_status, row.last_error, row.updated_at = ticket.status, None, utcnow()
    row.owner = ticket.assignee or row.owner
    session.add(row)
    session.flush()
    return row


def note_attempt(*, session: Session, ticket_id: int, error: str) -> TicketRow:
    """A filing attempt failed: keep the draft, count the attempt, remember why."""
    row = get_ticket(session=session, ticket_id=ticket_id)
    row.attempts, row.last_error, row.updated_at = row.attempts + 1, error, utcnow()
    session.add(row)
    session.flush()
    return row


def get_ticket(*, session: Session, ticket_id: int) -> TicketRow:
    row = session.get(TicketRow, ticket_id)
    if row is None:
        raise StorageError(f"no ticket {ticket_id}")
    return row


def list_tickets(
    *, session: Session, status: Sequence[str] | None = None, tracker: str | None = None, theme_key: str | None = None
) -> list[TicketRow]:
    """Tickets, newest first, optionally by status (draft/open/closed), tracker and theme."""
    statement = select(TicketRow)
    if status:
        statement = statement.where(col(TicketRow.status).in_(list(status)))
    if tracker:
        statement = statement.where(TicketRow.tracker == tracker)
    if theme_key:
        statement = statement.where(TicketRow.dedupe_key == f"theme:{theme_key}")
    return list(session.exec(statement.order_by(col(TicketRow.created_at).desc(), col(TicketRow.id).desc())))


def mark_ticket_closed(
    *, session: Session, ticket_id: int, status: str, closed_at: datetime | None = None
) -> TicketRow:
    row = get_ticket(session=session, ticket_id=ticket_id)
    row.status, row.tracker_status = "closed", status
    row.closed_at, row.updated_at = closed_at or utcnow(), utcnow()
    session.add(row)
    session.flush()
    return row


def mark_close_notified(*, session: Session, ticket_id: int) -> None:
    row = get_ticket(session=session, ticket_id=ticket_id)
    row.close_notified_at = utcnow()
    session.add(row)


def _ticket(row: TicketRow) -> Ticket:
    return Ticket(
        tracker="local",
        key=row.key or f"GS-{row.id}",
        title=row.title,
        status=row.tracker_status or row.status,
        closed=row.status == "closed",
        assignee=row.owner,
        closed_at=row.closed_at,
    )


class LocalTracker:
    """The tracker for teams with neither Jira nor Linear: tickets are the ``ticket`` rows themselves."""

    name = "local"

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def search_open(self, marker: str) -> list[Ticket]:
        dedupe_key = marker.removeprefix(MARKER_PREFIX).strip()
        with session_scope(self._engine) as session:
            rows = list_tickets(session=session, status=OPEN, tracker="local")
            return [_ticket(r) for r in rows if r.dedupe_key == dedupe_key]

    def find_user(self, email: str) -> str | None:
        return email

    def create(self, draft: TicketDraft, *, assignee_id: str | None = None) -> Ticket:
        """A key for the draft; the ticket service stores the row (the draft row becomes the local ticket)."""
        return Ticket(
            tracker="local", key=f"GS-{secrets.token_hex(3).upper()}", title=draft.title, assignee=assignee_id
        )

    def get_status(self, key: str) -> Ticket:
        with session_scope(self._engine) as session:
            row = session.exec(select(TicketRow).where(TicketRow.tracker == "local", TicketRow.key == key)).first()
            if row is None:
                raise StorageError(f"no local ticket {key}")
            return _ticket(row)


def theme_evidence(
    *,
    session: Session,
    theme_key: str,
    window: Window,
    version: int | None = None,
    quotes: int = 3,
    viewer: Viewer | None = None,
) -> TicketEvidence:
    """Exact figures on ``theme_key`` over ``window``: mentions, distinct accounts, their ARR, segments, quotes.

    ``viewer``: a restricted viewer's evidence counts and quotes only the units it may see, and says so."""
    taxonomy = get_taxonomy(session=session, version=version)
    if taxonomy is None:
        raise StorageError("no taxonomy imported yet: `groundswell taxonomy import` first")
    theme = taxonomy.get(theme_key)
    signals = list_signals(
        session=session, start=window.start, end=window.end, version=taxonomy.version, theme_key=theme_key
    )
    # the headline figures come from the agent's own tools, so a ticket says what `ask` says
    filters = Filters(window=window, themes=[theme_key])
    viewer = viewer or Viewer(name="tickets", role="admin")
    plans = [QueryPlan(kind="count", filters=filters, as_of=window.end, taxonomy_version=taxonomy.version)]
    plans.append(plans[0].model_copy(update={"kind": "number", "metric": "arr_sum"}))
    (count,), (arr,) = (run_plan(session=session, plan=plan, viewer=viewer) for plan in plans)
    scope = open_scope(session=session, plan=plans[0], viewer=viewer)
    visible = visible_unit_ids(session=session, scope=scope, unit_ids=[s.unit_id for s in signals])
    if visible is not None:
        signals = [s for s in signals if s.unit_id in visible]
    return TicketEvidence(
        theme_key=theme_key,
        theme_name=theme.name,
        window_label=window.label or f"{window.start:%Y-%m-%d} to {window.end:%Y-%m-%d}",
        count=int(count.total or 0),
        accounts=int(arr.meta.get("accounts") or 0),
        arr=float(arr.total or 0.0),
        segments=dict(Counter(s.segment for s in signals if s.segment)),
        sources=dict(Counter(s.source for s in signals)),
        quotes=quotes_for(session=session, signals=signals, limit=quotes),
        taxonomy_version=taxonomy.version,
        as_of=window.end,
        scope_note=None if visible is None else f"only what {viewer.name} may see ({scope_text(viewer)})",
    )


def scope_text(viewer: Viewer) -> str:
    """A viewer's scope in words: "sources zendesk, intercom; segments smb"."""
    parts = [
        f"{name} {', '.join(sorted(values))}"
        for name, values in (("sources", viewer.sources), ("segments", viewer.segments), ("accounts", viewer.accounts))
        if values is not None
    ]
    return "; ".join(parts) or "no restriction"


def count_theme_between(*, session: Session, theme_key: str, start: datetime, end: datetime) -> int:
    """Signals on ``theme_key`` in ``[start, end)`` (latest taxonomy): the "did it work?" counts."""
    return len(list_signals(session=session, start=start, end=end, theme_key=theme_key))


def default_window(as_of: datetime, days: int = 30) -> Window:
    return Window(start=as_of - timedelta(days=days), end=as_of, label=f"last {days} days")
