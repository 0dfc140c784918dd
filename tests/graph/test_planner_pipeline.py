"""Lost-pipeline questions on the made-up vocabulary: the filter, the lost_amount metric, churn risk OR lost."""

from __future__ import annotations

import pytest
from groundswell.core.query import QueryPlan
from groundswell.graph.planner import plan_question
from groundswell.graph.planner_pipeline import DEFAULT_LOST_DAYS

from tests.graph.conftest import AS_OF, VOCAB


def plan(question: str, previous: QueryPlan | None = None) -> QueryPlan:
    return plan_question(question, vocabulary=VOCAB, as_of=AS_OF, previous=previous)


@pytest.mark.parametrize(
    ("question", "kind", "metric", "group_by", "days", "intents", "either"),
    [
        ("Which issues are tied to churn risk or lost pipeline?", "ranking", "count", "theme", 30, ["churn_risk"],
         True),
        ("which themes cost us the most lost pipeline last quarter?", "ranking", "lost_amount", "theme", 30, [],
         False),
        ("how much pipeline did we lose last 90 days?", "number", "lost_amount", "theme", 30, [], False),
        ("which accounts lost deals this month?", "set", "count", "account", 30, [], False),
        ("top themes from closed-lost accounts", "ranking", "count", "theme", 30, [], False),
        ("which themes are behind closed lost deals within 60 days?", "ranking", "count", "theme", 60, [], False),
        ("lost opportunities by segment", "ranking", "count", "segment", 30, [], False),
        ("top themes with churn risk among lost deals", "ranking", "count", "theme", 30, ["churn_risk"], False),
    ],
)  # fmt: skip
def test_lost_pipeline_questions(question, kind, metric, group_by, days, intents, either) -> None:
    p = plan(question)
    f = p.filters
    assert (p.kind, p.metric, p.group_by) == (kind, metric, group_by), p
    assert (f.lost_pipeline_days, f.intents, f.intents_or_lost_pipeline) == (days, intents, either), p
    assert f.themes == [] and p.clarification is None
    assert any("lost pipeline" in n for n in p.notes)


def test_a_theme_and_segment_still_apply_with_lost_pipeline() -> None:
    p = plan("how many SSO complaints from Enterprise accounts with lost deals in the last 30 days?")
    assert (p.filters.themes, p.filters.segments, p.filters.lost_pipeline_days) == (["auth.sso"], ["Enterprise"], 30)
    assert p.filters.window is not None and p.filters.window.label == "last 30 days"


def test_questions_without_lost_pipeline_are_unchanged() -> None:
    for question in ("how much ARR is behind coupon codes?", "which accounts raised churn risk last week?"):
        p = plan(question)
        assert (p.filters.lost_pipeline_days, p.filters.intents_or_lost_pipeline) == (None, False)
        assert p.metric != "lost_amount"


def test_follow_up_keeps_the_lost_pipeline_filter() -> None:
    first = plan("Which issues are tied to churn risk or lost pipeline?")
    smb = plan("and for SMB?", previous=first)
    assert (smb.filters.segments, smb.filters.lost_pipeline_days, smb.filters.intents_or_lost_pipeline) == (
        ["SMB"],
        DEFAULT_LOST_DAYS,
        True,
    )
