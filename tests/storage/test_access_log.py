"""Access events on SQLite and PostgreSQL: the sink writes every field, reads filter, the purge counts."""

from __future__ import annotations

from datetime import timedelta

from groundswell.core.audit import AuditEntry
from groundswell.storage.access_log import (
    DatabaseAuditSink,
    get_access_event,
    list_access_events,
    purge_access_events,
    purge_expired,
)
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import AccessEvent
from sqlmodel import select


def _entry(surface: str, viewer: str, **fields) -> AuditEntry:
    return AuditEntry(kind="question", surface=surface, viewer=viewer, action="ask", outcome="answered", **fields)


def test_the_sink_stores_every_field_and_reads_filter_newest_first(engine):
    sink = DatabaseAuditSink(engine)
    evidence = [{"tool": "rank_themes", "total": None, "unit_ids": ["u-1"], "rows": [{"key": "a", "count": 3}]}]
    sink.write(_entry("slack", "slack:U1", user_id="U1", text="top themes?", plan={"kind": "ranking"},
                      evidence=evidence, unit_ids=["u-1", "u-2"], answer_sha256="ab" * 32, latency_ms=12.5,
                      llm_calls=2, prompt_tokens=300, completion_tokens=40, cost_usd=0.0012))  # fmt: skip
    sink.write(_entry("cli", "cli"))
    sink.write(_entry("mcp", "ana"))
    with session_scope(engine) as session:
        assert [e.surface for e in list_access_events(session=session)] == ["mcp", "cli", "slack"]
        (slack,) = list_access_events(session=session, surface="slack")
        assert (slack.plan, slack.evidence, slack.unit_ids, slack.prompt_tokens) == (
            {"kind": "ranking"}, evidence, ["u-1", "u-2"], 300
        )  # fmt: skip
        assert slack.created_at.tzinfo is not None and slack.cost_usd == 0.0012
        assert [e.viewer for e in list_access_events(session=session, viewer="ana")] == ["ana"]
        assert len(list_access_events(session=session, limit=2)) == 2
        assert list_access_events(session=session, since=utcnow() + timedelta(minutes=1)) == []
        assert get_access_event(session=session, event_id=slack.id).text == "top themes?"  # type: ignore[arg-type, union-attr]
        assert get_access_event(session=session, event_id=10_000) is None


def test_purge_deletes_only_events_before_the_cut(engine):
    now = utcnow()
    with session_scope(engine) as session:
        for viewer, age in (("a", 400), ("b", 366), ("c", 10)):
            entry = _entry("cli", viewer)
            session.add(AccessEvent(**entry.__dict__, created_at=now - timedelta(days=age)))
    with session_scope(engine) as session:
        assert purge_access_events(session=session, before=now - timedelta(days=380)) == 1
    assert purge_expired(engine, days=365, now=now) == 1
    with session_scope(engine) as session:
        assert [e.viewer for e in session.exec(select(AccessEvent))] == ["c"]
