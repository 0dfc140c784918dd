"""Signals and ticket rows on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groundswell.core.tickets import Ticket, TicketDraft
from groundswell.storage.db import session_scope
from groundswell.storage.models import AccountSnapshot
from groundswell.storage.signals import list_signals, quotes_for
from groundswell.storage.tickets import list_tickets, mark_ticket_closed, record_filed, save_draft

from tests.storage.signal_data import Row, seed

T = datetime(2026, 11, 1, tzinfo=UTC)


def test_signals_skip_duplicates_and_take_the_segment_at_the_time(engine):
    seed(
        engine,
        [
            Row("a", T, "auth.sso", "ACC", "smb", 10_000.0),
            Row("b", T + timedelta(days=10), "auth.sso", "ACC"),
            Row("c", T + timedelta(days=10), "auth.sso", "ACC", duplicate_of="a"),
            Row("d", T + timedelta(days=1), "export.csv", None, source="gong"),
        ],
    )
    with session_scope(engine) as session:
        session.add(
            AccountSnapshot(account_id=1, valid_from=T + timedelta(days=5), segment="enterprise", arr=500_000.0)
        )
    with session_scope(engine) as session:
        signals = list_signals(session=session)
        assert [(s.unit_id, s.theme_key, s.parent_key, s.segment, s.arr) for s in signals] == [
            ("a", "auth.sso", "auth", "smb", 10_000.0),
            ("d", "export.csv", "export", None, None),
            ("b", "auth.sso", "auth", "enterprise", 500_000.0),
        ]
        assert [s.unit_id for s in list_signals(session=session, theme_key="auth")] == ["a", "b"]
        assert [
            s.unit_id for s in list_signals(session=session, start=T + timedelta(days=1), end=T + timedelta(days=2))
        ] == ["d"]
        quotes = quotes_for(session=session, signals=signals, limit=5)
        assert [q.unit_id for q in quotes] == ["b", "d"]  # newest first, one per account
        assert quotes[0].url == "https://support.example/b" and quotes[0].account == "Account ACC"


def test_ticket_rows_from_draft_to_closed(engine):
    draft = TicketDraft(title="T", theme_key="auth.sso", slack_channel="C1")
    with session_scope(engine) as session:
        row = save_draft(session=session, draft=draft, tracker="jira", error="jira: down", idempotency_key="k1")
        again = save_draft(session=session, draft=draft, tracker="jira", error=None, idempotency_key="k1")
        assert again.id == row.id  # the same submission stays one draft
        record_filed(session=session, ticket_id=row.id, ticket=Ticket(tracker="jira", key="GS-9", status="To Do"))
    with session_scope(engine) as session:
        (stored,) = list_tickets(session=session, status=("open",), theme_key="auth.sso")
        assert (stored.key, stored.dedupe_key, stored.slack_channel) == ("GS-9", "theme:auth.sso", "C1")
        mark_ticket_closed(session=session, ticket_id=stored.id, status="Done")
    with session_scope(engine) as session:
        assert [r.tracker_status for r in list_tickets(session=session, status=("closed",))] == ["Done"]
