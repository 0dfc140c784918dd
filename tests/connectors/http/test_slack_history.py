"""Slack channels as a community source: threads, lookback edits/deletes, non-Marketplace rate limits."""

from __future__ import annotations

import pytest
from groundswell.connectors.http.slack_history import SlackHistorySource
from groundswell.core.models import SpeakerRole
from groundswell.jobs.ingest import ingest_source
from groundswell.storage.db import session_scope
from groundswell.storage.raw import list_current_raw

from tests.connectors.http.conftest import make_runtime
from tests.fakes.http import FakeClock
from tests.fakes.slack_history import TOKEN, FakeSlackHistory, check_call


@pytest.fixture
def slack():
    fake = FakeSlackHistory()
    fake.add_user("U1", "Ana", "ana@acme.com")
    fake.add_user("U2", "Sam", "sam@brightloop.io")
    for i in range(20):
        ts = fake.post("C1", "U1", f"Dark mode idea number {i}")
        if i % 5 == 0:
            fake.reply("C1", ts, "U2", "Thanks, logged it")
            fake.reply("C1", ts, "U1", f"+1 from my team ({i})")
    with fake.server:
        yield fake
    assert fake.errors == []


def _source(fake, clock, **options):
    return SlackHistorySource(
        base_url=fake.server.url + "/api",
        credentials={"token": TOKEN},
        options={"channels": "C1", **options},
        clock=clock,
        timeout_s=2.0,
        company_domains=["brightloop.io"],
    )


def _stored(runtime) -> dict[str, list[str]]:
    with session_scope(runtime.engine) as session:
        rows = [r for r in list_current_raw(session=session, source="slack_community") if r.deleted_at is None]
        return {r.external_id: [r.payload["message"]["text"]] + [m["text"] for m in r.payload["replies"]] for r in rows}


def test_threads_edits_and_deletes_in_the_window_match_the_truth(slack, tmp_path):
    runtime = make_runtime(None, tmp_path)
    clock = FakeClock()
    slack.server.faults.add("/api/conversations.history", "429", arg=30)
    report = ingest_source(engine=runtime.engine, source=_source(slack, clock))
    assert report.error is None
    assert _stored(runtime) == slack.live_truth()
    history_waits = [s for s in clock.sleeps if s >= 30]
    assert len(history_waits) >= 2  # one request a minute on history/replies (and the Retry-After)

    newest = max(slack.channels["C1"], key=float)
    slack.edit("C1", newest, "Dark mode please, edited")
    slack.reply("C1", newest, "U1", "and a high-contrast theme")
    slack.delete("C1", sorted(slack.channels["C1"])[-2])
    slack.post("C1", "U1", "Keyboard shortcuts for the inbox")
    second = ingest_source(engine=runtime.engine, source=_source(slack, clock))
    assert second.error is None
    assert _stored(runtime) == slack.live_truth()
    assert (second.counts["new"], second.counts["updated"], second.counts["deleted"]) == (1, 1, 1)


def test_roles_from_users_info_staff_by_company_domain(slack, tmp_path):
    source = _source(slack, FakeClock())
    records = [r for r in source.poll(None)]
    thread = next(r for r in records if r.payload["replies"])
    doc = source.normalize(thread)
    assert [m.author.role for m in doc.messages] == [SpeakerRole.CUSTOMER, SpeakerRole.AGENT, SpeakerRole.CUSTOMER]
    assert doc.url.startswith("https://slack.com/archives/C1/p")


def test_revoked_token_is_credentials_expired(slack, tmp_path):
    runtime = make_runtime(None, tmp_path)
    source = SlackHistorySource(
        base_url=slack.server.url + "/api", credentials={"token": "xoxb-revoked"}, options={"channels": "C1"}
    )
    report = ingest_source(engine=runtime.engine, source=source)
    assert "credentials expired for source slack_community" in report.error


def test_the_fake_refuses_calls_the_spec_does_not_allow():
    assert check_call("GET", "/conversations.histories", {}) != []
    assert check_call("GET", "/conversations.history", {"channel": "C1", "limit": "lots"}) != []
    assert check_call("GET", "/conversations.replies", {"channel": "C1"}) == [
        "/conversations.replies: missing required argument ts"
    ]
    assert check_call("GET", "/conversations.history", {"channel": "C1", "pagesize": "5"}) != []
