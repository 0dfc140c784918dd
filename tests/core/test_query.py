from datetime import UTC, datetime, timedelta

import pytest
from groundswell.core.answer import Answer, Asker, CitedQuote
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from pydantic import ValidationError

NOW = datetime(2026, 11, 1, tzinfo=UTC)


def test_window_must_end_after_it_starts() -> None:
    with pytest.raises(ValidationError, match="not after start"):
        Window(start=NOW, end=NOW - timedelta(days=1))


def test_plan_round_trips_through_json_so_an_llm_plan_validates_against_the_same_schema() -> None:
    plan = QueryPlan(
        kind="ranking",
        metric="growth",
        k=3,
        filters=Filters(window=Window(start=NOW - timedelta(days=30), end=NOW), segments=["Enterprise"]),
        previous_window=Window(start=NOW - timedelta(days=60), end=NOW - timedelta(days=30)),
        as_of=NOW,
    )
    assert QueryPlan.model_validate_json(plan.model_dump_json()) == plan


def test_plan_rejects_unknown_kinds_and_silly_k() -> None:
    with pytest.raises(ValidationError):
        QueryPlan.model_validate({"kind": "guess", "as_of": NOW.isoformat()})
    with pytest.raises(ValidationError):
        QueryPlan(kind="ranking", k=0, as_of=NOW)


def test_answer_carries_plan_and_citations() -> None:
    plan = QueryPlan(kind="count", as_of=NOW)
    quote = CitedQuote(n=1, unit_id="u1", text="SSO broke", source="zendesk", created_at=NOW)
    answer = Answer(question="q", text="1 signal [1]", headline="1 signal", plan=plan, citations=[quote])

    class Fixed:
        def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
            return answer

    assert isinstance(Fixed(), Asker)
    assert Fixed().ask("q", viewer=Viewer(name="pm")).citations[0].n == 1
