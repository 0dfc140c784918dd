"""Questions about units that hold both praise and a complaint plan the stored ``mixed`` filter."""

import pytest
from groundswell.graph.planner import plan_question

from tests.graph.conftest import AS_OF, VOCAB


@pytest.mark.parametrize(
    "question",
    [
        "how many mixed reviews last month?",
        "show me mixed feedback about checkout",
        "how many customers are mixed about checkout?",
    ],
)
def test_mixed_questions_filter_mixed_units(question: str) -> None:
    assert plan_question(question, vocabulary=VOCAB, as_of=AS_OF).filters.mixed is True


def test_other_questions_leave_mixed_unset() -> None:
    assert plan_question("how many negative reviews last month?", vocabulary=VOCAB, as_of=AS_OF).filters.mixed is None


def test_a_mixed_answer_says_so() -> None:
    from datetime import timedelta

    from groundswell.core.answer import ToolResult
    from groundswell.core.query import Filters, QueryPlan, Viewer, Window
    from groundswell.graph.compose import compose_template, filters_text
    from groundswell.graph.tools import Gathered
    from groundswell.graph.verify import evidence_for, verify

    window = Window(start=AS_OF - timedelta(days=30), end=AS_OF, label="last 30 days")
    plan = QueryPlan(kind="count", filters=Filters(window=window, mixed=True), as_of=AS_OF)
    result = ToolResult(tool="count", total=3)
    headline, text = compose_template(plan, Gathered(results=[result], taxonomy_version=3, names={}))
    assert headline.startswith("Mixed feedback") or "mixed" in headline.lower()
    assert "mixed (praise and a complaint)" in filters_text(plan)
    assert verify(text, evidence_for(plan, [result], [], Viewer(name="pm", role="admin"), names={})).ok
