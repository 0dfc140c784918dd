"""Questions a PM would ask, each with an exact expected answer computed from the truth units."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from groundswell.demo.answers import evaluate
from groundswell.demo.catalog import role_theme, theme_by_id
from groundswell.demo.population import Population
from groundswell.demo.sources_support import iso

__all__ = ["build_questions"]


def _window(end: datetime, days: int, offset: int = 0) -> dict[str, str]:
    return {"start": iso(end - timedelta(days=days + offset)), "end": iso(end - timedelta(days=offset))}


def _specs(start: datetime, end: datetime, release: datetime, renewing: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """(question, expected-without-value) pairs."""
    spike, rising, falling = (role_theme(r).path for r in ("spike", "rising", "falling"))
    ent_only, arr_heavy = role_theme("enterprise_only").path, role_theme("arr_heavy").path
    sso, sfdc = theme_by_id("auth.sso_login").path, theme_by_id("integ.salesforce_sync").path
    w7, w30, w90, prior30 = _window(end, 7), _window(end, 30), _window(end, 90), _window(end, 30, 30)
    whole = {"start": iso(start), "end": iso(end)}  # the whole corpus window
    before = {"start": iso(release - timedelta(days=7)), "end": iso(release)}
    after = {"start": iso(release), "end": iso(release + timedelta(days=7))}
    name = lambda path: path.split(" > ")[1].lower()  # noqa: E731
    return [
        (
            f"How many times did customers bring up {name(spike)} in the last 7 days?",
            {"kind": "count", "filters": {"theme": spike, "window": w7}},
        ),
        ("What are the top 5 themes this week?", {"kind": "ranking", "k": 5, "filters": {"window": w7}}),
        ("Top 5 themes over the last 30 days?", {"kind": "ranking", "k": 5, "filters": {"window": w30}}),
        (
            "What are enterprise customers complaining about most? Top 5, last 30 days",
            {"kind": "ranking", "k": 5, "filters": {"segment": "Enterprise", "window": w30}},
        ),
        (
            "top 3 themes for SMB accounts last quarter (90d)",
            {"kind": "ranking", "k": 3, "filters": {"segment": "SMB", "window": w90}},
        ),
        (
            f"How is {name(rising)} trending: last 30 days vs the 30 before?",
            {"kind": "comparison", "filters": {"theme": rising, "window": w30}, "previous_window": prior30},
        ),
        (
            f"Are we hearing less about {name(falling)}? Compare last 30d with the prior 30d",
            {"kind": "comparison", "filters": {"theme": falling, "window": w30}, "previous_window": prior30},
        ),
        (
            "Which themes are rising in Mid-Market? last 30 vs prior 30, top 3",
            {
                "kind": "ranking",
                "k": 3,
                "metric": "growth",
                "filters": {"segment": "Mid-Market", "window": w30},
                "previous_window": prior30,
            },
        ),
        (
            "Which themes are growing fastest overall (30d vs prior 30d)?",
            {"kind": "ranking", "k": 3, "metric": "growth", "filters": {"window": w30}, "previous_window": prior30},
        ),
        (
            "Rank themes by ARR at stake over the last 90 days, top 5",
            {"kind": "ranking", "k": 5, "metric": "arr", "filters": {"window": w90}},
        ),
        (
            "Which themes come from our biggest customers? top 3 by average ARR per account, last 90 days",
            {"kind": "ranking", "k": 3, "metric": "arr_per_account", "filters": {"window": w90}},
        ),
        (
            f"How much ARR is behind the {name(arr_heavy)} requests?",
            {"kind": "number", "metric": "arr_sum", "filters": {"theme": arr_heavy, "window": whole}},
        ),
        (
            f"How many signals about {name(arr_heavy)} did we get in total?",
            {"kind": "count", "filters": {"theme": arr_heavy, "window": whole}},
        ),
        (
            "How much feedback came from accounts renewing in the next 60 days? (last 30 days)",
            {"kind": "count", "filters": {"window": w30, "account_ids": renewing}},
        ),
        (
            "What do accounts renewing within 60 days talk about? top 5, last 90 days",
            {"kind": "ranking", "k": 5, "filters": {"window": w90, "account_ids": renewing}},
        ),
        (
            "Feedback volume per source over the last 30 days",
            {"kind": "ranking", "k": 6, "group_by": "source", "filters": {"window": w30}},
        ),
        (
            "how many google play reviews with feedback in the last 30 days?",
            {"kind": "count", "filters": {"source": "googleplay", "window": w30}},
        ),
        (
            "How many signals came out of Gong calls last quarter?",
            {"kind": "count", "filters": {"source": "gong", "window": w90}},
        ),
        (
            "What changed after 4.12 shipped? 7 days after vs 7 days before, top 3 risers",
            {"kind": "ranking", "k": 3, "metric": "growth", "filters": {"window": after}, "previous_window": before},
        ),
        (
            f"{name(spike).capitalize()}: the week after Brightloop 4.12 vs the week before?",
            {"kind": "comparison", "filters": {"theme": spike, "window": after}, "previous_window": before},
        ),
        (
            "How many negative signals did we get in the last 30 days?",
            {"kind": "count", "filters": {"sentiment": "negative", "window": w30}},
        ),
        (
            "Negative feedback about Billing in the last 90 days: how much?",
            {"kind": "count", "filters": {"theme": "Billing", "sentiment": "negative", "window": w90}},
        ),
        (
            "Is negative sentiment up? last 30 days vs the 30 before",
            {"kind": "comparison", "filters": {"sentiment": "negative", "window": w30}, "previous_window": prior30},
        ),
        (
            "How many churn-risk signals in the last 30 days?",
            {"kind": "count", "filters": {"intent": "churn_risk", "window": w30}},
        ),
        (
            "Churn risk from Enterprise accounts last quarter: count?",
            {"kind": "count", "filters": {"intent": "churn_risk", "segment": "Enterprise", "window": w90}},
        ),
        (
            "Which accounts raised churn risk in the last 30 days?",
            {"kind": "set", "of": "account_id", "filters": {"intent": "churn_risk", "window": w30}},
        ),
        (
            f"Give me quotes about {name(sfdc)} from mid-market customers (last 30 days)",
            {"kind": "set", "of": "signal_id", "filters": {"theme": sfdc, "segment": "Mid-Market", "window": w30}},
        ),
        (
            f"Which accounts mentioned {name(ent_only)}?",
            {"kind": "set", "of": "account_id", "filters": {"theme": ent_only, "window": whole}},
        ),
        (
            f"Which segments bring up {name(ent_only)}?",
            {"kind": "ranking", "k": 3, "group_by": "segment", "filters": {"theme": ent_only, "window": whole}},
        ),
        (
            f"Which accounts asked about {name(sso)} in the last 30 days?",
            {"kind": "set", "of": "account_id", "filters": {"theme": sso, "window": w30}},
        ),
        ("How many bug reports this week?", {"kind": "count", "filters": {"intent": "bug_report", "window": w7}}),
        (
            "Top feature requests over the last 90 days (top 5 themes)",
            {"kind": "ranking", "k": 5, "filters": {"intent": "feature_request", "window": w90}},
        ),
        (
            "What are customers praising lately? top 3 themes last 30 days",
            {"kind": "ranking", "k": 3, "filters": {"intent": "praise", "window": w30}},
        ),
        (
            "How many critical-severity signals in the last 30 days?",
            {"kind": "count", "filters": {"severity": "critical", "window": w30}},
        ),
        (
            "Negative Google Play feedback about the Mobile app, last 30 days?",
            {
                "kind": "count",
                "filters": {"theme": "Mobile app", "source": "googleplay", "sentiment": "negative", "window": w30},
            },
        ),
        (
            "What comes up most in Gong calls? top 5 themes, last 90 days",
            {"kind": "ranking", "k": 5, "filters": {"source": "gong", "window": w90}},
        ),
        ("How many customer signals do we have in total?", {"kind": "count", "filters": {"window": whole}}),
        (
            f"Zendesk tickets about {name(sso)} in the last 30 days — how many signals?",
            {"kind": "count", "filters": {"theme": sso, "source": "zendesk", "window": w30}},
        ),
        (
            f"How much Mid-Market ARR mentioned {name(sfdc)} in the last 90 days?",
            {"kind": "number", "metric": "arr_sum", "filters": {"theme": sfdc, "segment": "Mid-Market", "window": w90}},
        ),
        (
            "Discourse feature requests about Integrations last 90 days: count?",
            {
                "kind": "count",
                "filters": {"theme": "Integrations", "source": "discourse", "intent": "feature_request", "window": w90},
            },
        ),
    ]


def build_questions(
    units: list[dict[str, Any]], pop: Population, start: datetime, end: datetime, release: datetime
) -> list[dict[str, Any]]:
    horizon = (end + timedelta(days=60)).date().isoformat()
    renewing = sorted(a.id for a in pop.accounts if end.date().isoformat() <= a.current["Renewal_Date__c"] <= horizon)
    out = []
    for i, (question, spec) in enumerate(_specs(start, end, release, renewing), start=1):
        spec.setdefault("filters", {})
        out.append({"id": f"q{i:02d}", "question": question, "expected": {**spec, "value": evaluate(units, spec)}})
    return out
