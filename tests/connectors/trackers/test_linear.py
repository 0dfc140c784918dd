"""Linear tracker against a loopback GraphQL API that validates every document against Linear's schema."""

from __future__ import annotations

import time

import httpx
import pytest
from groundswell.connectors.trackers import LinearTracker
from groundswell.connectors.trackers.linear import CREATE_ISSUE, FIND_USER, GET_ISSUE, SEARCH_OPEN
from groundswell.core.errors import TrackerAuthFailed, TrackerRateLimited, TrackerRejected, TrackerUnavailable
from groundswell.core.tickets import TicketDraft

from tests.fakes.linear import validation_errors

DRAFT = TicketDraft(title="SSO login failures", body="Evidence", theme_key="auth.sso_login")


@pytest.mark.parametrize("document", [SEARCH_OPEN, FIND_USER, CREATE_ISSUE, GET_ISSUE])
def test_every_document_validates_against_the_schema(document):
    assert validation_errors(document) == []


def test_the_validator_catches_wrong_documents():
    assert validation_errors("query { issues { nodes { nope } } }")
    assert validation_errors('mutation { issueCreate(input: {title: "x"}) { success } }')  # teamId is required


def test_create_search_and_status_round_trip(linear, fake_linear):
    fake_linear.add_user("owner@brightloop.io", "user-1")
    assert linear.search_open(DRAFT.marker) == []
    ticket = linear.create(DRAFT, assignee_id=linear.find_user("OWNER@brightloop.io"))
    assert ticket.key == "ENG-1" and ticket.assignee == "owner@brightloop.io" and not ticket.closed
    assert DRAFT.marker in fake_linear.issues[0]["description"]
    assert [t.key for t in linear.search_open(DRAFT.marker)] == ["ENG-1"]
    fake_linear.close_issue("ENG-1")
    assert linear.get_status("ENG-1").closed
    assert linear.search_open(DRAFT.marker) == []


def test_canceled_counts_as_closed(linear, fake_linear):
    linear.create(DRAFT)
    fake_linear.close_issue("ENG-1", state="Canceled", kind="canceled")
    assert linear.get_status("ENG-1").closed


def test_unknown_email_is_no_user(linear):
    assert linear.find_user("nobody@brightloop.io") is None


def test_bad_key_is_auth_failure(fake_linear):
    tracker = LinearTracker(base_url=fake_linear.url, api_key="wrong", team_id="team-eng")
    with pytest.raises(TrackerAuthFailed):
        tracker.search_open(DRAFT.marker)


def test_ratelimited_code_and_http_429(linear, fake_linear):
    fake_linear.rate_limited = 1
    with pytest.raises(TrackerRateLimited):
        linear.create(DRAFT)
    fake_linear.fail_next("/graphql", 429, body={"error": "slow down"}, headers={"Retry-After": "12"})
    with pytest.raises(TrackerRateLimited) as caught:
        linear.create(DRAFT)
    assert caught.value.retry_after == 12


def test_server_error_and_timeout_are_unavailable(linear, fake_linear):
    fake_linear.fail_next("/graphql", 502, body={"error": "bad gateway"})
    with pytest.raises(TrackerUnavailable, match="502"):
        linear.create(DRAFT)
    fake_linear.delay_next("/graphql", 3.0)
    started = time.monotonic()
    with pytest.raises(TrackerUnavailable, match="timed out"):
        linear.create(DRAFT)
    assert time.monotonic() - started < 2.5  # well before the answer would have come


def test_validation_error_names_the_field(linear, fake_linear):
    fake_linear.required_inputs["projectId"] = "Project is required for this team"
    with pytest.raises(TrackerRejected, match="projectId") as caught:
        linear.create(DRAFT)
    assert not caught.value.retryable


def test_unknown_team_is_rejected(fake_linear):
    tracker = LinearTracker(base_url=fake_linear.url, api_key="lin_api_test", team_id="team-x")
    with pytest.raises(TrackerRejected, match="teamId"):
        tracker.create(DRAFT)


def test_fake_flags_invalid_documents(fake_linear):
    """Proof the fake can fail a test: a document outside the schema is recorded as a problem."""
    response = httpx.post(f"{fake_linear.url}/graphql", json={"query": "{ issues { nodes { secret } } }"})
    assert response.status_code == 400
    assert fake_linear.problems and "validate" in fake_linear.problems[0]
    fake_linear.problems.clear()


def test_a_description_from_an_answer_reaches_linear_as_markdown(linear, fake_linear):
    from groundswell.graph.ticket_text import ticket_description

    from tests.bot.answers import ranking_answer

    body = ticket_description(ranking_answer("what about SSO?"), answer_url="https://x.slack.com/archives/C1/p1")
    linear.create(DRAFT.model_copy(update={"body": body}))
    sent = fake_linear.issues[0]["description"]
    assert sent.startswith(body) and sent.endswith(DRAFT.marker)  # markdown as written, then the dedupe marker
    assert "[View the answer in Slack](https://x.slack.com/archives/C1/p1)" in sent and "**Figures**" in sent
