"""Filed Jira/Linear tickets whose text a forget redacted locally: find them, queue them, read what to send.

``filed_texts`` is taken before and after the scrub: a ticket whose remote-visible text (title, and the body as
it was filed, marker included) changed holds the person's data on the tracker too. Only the row that filed an
issue is queued (the lowest id per tracker key): a row linked to an existing issue never wrote its text there.
The queue (``remote_redaction``) keeps ticket ids, trackers and reasons only, never text or identifiers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from groundswell.core.tickets import TicketDraft
from groundswell.storage.db import utcnow
from groundswell.storage.models import RemoteRedaction
from groundswell.storage.models import Ticket as TicketRow
from pydantic import ValidationError
from sqlmodel import Session, col, delete, select

__all__ = [
    "EDITABLE",
    "PendingRedaction",
    "filed_texts",
    "list_pending",
    "note_failed",
    "note_updated",
    "queue_redactions",
]

EDITABLE = ("jira", "linear")  # trackers whose issues live outside the database
_FILED = ("open", "closed")


@dataclass(frozen=True)
class PendingRedaction:
    ticket_id: int
    tracker: str
    key: str
    title: str
    body: str
    attempts: int


def _remote_text(title: str, description: str, draft: dict[str, Any] | None) -> tuple[str, str]:
    """(title, body) as the tracker got them: the draft's body with its marker line, else the stored description."""
    try:
        body = TicketDraft.model_validate(draft).body_with_marker() if draft else description
    except ValidationError:
        body = description
    return title, body


def filed_texts(session: Session, ids: Collection[int] | None = None) -> dict[int, tuple[str, str]]:
    """Ticket id -> (title, body) of every filed ticket (one filing per tracker key) on Jira or Linear."""
    statement = select(TicketRow.id, TicketRow.tracker, TicketRow.key, TicketRow.title, TicketRow.description).where(
        col(TicketRow.tracker).in_(EDITABLE), col(TicketRow.key).is_not(None), col(TicketRow.status).in_(_FILED)
    )
    if ids is not None:
        statement = statement.where(col(TicketRow.id).in_(list(ids)))
    filers: dict[tuple[str, str], int] = {}
    rows: dict[int, tuple[str, str]] = {}
    for row_id, tracker, key, title, description in session.exec(statement.order_by(col(TicketRow.id))):
        filers.setdefault((tracker, key), row_id)
        rows[row_id] = (title, description)
    drafts = dict(
        session.exec(select(TicketRow.id, TicketRow.draft).where(col(TicketRow.id).in_(list(filers.values())))).all()
    )
    return {i: _remote_text(*rows[i], drafts.get(i)) for i in filers.values()}


def queue_redactions(*, session: Session, ticket_ids: Sequence[int], receipt_id: str) -> int:
    """Put ``ticket_ids`` on the queue (an entry already there keeps its attempts); how many are new."""
    found = select(TicketRow.id, TicketRow.tracker).where(col(TicketRow.id).in_(ticket_ids))
    trackers = dict(session.exec(found).all())
    now, new = utcnow(), 0
    for ticket_id in ticket_ids:
        entry = session.get(RemoteRedaction, ticket_id)
        if entry is None:
            new += 1
            entry = RemoteRedaction(
                ticket_id=ticket_id, tracker=trackers[ticket_id], receipt_id=receipt_id, created_at=now, updated_at=now
            )
        entry.receipt_id, entry.updated_at = receipt_id, now
        session.add(entry)
    session.flush()
    return new


def list_pending(*, session: Session) -> list[PendingRedaction]:
    """Every queued redaction with the (already redacted) text to send, oldest first."""
    entries = list(session.exec(select(RemoteRedaction).order_by(col(RemoteRedaction.created_at))))
    texts = filed_texts(session, [e.ticket_id for e in entries])
    found = select(TicketRow.id, TicketRow.key).where(col(TicketRow.id).in_([e.ticket_id for e in entries]))
    keys = dict(session.exec(found).all())
    pending = []
    for entry in entries:
        if entry.ticket_id not in texts:  # no longer a filed ticket (deleted by hand): nothing left to send
            session.exec(delete(RemoteRedaction).where(col(RemoteRedaction.ticket_id) == entry.ticket_id))
            continue
        title, body = texts[entry.ticket_id]
        pending.append(
            PendingRedaction(entry.ticket_id, entry.tracker, keys[entry.ticket_id] or "", title, body, entry.attempts)
        )
    return pending


def note_updated(*, session: Session, ticket_id: int) -> None:
    """The tracker holds the redacted text now: the entry goes."""
    session.exec(delete(RemoteRedaction).where(col(RemoteRedaction.ticket_id) == ticket_id))


def note_failed(*, session: Session, ticket_id: int, error: str) -> None:
    entry = session.get(RemoteRedaction, ticket_id)
    if entry is not None:
        entry.attempts, entry.last_error, entry.updated_at = entry.attempts + 1, error, utcnow()
        session.add(entry)
