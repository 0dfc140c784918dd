"""Pure ticket logic: drafts and markers, routing rules, evidence bodies, "did it work?"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from groundswell.core.answer import CitedQuote
from groundswell.core.errors import ConfigurationError
from groundswell.core.tickets import (
    RoutingRules,
    TicketDraft,
    TicketEvidence,
    build_ticket_body,
    build_ticket_title,
    format_money,
    load_routing,
    measure_outcome,
)

RULES = """
themes:
  auth: identity
  auth.sso: sso-squad
  export.csv: data
teams:
  identity: {owner_email: ida@brightloop.io, jira_project: IDN, linear_team_id: team-idn}
  sso-squad: {owner_email: sam@brightloop.io, jira_project: SSO}
  data: {owner_email: dee@brightloop.io}
  support: {owner_email: sue@brightloop.io}
default_team: support
"""


def test_dedupe_key_prefers_theme_then_insight_then_title():
    assert TicketDraft(title="T", theme_key="auth.sso", insight_key="q1").dedupe_key == "theme:auth.sso"
    assert TicketDraft(title="T", insight_key="q1").dedupe_key == "insight:q1"
    assert TicketDraft(title="Slow  Exports").dedupe_key == "title:slow-exports"
    draft = TicketDraft(title="T", body="evidence", theme_key="auth.sso")
    assert draft.marker == "groundswell-key: theme:auth.sso"
    assert draft.body_with_marker().endswith(draft.marker)
    assert draft.model_copy(update={"body": draft.body_with_marker()}).body_with_marker().count(draft.marker) == 1


def test_routing_longest_prefix_then_taxonomy_owner_then_default(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(RULES)
    rules = load_routing(path)
    sso = rules.route("auth.sso")
    assert (sso.team, sso.owner_email, sso.jira_project) == ("sso-squad", "sam@brightloop.io", "SSO")
    assert rules.route("auth.ssoish").team == "identity"  # a prefix matches whole key segments only
    assert rules.route("auth.mfa").linear_team_id == "team-idn"
    assert rules.route("billing.refunds", owner_team="data").reason == "taxonomy owner team"
    assert rules.route("billing.refunds").team == "support"
    assert RoutingRules().route("x") is None
    assert load_routing(None) == RoutingRules()


def test_routing_errors_name_the_file_and_problem(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("themes: {auth: ghosts}\nteams: {}\n")
    with pytest.raises(ConfigurationError, match="ghosts"):
        load_routing(path)
    path.write_text("teams: {a: {owner: x}}\n")
    with pytest.raises(ConfigurationError, match=str(path)):
        load_routing(path)
    with pytest.raises(ConfigurationError, match="cannot read"):
        load_routing(tmp_path / "missing.yaml")


def test_evidence_title_and_body_carry_counts_arr_quotes_version_and_marker():
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    evidence = TicketEvidence(
        theme_key="auth.sso",
        theme_name="SSO login failures",
        window_label="last 30 days",
        count=41,
        accounts=9,
        arr=2_300_000,
        segments={"enterprise": 30, "mid-market": 11},
        sources={"zendesk": 40, "gong": 1},
        quotes=[
            CitedQuote(
                n=1, unit_id="u1", text="Okta loops", source="zendesk", created_at=at, url="https://z/1", account="Acme"
            )
        ],
        taxonomy_version=3,
        as_of=at,
    )
    assert build_ticket_title(evidence) == "SSO login failures: 41 mentions, 9 accounts ($2.3M ARR), last 30 days"
    body = build_ticket_body(evidence, marker="groundswell-key: theme:auth.sso", note="Seen after 4.12")
    assert body.startswith("Seen after 4.12")
    for expected in (
        "41 customer mentions of SSO login failures from 9 accounts ($2.3M ARR), last 30 days.",
        "**Figures**",
        "- By segment: enterprise 30, mid-market 11",
        "- Taxonomy version: 3, as of 2026-11-20 09:30 UTC",
        "**Top quotes**",
        "> “Okta loops”\n> — [zendesk, 2026-11-20, Acme](https://z/1)",
    ):
        assert expected in body
    assert body.endswith("groundswell-key: theme:auth.sso")


def test_ticket_body_keeps_hostile_record_text_literal():
    at = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    hostile = CitedQuote(
        n=1,
        unit_id="u1",
        text="**urgent** [click](https://evil.example) <script>",
        source="zendesk",
        created_at=at,
        url="javascript:alert(1)",
        account="Acme_*Corp*",
    )
    evidence = TicketEvidence(theme_key="t", theme_name="T", window_label="last 7 days", count=1, quotes=[hostile])
    body = build_ticket_body(evidence, marker="groundswell-key: theme:t")
    assert "\\*\\*urgent\\*\\* \\[click\\](https://evil.example) \\<script>" in body
    assert "Acme\\_\\*Corp\\*" in body
    assert "javascript:" not in body  # a non-http(s) URL never becomes a link


def test_format_money():
    assert [format_money(v) for v in (950, 12_400, 410_000, 2_340_000)] == ["$950", "$12k", "$410k", "$2.3M"]


@pytest.mark.parametrize(
    ("before", "after", "after_days", "verdict"),
    [
        (60, 4, 10, "improved"),
        (60, 20, 10, "unchanged"),
        (60, 40, 10, "worse"),
        (60, 0, 1, "too early"),
        (0, 5, 10, "too early"),
    ],
)
def test_outcome_compares_daily_rates(before, after, after_days, verdict):
    outcome = measure_outcome(before=before, after=after, before_days=30, after_days=after_days)
    assert outcome.verdict == verdict
    assert outcome.rate_before == round(before / 30, 3)
