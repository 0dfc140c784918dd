"""Product-manager language: abbreviations, stray words, calendar time, answer kinds, ARR bounds, follow-ups."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from groundswell.core.query import QueryPlan, Vocabulary
from groundswell.graph.planner import plan_question
from groundswell.graph.planner_eval import summarize

from tests.graph.conftest import AS_OF

FIXTURE = Path(__file__).parent / "fixtures" / "rephrased_pm_dev.jsonl"


def _plan(question: str, vocab: Vocabulary, previous: QueryPlan | None = None) -> QueryPlan:
    return plan_question(question, vocabulary=vocab, as_of=AS_OF, previous=previous)


ORDINARY = ["top issues among enterprise accts this qtr", "mkt feedback past wk",
            "what's tied to negativity in the intercom channel", "anything in nov?"]  # fmt: skip


@pytest.mark.parametrize("question", ORDINARY)
def test_ordinary_words_never_clarify(vocab: Vocabulary, question: str) -> None:
    plan = _plan(question, vocab)
    assert plan.kind != "clarify" and not plan.filters.themes


def test_among_is_a_segment_and_negativity_a_sentiment(vocab: Vocabulary) -> None:
    assert _plan("top issues among enterprise accts", vocab).filters.segments == ["Enterprise"]
    plan = _plan("negativity in the intercom channel last 30d", vocab)
    assert plan.filters.sentiments == ["negative"] and plan.filters.sources == ["intercom"]


def test_stray_words_are_not_filters(vocab: Vocabulary) -> None:
    arr = _plan("ARR at risk from SSO login failures", vocab)
    assert (arr.kind, arr.metric, arr.filters.intents) == ("number", "arr_sum", [])
    renewals = _plan("feedback blocking renewals", vocab)
    assert renewals.filters.severities == [] and renewals.kind == "set" and renewals.metric == "arr"
    assert renewals.filters.renewing_within_days == 90 and renewals.filters.at_risk_signals


def test_calendar_quarters_to_date_and_over(vocab: Vocabulary) -> None:
    q3 = _plan("top themes in Q3", vocab).filters.window
    assert q3 is not None and (q3.start, q3.end) == (
        datetime(2026, 7, 1, tzinfo=UTC),
        datetime(2026, 10, 1, tzinfo=UTC),
    )
    qtd = _plan("sso login failures quarter to date", vocab).filters.window
    assert qtd is not None and qtd.start == datetime(2026, 10, 1, tzinfo=UTC) and qtd.end == AS_OF
    wow = _plan("checkout week over week", vocab)
    assert wow.kind == "comparison" and wow.previous_window is not None
    assert wow.previous_window.end == wow.filters.window.start  # type: ignore[union-attr]


def test_last_release_is_the_latest_in_the_vocabulary(vocab: Vocabulary) -> None:
    plan = _plan("What changed after the last release?", vocab)
    assert plan.kind == "comparison"
    assert plan.filters.window is not None and plan.filters.window.start == vocab.releases["2.3.1"]


def test_arr_bounds_kinds_and_unsupported(vocab: Vocabulary) -> None:
    plan = _plan("accounts over $100k ARR complaining about checkout", vocab)
    assert (plan.kind, plan.filters.arr_min, plan.metric) == ("set", 100000.0, "count")
    assert _plan("What are customers saying about inventory sync?", vocab).kind == "overview"
    owners = _plan("Which teams need to act?", vocab)
    assert (owners.kind, owners.group_by) == ("owners", "owner_team")
    assert _plan("top themes by region", vocab).unsupported == ["grouping by region"]
    assert _plan("complaints split by segment", vocab).group_by == "segment"


def test_follow_ups_resolve_against_the_previous_plan(vocab: Vocabulary) -> None:
    first = _plan("top themes for enterprise last 30 days", vocab)
    same = _plan("same for SMB", vocab, first)
    assert same.kind == "ranking" and same.filters.segments == ["SMB"] and same.filters.window == first.filters.window
    assert _plan("why?", vocab, first).filters == first.filters
    this = _plan("which accounts in this segment?", vocab, first)
    assert this.kind == "set" and this.filters.segments == ["Enterprise"]


def test_pm_fixture_plan_accuracy(vocab: Vocabulary) -> None:
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 100 and len({r["style"] for r in rows}) >= 4
    report = summarize(rows, lambda q: _plan(q, vocab), vocab)
    assert report["plan_accuracy"] >= 0.90, report["failures"]
