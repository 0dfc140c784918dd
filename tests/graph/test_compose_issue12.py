"""#12 answers: overview and owners templates, human headlines, account lists, unsupported parts; all verified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.graph.compose import compose_template
from groundswell.graph.tools import Gathered
from groundswell.graph.verify import evidence_for, verify

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
LAST_30 = Window(start=AS_OF - timedelta(days=30), end=AS_OF, label="last 30 days")
ADMIN = Viewer(name="pm", role="admin")


def _compose(plan: QueryPlan, result: ToolResult, names: dict[str, str] | None = None) -> tuple[str, str]:
    gathered = Gathered(results=[result], taxonomy_version=3, names=names or {})
    headline, text = compose_template(plan, gathered)
    report = verify(text, evidence_for(plan, [result], [], ADMIN, names=names))
    assert report.ok, (report.problems, text)
    return headline, text


def test_headline_reads_like_a_person_wrote_it() -> None:
    filters = Filters(window=LAST_30, segments=["Enterprise"], themes=["billing"], intents=["complaint"])
    plan = QueryPlan(kind="ranking", filters=filters, as_of=AS_OF)
    rows = [ResultRow(key="billing.invoice", label="Billing > Invoices", value=12, count=12)]
    headline, _ = _compose(plan, ToolResult(tool="ranking", rows=rows), {"billing": "Billing"})
    assert headline.startswith("Enterprise billing complaints, last 30 days — ")
    assert "Invoices" in headline and "segment" not in headline and ";" not in headline
    at_risk = QueryPlan(kind="count", filters=Filters(window=LAST_30, at_risk_signals=True, arr_min=100_000),
                        as_of=AS_OF)  # fmt: skip
    headline, text = _compose(at_risk, ToolResult(tool="count", total=4))
    assert headline.startswith("At-risk signals (negative or churn risk) from accounts with ARR over $100.0K")
    assert "negative or churn-risk signals; account ARR at least $100.0K at the time" in text


def test_unsupported_parts_are_stated_and_their_figures_pass_the_verifier() -> None:
    plan = QueryPlan(kind="count", filters=Filters(window=LAST_30), as_of=AS_OF,
                     unsupported=["accounts over $250k ARR in EMEA", "by region"])  # fmt: skip
    _, text = _compose(plan, ToolResult(tool="count", total=9))
    assert "I could not apply: accounts over $250k ARR in EMEA; by region." in text
    bare = plan.model_copy(update={"unsupported": []})
    _, text = _compose(bare, ToolResult(tool="count", total=9))
    assert "could not apply" not in text
    assert not verify("I could not apply: over $250k ARR.", evidence_for(bare, [], [], ADMIN)).ok


def test_overview_template() -> None:
    plan = QueryPlan(kind="overview", filters=Filters(window=LAST_30, themes=["auth"]), as_of=AS_OF)
    rows = [
        ResultRow(key="auth.sso", label="Authentication > SSO login", value=5, count=5, accounts=3),
        ResultRow(key="auth.mfa", label="Authentication > MFA", value=2, count=2, accounts=1),
    ]
    meta = {
        "total": 7,
        "accounts": 4,
        "intents": [{"key": "bug_report", "count": 6}, {"key": "churn_risk", "count": 1}],
        "trend": [
            {"start": "2026-10-02", "count": 4, "partial": False},
            {"start": "2026-10-30", "count": 3, "partial": True},
        ],
    }
    headline, text = _compose(plan, ToolResult(tool="overview", rows=rows, total=7, meta=meta), {"auth": "Auth"})
    assert headline == "Auth feedback, last 30 days — Authentication > SSO login leads (5 of 7 signals)."
    assert "7 signals about Auth from 4 accounts." in text
    assert "By intent: bug reports 6 (86%) · churn-risk signals 1 (14%)" in text
    assert "Per week: 2026-10-02 4 · 2026-10-30 3 (partial)" in text
    assert text.index("SSO login") < text.index("MFA")


def test_owners_template() -> None:
    plan = QueryPlan(kind="owners", filters=Filters(window=LAST_30), as_of=AS_OF)
    top = [{"key": "auth.sso", "label": "Authentication > SSO login", "count": 5}]
    rows = [
        ResultRow(key="Identity", label="Identity", value=7, count=7, extra={"top_themes": top, "open_tickets": 1}),
        ResultRow(key="Finance", label="Finance", value=2, count=2, extra={"top_themes": [], "open_tickets": 3}),
    ]
    headline, text = _compose(plan, ToolResult(tool="owners", rows=rows, meta={"unowned": 2}))
    assert headline == "Feedback, last 30 days — Identity has the most to act on (7 signals, 1 open ticket)."
    assert "• Identity — 7 signals · 1 open ticket · top themes: Authentication > SSO login 5" in text
    assert "• Finance — 2 signals · 3 open tickets" in text
    assert "2 signals fall under themes without an owner team." in text


def test_account_list_sorted_by_arr_with_renewal_dates() -> None:
    plan = QueryPlan(kind="set", group_by="account", filters=Filters(window=LAST_30), as_of=AS_OF)
    rows = [
        ResultRow(key="A1", label="Small", value=1, count=1, arr=5_000.0, extra={"renewal_date": "2027-01-15"}),
        ResultRow(key="A2", label="Big", value=3, count=3, arr=1_200_000.0, extra={"renewal_date": "2026-12-01"}),
        ResultRow(key="A3", label="Unknown", value=2, count=2),
        ResultRow(key="A4", label="Mid", value=2, count=2, arr=250_000.0, extra={"renewal_date": None}),
    ]
    _, text = _compose(plan, ToolResult(tool="set", rows=rows, total=4.0))
    lines = [line for line in text.splitlines() if line.startswith("•")]
    assert lines == [
        "• Big — ARR $1.2M · renews 2026-12-01 · 3 signals",
        "• Mid — ARR $250.0K · no renewal date · 2 signals",
        "• Small — ARR $5.0K · renews 2027-01-15 · 1 signal",
        "• Unknown — ARR unknown · no renewal date · 2 signals",
    ]
