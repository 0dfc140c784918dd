from datetime import UTC, datetime, timedelta

import pytest
from groundswell.core.query import QueryPlan
from groundswell.graph.planner import plan_question

from tests.graph.conftest import AS_OF, VOCAB

DAY = timedelta(days=1)


def plan(question: str) -> QueryPlan:
    return plan_question(question, vocabulary=VOCAB, as_of=AS_OF)


def span(p: QueryPlan) -> tuple[datetime, datetime]:
    assert p.filters.window is not None, p
    return p.filters.window.start, p.filters.window.end


@pytest.mark.parametrize(
    ("question", "days"),
    [
        ("how many bug reports this week?", 7),
        ("how many bug reports in the last 7 days?", 7),
        ("bug reports over the past week: how many?", 7),
        ("how many bug reports last 30 days", 30),
        ("how many bug reports in the past 30d", 30),
        ("how many bug reports last month", 30),
        ("how many bug reports last quarter (90d)", 90),
        ("how many bug reports last quarter", 90),
        ("how many bug reports in the last two weeks", 14),
        ("how many bug reports in the last 3 months", 90),
        ("how many bug reports in the last thirty days", 30),
    ],
)
def test_relative_windows_end_at_as_of(question: str, days: int) -> None:
    assert span(plan(question)) == (AS_OF - days * DAY, AS_OF)


def test_yesterday_today_since_and_calendar_month() -> None:
    assert span(plan("how many bug reports yesterday?")) == (AS_OF - DAY, AS_OF)
    assert span(plan("how many bug reports since March 3")) == (datetime(2026, 3, 3, tzinfo=UTC), AS_OF)
    assert span(plan("how many bug reports since 2026-10-15")) == (datetime(2026, 10, 15, tzinfo=UTC), AS_OF)
    october = span(plan("how many complaints in October"))
    assert october == (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC))
    december = span(plan("how many complaints in December"))  # the most recent December, not a future one
    assert december == (datetime(2025, 12, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    "question",
    [
        "SSO login failures: last 30 days vs the 30 before",
        "SSO login failures, last 30d vs prior 30d",
        "compare SSO login failures last 30 days with the previous 30 days",
        "sso login failures last 30 vs prior 30",
    ],
)
def test_comparison_gets_the_window_just_before(question: str) -> None:
    p = plan(question)
    assert p.kind == "comparison"
    assert span(p) == (AS_OF - 30 * DAY, AS_OF)
    assert p.previous_window is not None
    assert (p.previous_window.start, p.previous_window.end) == (AS_OF - 60 * DAY, AS_OF - 30 * DAY)


def test_release_windows_come_from_the_vocabulary() -> None:
    shipped = VOCAB.releases["2.3.0"]
    p = plan("Printer drivers: the week after 2.3 vs the week before?")
    assert p.kind == "comparison" and p.filters.themes == ["labels.drivers"]
    assert span(p) == (shipped, shipped + 7 * DAY)
    assert p.previous_window is not None and p.previous_window.start == shipped - 7 * DAY
    risers = plan("What changed after 2.3.1 shipped? 3 days after vs 3 days before, top 3 risers")
    assert (risers.kind, risers.metric, risers.k) == ("ranking", "growth", 3)
    assert span(risers) == (VOCAB.releases["2.3.1"], VOCAB.releases["2.3.1"] + 3 * DAY)


def test_unknown_release_is_asked_back() -> None:
    p = plan("what changed after 9.1 shipped?")
    assert p.kind == "clarify" and "9.1" in (p.clarification or "") and "2.3.0" in (p.clarification or "")


def test_default_window_is_written_down_and_totals_cover_all_history() -> None:
    open_question = plan("top themes for SMB")
    assert span(open_question) == (AS_OF - 30 * DAY, AS_OF)
    assert any("last 30 days" in n for n in open_question.notes)
    for question in ("how many signals in total?", "how many signals ever", "How many coupon codes signals?"):
        p = plan(question)
        assert p.filters.window is None, question
        assert any("all history" in n for n in p.notes)


def test_renewal_horizon_is_not_a_window() -> None:
    p = plan("How much feedback came from accounts renewing in the next 60 days? (last 30 days)")
    assert p.filters.renewing_within_days == 60
    assert span(p) == (AS_OF - 30 * DAY, AS_OF)
