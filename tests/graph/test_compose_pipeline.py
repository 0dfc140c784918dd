"""Templates phrase lost pipeline with amounts and deal counts, and every figure passes the verifier."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.graph.compose import compose_template
from groundswell.graph.tools import Gathered
from groundswell.graph.verify import evidence_for, verify

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)
WINDOW = Window(start=AS_OF - timedelta(days=90), end=AS_OF, label="last 90 days")
ADMIN = Viewer(name="pm", role="admin")


def _lost(amount: float, deals: int, accounts: int, shared: int = 0) -> dict[str, float | int]:
    return {"lost_amount": amount, "lost_deals": deals, "lost_accounts": accounts, "lost_deals_shared": shared}


def _compose(plan: QueryPlan, result: ToolResult) -> str:
    gathered = Gathered(results=[result], taxonomy_version=3)
    _, text = compose_template(plan, gathered)
    report = verify(text, evidence_for(plan, [result], [], ADMIN))
    assert report.ok, (report.problems, text)
    return text


def test_combined_ranking_states_the_or_and_lost_amounts() -> None:
    filters = Filters(window=WINDOW, intents=["churn_risk"], lost_pipeline_days=30, intents_or_lost_pipeline=True)
    plan = QueryPlan(kind="ranking", k=2, filters=filters, as_of=AS_OF)
    rows = [
        ResultRow(key="auth.sso", label="Authentication > SSO", value=7, count=7, extra=_lost(42_500.0, 2, 2)),
        ResultRow(key="billing.tax", label="Billing > Tax", value=3, count=3, extra=_lost(0.0, 0, 0)),
    ]
    text = _compose(plan, ToolResult(tool="ranking", rows=rows))
    assert "lost $42.5K (2 lost deals)" in text
    assert "Billing > Tax" in text and "lost $0" not in text  # no deal: nothing said
    assert "Filters: intent churn_risk OR accounts that lost a deal in the window or the 30 days after" in text


def test_lost_amount_ranking_and_total() -> None:
    plan = QueryPlan(kind="ranking", metric="lost_amount", filters=Filters(window=WINDOW), as_of=AS_OF)
    rows = [ResultRow(key="a", label="Dashboards > Slow", value=1_250_000.0, count=4, extra=_lost(1_250_000.0, 3, 2))]
    text = _compose(plan, ToolResult(tool="ranking", rows=rows))
    assert "Top 1 by lost pipeline" in text and "$1.2M" in text and "3 lost deals" in text
    number = QueryPlan(kind="number", metric="lost_amount", filters=Filters(window=WINDOW, lost_pipeline_days=30),
                       as_of=AS_OF)  # fmt: skip
    meta = {"lost_deals": 9, "lost_accounts": 8}
    text = _compose(number, ToolResult(tool="number", total=2_030_000.0, meta=meta))
    assert text.startswith("$2.0M of closed-lost pipeline: 9 deals lost by 8 accounts behind this feedback.")


def test_rows_say_which_deals_they_share_with_other_rows() -> None:
    plan = QueryPlan(kind="ranking", metric="lost_amount", k=3, filters=Filters(window=WINDOW), as_of=AS_OF)
    rows = [
        ResultRow(key="a", label="SSO", value=60_000.0, count=4, extra=_lost(60_000.0, 3, 2, shared=1)),
        ResultRow(key="b", label="Invoices", value=20_000.0, count=2, extra=_lost(20_000.0, 2, 2, shared=2)),
        ResultRow(key="c", label="Exports", value=5_000.0, count=1, extra=_lost(5_000.0, 1, 1)),
    ]
    text = _compose(plan, ToolResult(tool="ranking", rows=rows, meta={"lost_attribution": {"split": 2}}))
    assert "3 lost deals, 1 shared" in text and "2 lost deals, all shared" in text
    assert "$5.0K  1 signal  1 lost deal\n" in text  # a deal of its own: nothing shared to say
    assert "deal counts do not add up across rows" in text


def test_account_set_lists_each_accounts_losses() -> None:
    plan = QueryPlan(kind="set", group_by="account", filters=Filters(window=WINDOW, lost_pipeline_days=30), as_of=AS_OF)
    rows = [ResultRow(key="001A", label="Northwind", value=5, count=5, accounts=1, extra=_lost(30_600.0, 1, 1))]
    text = _compose(plan, ToolResult(tool="set", rows=rows, total=1.0))
    assert "• Northwind — ARR unknown · no renewal date · 5 signals · lost $30.6K (1 lost deal)" in text
