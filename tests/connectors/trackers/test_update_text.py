"""Rewriting a filed issue's text (what ``privacy forget`` does remotely) against the loopback Jira and Linear:
Jira's ``PUT /rest/api/3/issue/{key}`` checked against the v3 OpenAPI document, Linear's ``issueUpdate`` validated
against the schema; failures come back as the same ``TrackerError``s as filing."""

from __future__ import annotations

import pytest
from groundswell.connectors.trackers.linear import UPDATE_ISSUE
from groundswell.core.errors import TrackerAuthFailed, TrackerRateLimited, TrackerRejected, TrackerUnavailable
from groundswell.core.tickets import TicketDraft

from tests.fakes.linear import validation_errors

DRAFT = TicketDraft(title="Login fails for Dana Whitfield", body="Reported by dana.w@example.org", theme_key="auth.sso")
CLEAN = "Reported by [erased]\n\ngroundswell-key: theme:auth.sso"


def _adf_text(node: dict) -> str:
    if node.get("type") == "text":
        return node["text"]
    return " ".join(_adf_text(child) for child in node.get("content", []))


def test_jira_update_rewrites_summary_and_description(jira, fake_jira):
    ticket = jira.create(DRAFT)
    jira.update_text(ticket.key, title="Login fails for [erased]", body=CLEAN)
    ((key, fields),) = fake_jira.updates
    assert key == ticket.key and set(fields) == {"summary", "description"}
    stored = fake_jira.issues[ticket.key]["fields"]
    assert stored["summary"] == "Login fails for [erased]"
    text = _adf_text(stored["description"])
    assert "[erased]" in text and "dana" not in text.lower() and "whitfield" not in stored["summary"].lower()
    assert fake_jira.requests[-1].method == "PUT" and fake_jira.requests[-1].path == f"/rest/api/3/issue/{key}"


def test_jira_update_of_a_missing_issue_is_rejected(jira, fake_jira):
    with pytest.raises(TrackerRejected, match="does not exist"):
        jira.update_text("GS-404", title="t", body="b")
    assert fake_jira.updates == []


@pytest.mark.parametrize(
    ("status", "error"), [(401, TrackerAuthFailed), (429, TrackerRateLimited), (503, TrackerUnavailable)]
)
def test_jira_update_failures_are_tracker_errors(jira, fake_jira, status, error):
    ticket = jira.create(DRAFT)
    fake_jira.fail_next(f"/issue/{ticket.key}", status, headers={"Retry-After": "5"})
    with pytest.raises(error):
        jira.update_text(ticket.key, title="t", body="b")
    assert fake_jira.updates == []


def test_linear_update_document_validates():
    assert validation_errors(UPDATE_ISSUE) == []


def test_linear_update_rewrites_title_and_description(linear, fake_linear):
    ticket = linear.create(DRAFT)
    linear.update_text(ticket.key, title="Login fails for [erased]", body=CLEAN)
    assert fake_linear.updates == [(ticket.key, {"title": "Login fails for [erased]", "description": CLEAN})]
    issue = fake_linear.issues[0]
    assert "dana" not in (issue["title"] + issue["description"]).lower()


def test_linear_update_of_a_missing_issue_is_rejected(linear):
    with pytest.raises(TrackerRejected, match="Entity not found"):
        linear.update_text("ENG-404", title="t", body="b")


def test_linear_rate_limit_on_update(linear, fake_linear):
    ticket = linear.create(DRAFT)
    fake_linear.rate_limited = 1
    with pytest.raises(TrackerRateLimited):
        linear.update_text(ticket.key, title="t", body="b")
    assert fake_linear.updates == []
