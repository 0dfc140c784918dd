"""The ticket service: evidence, routing, no duplicates, drafts that survive tracker failures, status sync back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from groundswell.connectors.trackers import JiraTracker, LinearTracker
from groundswell.core.query import Window
from groundswell.core.tickets import RoutingRules, TeamRoute, TicketDraft
from groundswell.jobs.tickets import TicketService, stale_or_unowned, sync_statuses
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.tickets import LocalTracker, list_tickets

from tests.fakes.jira import FakeJira
from tests.fakes.linear import FakeLinear
from tests.storage.signal_data import Row, seed

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
WINDOW = Window(start=NOW - timedelta(days=30), end=NOW, label="last 30 days")
ROUTING = RoutingRules(
    themes={"auth": "identity"},
    teams={"identity": TeamRoute(owner_email="ida@brightloop.io", jira_project="GS", linear_team_id="team-eng")},
)


@pytest.fixture
def engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    rows = [
        Row(
            f"s{i}",
            NOW - timedelta(days=i % 20, hours=1),
            "auth.sso",
            f"A{i % 3}",
            "enterprise",
            100_000.0 * (i % 3 + 1),
        )
        for i in range(12)
    ]
    rows.append(Row("dup", NOW - timedelta(days=1), "auth.sso", "A0", duplicate_of="s0"))
    rows.append(Row("old", NOW - timedelta(days=45), "auth.sso", "A0"))
    rows.append(Row("csv", NOW - timedelta(days=2), "export.csv", "A1"))
    seed(engine, rows)
    yield engine
    engine.dispose()


@pytest.fixture
def fake_jira() -> Iterator[FakeJira]:
    with FakeJira() as fake:
        fake.add_user("ida@brightloop.io", "acc-ida")
        yield fake
    assert fake.problems == []


def _service(engine, fake_jira=None, fake_linear=None) -> TicketService:
    trackers = {"local": LocalTracker(engine)}
    if fake_jira is not None:
        trackers["jira"] = JiraTracker(
            base_url=fake_jira.url, email="bot@brightloop.io", api_token="jira-token", project_key="GS", timeout_s=0.5
        )
    if fake_linear is not None:
        trackers["linear"] = LinearTracker(
            base_url=fake_linear.url, api_key="lin_api_test", team_id="team-eng", timeout_s=0.5
        )
    return TicketService(
        engine=engine, trackers=trackers, routing=ROUTING, default_tracker="jira" if fake_jira else "local"
    )


def test_draft_carries_exact_evidence_and_the_routed_owner(engine):
    draft = _service(engine).draft_for_theme("auth.sso", window=WINDOW, tracker="jira", requested_by="U1")
    assert (
        draft.title == "SSO login failures: 12 mentions, 3 accounts ($600k ARR), last 30 days"
    )  # no duplicate, no older unit
    assert (draft.team, draft.assignee_email, draft.project) == ("identity", "ida@brightloop.io", "GS")
    assert "- By segment: enterprise 12" in draft.body and "- Taxonomy version: 1" in draft.body
    assert draft.body.count("https://support.example/") == 3 and draft.body.endswith(draft.marker)


def test_files_once_then_offers_the_open_ticket_instead_of_a_duplicate(engine, fake_jira):
    service = _service(engine, fake_jira)
    draft = service.draft_for_theme("auth.sso", window=WINDOW)
    first = service.file(draft)
    assert first.status == "created" and first.ticket.key == "GS-1"
    assert fake_jira.issues["GS-1"]["fields"]["assignee"]["accountId"] == "acc-ida"
    second = service.file(draft.model_copy(update={"title": "SSO again"}))
    assert second.status == "existing" and [t.key for t in second.existing] == ["GS-1"]
    assert len(fake_jira.issues) == 1
    linked = service.link_draft(draft, second.existing[0])
    assert linked.status == "linked"
    with session_scope(engine) as session:
        assert sorted((r.key, r.status) for r in list_tickets(session=session)) == [("GS-1", "open"), ("GS-1", "open")]
    forced = service.file(draft.model_copy(update={"title": "SSO, separately"}), force=True)
    assert forced.status == "created" and len(fake_jira.issues) == 2


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (500, {}, "HTTP 500"),
        (401, {}, "once that is fixed"),
        (429, {"Retry-After": "20"}, "after 20s"),
    ],
)
def test_tracker_failure_keeps_a_draft_that_retry_files(engine, fake_jira, status, headers, expected):
    service = _service(engine, fake_jira)
    draft = service.draft_for_theme("auth.sso", window=WINDOW)
    fake_jira.fail_next("/rest/api/3/issue", status, headers=headers)
    result = service.file(draft)
    assert result.status == "draft" and expected in result.message
    assert f"ticket retry {result.ticket_id}" in result.message
    with session_scope(engine) as session:
        (row,) = list_tickets(session=session)
        assert (row.status, row.attempts, row.draft["theme_key"]) == ("draft", 1, "auth.sso")
    (retried,) = service.retry()
    assert retried.status == "created" and retried.ticket_id == result.ticket_id
    with session_scope(engine) as session:
        (row,) = list_tickets(session=session)
        assert (row.status, row.key, row.last_error) == ("open", "GS-1", None)


def test_missing_required_field_is_a_draft_with_the_field_named(engine, fake_jira):
    fake_jira.required_fields["customfield_10020"] = "Team is required."
    result = _service(engine, fake_jira).file(TicketDraft(title="T", theme_key="auth.sso"))
    assert result.status == "draft" and "customfield_10020: Team is required." in result.message


def test_timeout_after_the_tracker_filed_it_links_on_retry_instead_of_duplicating(engine, fake_jira):
    service = _service(engine, fake_jira)
    draft = service.draft_for_theme("auth.sso", window=WINDOW)
    fake_jira.delay_next("/rest/api/3/issue", 4.0)
    started = time.monotonic()
    result = service.file(draft)
    assert result.status == "draft" and "timed out" in result.message and time.monotonic() - started < 3.5
    deadline = time.monotonic() + 8
    while not fake_jira.issues and time.monotonic() < deadline:
        time.sleep(0.05)  # the slow Jira still files it
    (retried,) = service.retry(result.ticket_id)
    assert retried.status == "linked" and len(fake_jira.issues) == 1


def test_tracker_down_is_a_draft_not_a_hang(engine):
    service = TicketService(
        engine=engine,
        trackers={
            "jira": JiraTracker(
                base_url="http://127.0.0.1:9", email="b", api_token="t", project_key="GS", timeout_s=0.5
            )
        },
        routing=ROUTING,
        default_tracker="jira",
    )
    result = service.file(TicketDraft(title="T", theme_key="auth.sso"))
    assert result.status == "draft" and "cannot reach" in result.message


def test_local_tracker_files_dedupes_and_reports_status(engine):
    service = _service(engine)
    draft = service.draft_for_theme("export.csv", window=WINDOW)
    created = service.file(draft)
    assert created.status == "created" and created.ticket.key.startswith("GS-")
    assert service.file(draft).status == "existing"
    assert service.trackers["local"].get_status(created.ticket.key).closed is False


def test_linear_through_the_service(engine):
    with FakeLinear() as fake:
        fake.add_user("ida@brightloop.io", "user-ida")
        service = _service(engine, fake_linear=fake)
        draft = service.draft_for_theme("auth.sso", window=WINDOW, tracker="linear")
        result = service.file(draft, tracker="linear")
        assert result.status == "created" and fake.issues[0]["assignee"]["id"] == "user-ida"
        assert service.file(draft, tracker="linear").status == "existing"
    assert fake.problems == []


class Recorder:
    def __init__(self) -> None:
        self.calls: list[dict] = []

    def ticket_closed(self, **kwargs) -> None:
        self.calls.append(kwargs)


def test_status_sync_tells_the_thread_once_with_the_outcome(engine, fake_jira):
    service = _service(engine, fake_jira)
    draft = service.draft_for_theme("auth.sso", window=WINDOW).model_copy(
        update={"slack_channel": "C1", "slack_thread_ts": "171.5"}
    )
    key = service.file(draft).ticket.key
    notifier = Recorder()
    report = sync_statuses(engine=engine, trackers=service.trackers, notifier=notifier)
    assert (report.checked, report.closed, notifier.calls) == (1, [], [])
    fake_jira.close_issue(key)
    report = sync_statuses(
        engine=engine, trackers=service.trackers, notifier=notifier, now=datetime.now(UTC) + timedelta(days=10)
    )
    assert report.closed == [key] and report.notified == [key]
    (call,) = notifier.calls
    assert (call["channel"], call["thread_ts"], call["ticket"].key) == ("C1", "171.5", key)
    assert call["outcome"].verdict in {"improved", "too early"}
    sync_statuses(engine=engine, trackers=service.trackers, notifier=notifier)
    assert len(notifier.calls) == 1


def test_sync_survives_a_tracker_error(engine, fake_jira):
    service = _service(engine, fake_jira)
    service.file(TicketDraft(title="T", theme_key="auth.sso"))
    fake_jira.fail_next("/rest/api/3/issue/", 503)
    report = sync_statuses(engine=engine, trackers=service.trackers)
    assert report.errors and "503" in report.errors[0]


def test_reminders_name_unowned_and_stale_open_tickets(engine, fake_jira):
    service = _service(engine, fake_jira)
    owned = service.file(service.draft_for_theme("auth.sso", window=WINDOW)).ticket.key
    unowned = service.file(TicketDraft(title="Exports", theme_key="export.csv")).ticket.key
    assert stale_or_unowned(engine=engine) == [f"{unowned} Exports (no owner) {fake_jira.url}/browse/{unowned}"]
    later = stale_or_unowned(engine=engine, now=datetime.now(UTC) + timedelta(days=20))
    assert [line.split()[0] for line in later] == [unowned, owned] or [line.split()[0] for line in later] == [
        owned,
        unowned,
    ]
    assert all("unchanged for 20 days" in line for line in later)
