"""Jira tracker against a loopback Jira that checks requests against the v3 OpenAPI document."""

from __future__ import annotations

import time

import httpx
import pytest
from groundswell.connectors.trackers import JiraTracker
from groundswell.core.errors import TrackerAuthFailed, TrackerRateLimited, TrackerRejected, TrackerUnavailable
from groundswell.core.tickets import TicketDraft

DRAFT = TicketDraft(title="CSV export timeouts: 41 mentions", body="Evidence here", theme_key="export.csv_timeout")


def test_construction_contacts_no_server():
    started = time.monotonic()
    JiraTracker(base_url="http://127.0.0.1:9", email="x@y.z", api_token="t", project_key="GS", timeout_s=0.2)
    assert time.monotonic() - started < 0.5  # nothing listens on port 9: any request would fail or hang


def test_create_search_and_status_round_trip(jira, fake_jira):
    fake_jira.add_user("owner@brightloop.io", "acc-7", "Olga Owner")
    assert jira.search_open(DRAFT.marker) == []
    owner = jira.find_user("owner@brightloop.io")
    ticket = jira.create(DRAFT, assignee_id=owner)
    assert ticket.key == "GS-1" and ticket.url.endswith("/browse/GS-1")
    sent = fake_jira.issues["GS-1"]["fields"]
    assert sent["assignee"]["accountId"] == "acc-7"
    assert "gs:theme:export.csv_timeout" in sent["labels"]
    text = " ".join(c["content"][0]["text"] for c in sent["description"]["content"])
    assert "Evidence here" in text and DRAFT.marker in text
    found = jira.search_open(DRAFT.marker)
    assert [t.key for t in found] == ["GS-1"] and found[0].assignee == "owner@brightloop.io"
    fake_jira.close_issue("GS-1")
    status = jira.get_status("GS-1")
    assert status.closed and status.status == "Done" and status.closed_at is not None
    assert jira.search_open(DRAFT.marker) == []  # closed tickets are not "open on this theme"


def test_other_themes_do_not_match(jira):
    jira.create(DRAFT)
    other = DRAFT.model_copy(update={"theme_key": "auth.sso_login"})
    assert jira.search_open(other.marker) == []


def test_unknown_email_is_no_user(jira):
    assert jira.find_user("nobody@brightloop.io") is None


def test_wrong_token_is_a_clear_auth_error(fake_jira):
    tracker = JiraTracker(base_url=fake_jira.url, email="bot@brightloop.io", api_token="wrong", project_key="GS")
    with pytest.raises(TrackerAuthFailed, match="401") as caught:
        tracker.create(DRAFT)
    assert not caught.value.retryable


def test_rate_limit_carries_retry_after_and_does_not_sleep(jira, fake_jira):
    fake_jira.fail_next("/issue", 429, headers={"Retry-After": "30"})
    started = time.monotonic()
    with pytest.raises(TrackerRateLimited) as caught:
        jira.create(DRAFT)
    assert caught.value.retry_after == 30 and time.monotonic() - started < 2


def test_server_error_is_unavailable(jira, fake_jira):
    fake_jira.fail_next("/search", 500)
    with pytest.raises(TrackerUnavailable, match="500"):
        jira.search_open(DRAFT.marker)


def test_timeout_fails_fast(jira, fake_jira):
    fake_jira.delay_next("/issue", 3.0)
    started = time.monotonic()
    with pytest.raises(TrackerUnavailable, match="timed out"):
        jira.create(DRAFT)
    assert time.monotonic() - started < 2.5  # well before the answer would have come


def test_missing_required_field_names_the_field(jira, fake_jira):
    fake_jira.required_fields["customfield_10020"] = "Team is required."
    with pytest.raises(TrackerRejected, match="customfield_10020: Team is required") as caught:
        jira.create(DRAFT)
    assert caught.value.fields == {"customfield_10020": "Team is required."}


def test_unknown_project_is_rejected(fake_jira):
    tracker = JiraTracker(base_url=fake_jira.url, email="bot@brightloop.io", api_token="jira-token", project_key="NOPE")
    with pytest.raises(TrackerRejected, match="project"):
        tracker.create(DRAFT)


def test_fake_flags_calls_outside_the_spec(fake_jira):
    """Proof the fake can fail a test: an undeclared parameter and an unknown path are recorded as problems."""
    base = f"{fake_jira.url}/rest/api/3"
    assert httpx.get(f"{base}/search", params={"jql": "x", "bogus": "1"}).status_code == 400
    assert httpx.post(f"{base}/issues", json={}).status_code == 400
    assert httpx.get(f"{base}/search", params={"maxResults": "ten"}).status_code == 400
    assert len(fake_jira.problems) == 3
    assert "unknown query parameter bogus" in fake_jira.problems[0]
    assert "no such path in the spec" in fake_jira.problems[1]
    assert "not an integer" in fake_jira.problems[2]
    fake_jira.problems.clear()


def test_plain_string_description_is_refused_like_jira_v3(jira, fake_jira):
    with pytest.raises(TrackerRejected, match="Atlassian Document"):
        jira._call(
            "create",
            jira._client.create_issue,
            fields={"project": {"key": "GS"}, "summary": "s", "issuetype": {"name": "Task"}, "description": "plain"},
            prefetch=False,
        )
