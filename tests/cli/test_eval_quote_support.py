"""`quote_support`: a quote counts only when its unit's truth satisfies the question and the row it is shown under."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from groundswell.cli.evals.explain import spec_filters, stage_rows
from groundswell.cli.evals.quote_support import answer_support, support_share, truth_by_unit, units_support
from groundswell.core.answer import Answer, CitedQuote, ResultRow, ToolResult
from groundswell.core.query import QueryPlan

from tests.cli.test_eval_explain import WINDOW, _signal, _unit

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
BILLING = "Billing > Invoices"
CRASHES = "Mobile app > Crashes"


def _stages() -> dict[str, list[dict[str, Any]]]:
    truth = [
        _signal(1),
        _signal(2),
        _signal(3, theme="Mobile app", subtheme="Crashes"),
        _signal(4, theme="Mobile app", subtheme="Crashes"),
        _signal(5, sentiment="positive", intent="praise"),  # praise about billing
        _signal(6, theme="Mobile app", subtheme="Crashes"),  # the product calls it billing
    ]
    units = [_unit(n) for n in (1, 2, 5, 6)] + [_unit(n, theme="Mobile app", subtheme="Crashes") for n in (3, 4)]
    units.append(_unit(9, external_id="9", message_id="m9"))  # no planted signal behind it
    return stage_rows(truth, units)


def _quote(n: int, unit: str, row: str | None) -> CitedQuote:
    return CitedQuote(n=n, unit_id=unit, text="...", source="zendesk", created_at=AS_OF, theme=row)


def _ranking(quotes: list[CitedQuote]) -> Answer:
    rows = [
        ResultRow(key="billing.invoices", label=BILLING, value=3),
        ResultRow(key="mobile.crashes", label=CRASHES, value=2),
    ]
    plan = QueryPlan(kind="ranking", as_of=AS_OF, k=2)
    result = ToolResult(tool="ranking", rows=rows)
    return Answer(question="q", text="t", headline="h", plan=plan, results=[result], citations=quotes)


SPEC = {"kind": "ranking", "filters": {"window": WINDOW, "sentiment": "negative"}}


def test_quotes_under_their_own_row_are_supported() -> None:
    stages = _stages()
    answer = _ranking([_quote(1, "u1", BILLING), _quote(2, "u2", BILLING), _quote(3, "u3", CRASHES)])
    score = answer_support(answer, spec_filters(SPEC), truth_by_unit(stages), stages["labels"])
    assert (score.quotes, score.supported) == (3, 3)


def test_a_wrong_quote_lowers_the_figure() -> None:
    stages = _stages()
    truth = truth_by_unit(stages)
    right = _ranking([_quote(1, "u1", BILLING), _quote(2, "u3", CRASHES)])
    wrong_row = _ranking([_quote(1, "u1", BILLING), _quote(2, "u3", BILLING)])  # a crash quote under billing
    praise = _ranking([_quote(1, "u1", BILLING), _quote(2, "u5", BILLING)])  # praise under "negative"
    mislabelled = _ranking([_quote(1, "u1", BILLING), _quote(2, "u6", BILLING)])  # truly a crash
    unplanted = _ranking([_quote(1, "u1", BILLING), _quote(2, "u9", BILLING)])
    filters = spec_filters(SPEC)
    scores = [answer_support(a, filters, truth) for a in (right, wrong_row, praise, mislabelled, unplanted)]
    assert [s.supported for s in scores] == [2, 1, 1, 1, 1]
    assert support_share(scores)["quote_support"] == 0.6
    assert support_share(scores)["quote_misses"] == {"row": 2, "sentiment": 1, "unplanted": 1}


def test_random_reference_is_the_share_of_true_units_in_the_products_row() -> None:
    stages = _stages()
    answer = _ranking([_quote(1, "u1", BILLING), _quote(2, "u3", CRASHES)])
    score = answer_support(answer, spec_filters(SPEC), truth_by_unit(stages), stages["labels"])
    # negative billing by the product's labels: u1, u2, u5 (praise), u6 (a crash), u9 (unplanted) -> 2 of 5 true;
    # crashes: u3, u4, both true
    assert score.random == 0.4 + 1.0
    summary = support_share([score])
    assert summary == {"quote_support": 1.0, "quote_support_random": 0.7, "quotes_scored": 2, "quote_misses": {}}


def test_quotes_outside_a_ranking_check_the_filters_only() -> None:
    stages = _stages()
    plan = QueryPlan(kind="count", as_of=AS_OF)
    answer = Answer(
        question="q", text="t", headline="h", plan=plan, citations=[_quote(1, "u3", None), _quote(2, "u5", None)]
    )
    spec = {"kind": "count", "filters": {"window": WINDOW, "segment": "Enterprise", "intent": "complaint"}}
    score = answer_support(answer, spec_filters(spec), truth_by_unit(stages))
    assert (score.quotes, score.supported) == (2, 1)  # u5 is praise


def test_a_duplicate_supports_what_its_original_says_and_no_quotes_score_none() -> None:
    truth = [_signal(1), _signal(2, duplicate_of="sig_1")]
    stages = stage_rows(truth, [_unit(1), _unit(2)])
    spec = {"kind": "count", "filters": {"theme": "Billing"}}
    assert units_support(["u2"], spec, spec_filters(spec), truth_by_unit(stages)).supported == 1
    assert support_share([])["quote_support"] is None


def test_retrieval_baseline_units_must_belong_to_an_expected_row() -> None:
    stages = _stages()
    spec = SPEC | {"value": [{"key": BILLING, "value": 3}]}
    score = units_support(["u1", "u3", "u5"], spec, spec_filters(spec), truth_by_unit(stages))
    assert (score.quotes, score.supported) == (3, 1)
