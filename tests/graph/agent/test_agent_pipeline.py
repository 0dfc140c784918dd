"""Lost pipeline end to end: the demo's Opportunity.csv through the real pipeline, the deterministic planner,
the SQL tools and the templates; figures equal a plain-Python recomputation from the export and stored rows."""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from datetime import date, timedelta

import pytest
from groundswell.core.query import Viewer
from groundswell.graph.agent import Agent
from groundswell.storage.db import session_scope
from groundswell.storage.models import Theme
from sqlmodel import select

from tests.graph.agent.conftest import Demo
from tests.graph.agent.recompute import load_rows

pytestmark = pytest.mark.slow
ADMIN = Viewer(name="pm", role="admin")
QUESTION = "Which issues are tied to churn risk or lost pipeline in the last 90 days?"


def _lost_deals(demo: Demo) -> dict[str, list[tuple[date, float, str]]]:
    """Account CRM id -> (close date, amount, loss reason) of its closed-lost deals, read from the export itself."""
    path = demo.runtime.settings.exports_dir / "salesforce" / "Opportunity.csv"
    deals: dict[str, list[tuple[date, float, str]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["IsClosed"] == "true" and row["IsWon"] == "false":
                day, amount = date.fromisoformat(row["CloseDate"]), float(row["Amount"])
                deals[row["AccountId"]].append((day, amount, row.get("Loss_Reason__c") or ""))
    return deals


@pytest.fixture(scope="module")
def answer(demo: Demo):
    return Agent(demo.runtime.agent_context(as_of=demo.as_of)).ask(QUESTION, viewer=ADMIN)


def test_the_question_is_planned_as_churn_risk_or_lost_pipeline(answer) -> None:
    f = answer.plan.filters
    assert (answer.plan.kind, answer.plan.metric, answer.plan.group_by) == ("ranking", "count", "theme")
    assert (f.intents, f.lost_pipeline_days, f.intents_or_lost_pipeline) == (["churn_risk"], 30, True)
    assert f.window is not None and f.window.label == "last 90 days"


def _expected(demo: Demo, answer, accounts: set[str] | None = None) -> dict[str, tuple[int, int, float]]:
    """Theme -> (signals, lost deals, lost amount) of the answer's plan, recomputed; ``accounts``: a viewer scope."""
    plan = answer.plan
    window = plan.filters.window
    assert window is not None
    first, last = window.start.date(), (window.end + timedelta(days=30) - timedelta(microseconds=1)).date()
    deals = {
        account: [(amount, reason) for day, amount, reason in found if first <= day <= last]
        for account, found in _lost_deals(demo).items()
    }
    losers = {account for account, found in deals.items() if found}
    rows = [r for r in load_rows(demo.runtime.engine, answer.taxonomy_version or 1) if r.leaf]
    if accounts is not None:
        rows = [r for r in rows if r.account_id in accounts]
    chosen = [
        r
        for r in rows
        if window.start <= r.created_at < window.end and (r.intent == "churn_risk" or r.account_id in losers)
    ]
    counts = Counter(r.leaf for r in chosen)
    accounts_of: dict[str, set[str]] = defaultdict(set)
    for r in chosen:
        if r.account_id:
            accounts_of[r.leaf].add(r.account_id)  # type: ignore[index]
    names = _theme_names(demo, answer.taxonomy_version or 1)
    themes_of: dict[str, set[str]] = defaultdict(set)
    for leaf, members in accounts_of.items():
        for account in members:
            themes_of[account].add(leaf)
    amount_of: dict[str, float] = defaultdict(float)
    deals_of: dict[str, int] = Counter()
    for account, leaves in themes_of.items():
        for amount, reason in deals.get(account, []):
            text = reason.casefold()
            named = [
                t for t in sorted(leaves) if any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text) for n in names[t])
            ]
            targets = named or sorted(leaves)
            for t in targets:
                amount_of[t] += amount / len(targets)
                deals_of[t] += 1
    return {leaf: (n, deals_of[leaf], round(amount_of[leaf], 2)) for leaf, n in counts.items()}


def _theme_names(demo: Demo, version: int) -> dict[str, list[str]]:
    with session_scope(demo.runtime.engine) as session:
        themes = session.exec(select(Theme).where(Theme.version == version)).all()
        return {t.key: [n.casefold() for n in (t.name, *t.aliases) if n.strip()] for t in themes}


def _check(answer, expected: dict[str, tuple[int, int, float]]) -> None:
    rows = answer.results[0].rows
    assert len(rows) == min(answer.plan.k, len(expected))
    assert {r.key: (r.value, r.extra["lost_deals"], r.extra["lost_amount"]) for r in rows} == {
        r.key: expected[r.key] for r in rows
    }
    floor = min((r.value for r in rows), default=0)
    assert all(n <= floor for k, (n, _, _) in expected.items() if k not in {r.key for r in rows})


def test_figures_equal_a_recomputation_from_the_export(demo: Demo, answer) -> None:
    expected = _expected(demo, answer)
    assert any(deals for _, deals, _ in expected.values()), "the demo corpus has lost deals behind feedback"
    _check(answer, expected)


def test_the_answer_reads_with_amounts_and_is_verified(answer) -> None:
    assert answer.verified and answer.composer == "template"
    assert "lost $" in answer.text and "lost deal" in answer.text
    assert "intent churn_risk OR accounts that lost a deal in the window or the 30 days after" in answer.text


def test_a_viewer_limited_to_one_account_sees_only_its_lost_pipeline(demo: Demo, answer) -> None:
    loser = max(_lost_deals(demo), key=lambda a: (len(_lost_deals(demo)[a]), a))
    viewer = Viewer(name="rep", accounts=frozenset({loser}))
    limited = Agent(demo.runtime.agent_context(as_of=demo.as_of)).ask(QUESTION, viewer=viewer)
    assert all(r.extra["lost_accounts"] <= 1 for r in limited.results[0].rows)
    assert any(r.extra["lost_deals"] for r in limited.results[0].rows), "pick an account whose losses show"
    _check(limited, _expected(demo, limited, {loser}))
