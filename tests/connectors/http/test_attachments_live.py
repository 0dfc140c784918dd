"""Attachment metadata (never the bytes) reaches the units' context through the real ingest pipeline."""

from __future__ import annotations

from typing import Any

from groundswell.connectors.http.intercom import IntercomSource
from groundswell.connectors.http.slack_history import SlackHistorySource
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit
from sqlmodel import select

from groundswell.runtime import Runtime
from tests.connectors.http.conftest import make_runtime, seeded_zendesk, zendesk_source
from tests.fakes.http import FakeClock
from tests.fakes.intercom import TOKEN as INTERCOM_TOKEN
from tests.fakes.intercom import FakeIntercom
from tests.fakes.slack_history import TOKEN as SLACK_TOKEN
from tests.fakes.slack_history import FakeSlackHistory


def _attachments(runtime: Runtime, source: str) -> dict[str, list[dict[str, Any]]]:
    """Message id -> the attachments in the context of its live units (every unit of a message agrees)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with session_scope(runtime.engine) as session:
        statement = select(FeedbackUnit).where(FeedbackUnit.source == source, FeedbackUnit.deleted_at.is_(None))
        for unit in session.exec(statement):
            found = unit.context.get("attachments", [])
            assert out.setdefault(unit.message_id, found) == found
    return {k: v for k, v in out.items() if v}


def test_zendesk_comment_attachments_are_linked_and_follow_edits(tmp_path):
    fake = seeded_zendesk(tickets=3)
    url = fake.attach(2, 0, "export-error.log", "text/plain", 2048)
    fake.attach(2, 1, "agent-notes.pdf", "application/pdf", 999)  # on the agent's comment: no unit
    runtime = make_runtime(None, tmp_path)
    with fake.server:
        assert ingest_source(engine=runtime.engine, source=zendesk_source(fake)).error is None
        expected = {"name": "export-error.log", "content_type": "text/plain", "url": url, "size": 2048}
        assert _attachments(runtime, "zendesk") == {"200": [expected]}

        second = fake.attach(3, 2, "screenshot.png", "image/png", 51200)
        assert ingest_source(engine=runtime.engine, source=zendesk_source(fake)).error is None
        assert _attachments(runtime, "zendesk")["302"] == [
            {"name": "screenshot.png", "content_type": "image/png", "url": second, "size": 51200}
        ]
        assert not [path for _, path, _ in fake.server.log if "attachments" in path]  # no binary fetched
    assert fake.errors == []


def test_intercom_part_attachments_are_linked(tmp_path):
    fake = FakeIntercom(page_size=3)
    fake.add("c1", "The invoice total is wrong", [("admin", "Checking"), ("user", "Here is the PDF I got")])
    url = fake.attach("c1", 1, "invoice-0042.pdf", "application/pdf", 48213)
    runtime = make_runtime(None, tmp_path)
    source = IntercomSource(
        base_url=fake.server.url, credentials={"token": INTERCOM_TOKEN}, clock=FakeClock(), timeout_s=2.0
    )
    with fake.server:
        assert ingest_source(engine=runtime.engine, source=source).error is None
    assert fake.errors == []
    expected = {"name": "invoice-0042.pdf", "content_type": "application/pdf", "url": url, "size": 48213}
    assert _attachments(runtime, "intercom") == {"c1-p1": [expected]}


def test_slack_files_are_linked_by_permalink(tmp_path):
    fake = FakeSlackHistory()
    fake.add_user("U1", "Ana", "ana@acme.com")
    ts = fake.post("C1", "U1", "The chart export cuts off the legend, see screenshot")
    permalink = fake.share_file("C1", ts, "chart.png", "image/png", 30120)
    fake.post("C1", "U1", "Please add dark mode")
    runtime = make_runtime(None, tmp_path)
    source = SlackHistorySource(
        base_url=fake.server.url + "/api",
        credentials={"token": SLACK_TOKEN},
        options={"channels": "C1"},
        clock=FakeClock(),
        timeout_s=2.0,
    )
    with fake.server:
        assert ingest_source(engine=runtime.engine, source=source).error is None
    assert fake.errors == []
    expected = {"name": "chart.png", "content_type": "image/png", "url": permalink, "size": 30120}
    assert _attachments(runtime, "slack_community") == {ts: [expected]}


def test_attachment_names_are_redacted_like_the_text(tmp_path):
    fake = seeded_zendesk(tickets=1)
    fake.attach(1, 0, "statement for ana.lopez@acme.com .pdf", "application/pdf", 100)
    runtime = make_runtime(None, tmp_path)
    del runtime.__dict__["privacy"]  # the real redaction, as configured by default
    with fake.server:
        report = ingest_source(engine=runtime.engine, source=zendesk_source(fake), privacy=runtime.privacy)
        assert report.error is None
    (attachment,) = _attachments(runtime, "zendesk")["100"]
    assert "ana.lopez" not in attachment["name"] and "<EMAIL_" in attachment["name"]
