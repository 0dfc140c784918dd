"""Templates for every plan kind: they read well, state window/filters/freshness/taxonomy and pass the verifier."""

from __future__ import annotations

import pytest
from groundswell.core.query import QueryPlan
from groundswell.graph.compose import compose_template, fmt_money
from groundswell.graph.tools import gather
from groundswell.graph.verify import evidence_for, verify

from tests.graph.agent.stubs import ADMIN, AS_OF, LAST_30, PRIOR_30, WEIGHTS, context, plan

PLANS = {
    "count": plan("count", filters={"themes": ["auth.sso_login"]}),
    "number": plan("number", metric="arr_sum"),
    "ranking": plan("ranking", k=3),
    "ranking_arr": plan("ranking", k=3, metric="arr"),
    "ranking_source": plan("ranking", k=3, group_by="source"),
    "comparison": plan("comparison", previous_window=PRIOR_30, filters={"themes": ["auth.sso_login"]}),
    "comparison_movers": plan("comparison", previous_window=PRIOR_30),
    "trend": plan("trend", bucket="week"),
    "set": plan("set", group_by="account"),
    "quotes": plan("quotes", quotes=3, filters={"segments": ["Mid-Market"]}),
    "account": plan("account", filters={"accounts": ["ACC1"]}),
    "priority": plan("ranking", metric="priority", weights=WEIGHTS, k=3),
    "clarify": QueryPlan(kind="clarify", as_of=AS_OF, clarification="Which segment do you mean: SMB or Mid-Market?"),
    "help": QueryPlan(kind="help", as_of=AS_OF, notes=["The question was empty."]),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_every_kind_reads_well_and_verifies(name: str) -> None:
    p = PLANS[name]
    gathered = gather(context(planner=None), p, ADMIN)
    headline, text = compose_template(p, gathered)
    assert headline and text.strip()
    if p.kind in ("clarify", "help"):
        assert (p.clarification or "") in text and "Window:" not in text
        return
    assert "Window: last 30 days (2026-10-26 to 2026-11-24)" in text
    assert "taxonomy v2" in text and "⚠ Stale sources" in text and "gong" in text.split("⚠")[1]
    assert "Sources:\n[1] " in text and "https://support.example.com/tickets/" in text
    report = verify(text, evidence_for(p, gathered.results, gathered.citations, ADMIN, freshness=gathered.freshness))
    assert report.ok, (report.problems, text)


def test_ranking_is_a_compact_table_with_citations() -> None:
    gathered = gather(context(planner=None), PLANS["ranking"], ADMIN)
    _, text = compose_template(PLANS["ranking"], gathered)
    table = text.split("```")[1].strip("\n").splitlines()
    assert len(table) == 3 and table[0].startswith(" 1. ") and table[0].rstrip().endswith("]")
    assert "→ Identity team 2" in text  # which team acts on each theme


def test_comparison_states_delta_and_significance() -> None:
    gathered = gather(context(planner=None), PLANS["comparison"], ADMIN)
    headline, text = compose_template(PLANS["comparison"], gathered)
    row = gathered.results[0].rows[0]
    assert f"{int(row.value)} signals vs {int(row.previous or 0)} before" in headline
    assert "significant change (p = 0.031)" in text and "Compared with prior 30 days" in text


def test_a_comparison_over_every_theme_names_the_movers_and_quotes_the_risers() -> None:
    gathered = gather(context(planner=None), PLANS["comparison_movers"], ADMIN)
    _, text = compose_template(PLANS["comparison_movers"], gathered)
    _total, *movers = gathered.results[0].rows
    assert movers and "Biggest changes by theme:" in text
    for row in movers:
        assert f"• {row.label}: {int(row.value)} vs {int(row.previous or 0)} before" in text
    for quote in gathered.citations:  # a row cites the quotes shown for its theme
        line = next((ln for ln in text.splitlines() if ln.startswith(f"• {quote.theme}:")), None)
        assert line is None or f"[{quote.n}]" in line


def test_priority_shows_the_weights() -> None:
    gathered = gather(context(planner=None), PLANS["priority"], ADMIN)
    _, text = compose_template(PLANS["priority"], gathered)
    assert "Priority weights: volume 0.35, ARR 0.25, severity 0.2, trend 0.1, lost pipeline 0.1" in text


def test_quotes_are_verbatim_and_numbered() -> None:
    gathered = gather(context(planner=None), PLANS["quotes"], ADMIN)
    _, text = compose_template(PLANS["quotes"], gathered)
    assert gathered.quoted == 3
    for quote in gathered.citations[:3]:
        assert f"> “{quote.text}” [{quote.n}]" in text


def test_money_formats() -> None:
    assert [fmt_money(v) for v in (950, 45_230, 2_349_000, 3.2e9)] == ["$950", "$45.2K", "$2.3M", "$3.2B"]


def test_no_results_say_so() -> None:
    p = plan("ranking", filters={"segments": ["Martian"]})
    gathered = gather(context(planner=None), p, ADMIN)
    headline, text = compose_template(p, gathered)
    assert "No theme matches" in headline and LAST_30.label in text
