"""`eval answers --explain`: each stage takes more facts from the product; the first stage that misses is named."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from groundswell.cli.evals.explain import attribution, explain_question, explainable, stage_rows, value_error
from groundswell.storage.unit_locations import UnitFacts

WINDOW = {"start": "2026-05-01T00:00:00Z", "end": "2026-06-01T00:00:00Z"}


def _signal(n: int, **more: Any) -> dict[str, Any]:
    row = {
        "signal_id": f"sig_{n}", "source": "zendesk", "external_id": str(n), "message_id": f"m{n}",
        "char_start": 0, "char_end": 20, "created_at": f"2026-05-{n + 1:02d}T10:00:00Z", "duplicate_of": None,
        "account_id": "ACME", "segment": "Enterprise", "arr": 100.0, "theme": "Billing", "subtheme": "Invoices",
        "sentiment": "negative", "intent": "complaint", "severity": "low",
    }  # fmt: skip
    return row | more


def _unit(n: int, **more: Any) -> UnitFacts:
    values: dict[str, Any] = {
        "id": f"u{n}", "source": "zendesk", "external_id": str(n), "message_id": f"m{n}", "char_start": 0,
        "char_end": 20, "created_at": datetime(2026, 5, n + 1, 10, tzinfo=UTC), "speaker_role": "customer",
        "duplicate_of": None, "account_id": "ACME", "segment": "enterprise", "arr": 100.0, "theme": "Billing",
        "subtheme": "Invoices", "sentiment": "negative", "intent": "complaint", "severity": "low",
    }  # fmt: skip
    return UnitFacts(**(values | more))


def _count(**filters: Any) -> dict[str, Any]:
    return {"kind": "count", "filters": {"window": WINDOW, **filters}}


def test_each_stage_is_blamed_for_what_it_changes() -> None:
    truth = [_signal(1), _signal(2), _signal(3), _signal(4)]
    units = [
        _unit(1),
        _unit(2, speaker_role="agent"),  # speaker attribution drops a signal
        _unit(3, account_id=None, segment=None, arr=None),  # identity misses the account
        _unit(4, theme="Mobile app", subtheme="Crashes"),  # classification mislabels
        _unit(9, external_id="9", message_id="m9", theme=None, subtheme=None),  # an extra unit: no planted signal
    ]
    stages = stage_rows(truth, units)
    spec = _count(theme="Billing", segment="Enterprise") | {"value": 4}
    explained = explain_question(spec, stages, 1)
    assert explained["values"] == {
        "truth": 4, "units": 4, "speakers": 3, "dates": 3, "dedupe": 3, "accounts": 2, "labels": 1, "answer": 1,
    }  # fmt: skip
    assert explained["diverges_at"] == "speakers"
    everything = explain_question(_count() | {"value": 4}, stages, 4)
    assert everything["values"]["units"] == 5 and everything["diverges_at"] == "units"
    table = attribution([explained])
    assert table["speakers"]["added_error"] == 0.25 and table["labels"]["added_error"] == 0.25
    assert table["speakers"]["first_divergence"] == 1 and table["answer"]["added_error"] == 0.0


def test_dates_and_duplicates_come_from_the_product_at_their_stage() -> None:
    truth = [_signal(1), _signal(2, duplicate_of="sig_1")]
    units = [_unit(1, created_at=datetime(2026, 6, 1, tzinfo=UTC)), _unit(2)]  # stored in the next month
    explained = explain_question(_count() | {"value": 1}, stage_rows(truth, units), 2)
    assert [explained["values"][s] for s in ("units", "dates", "dedupe")] == [1, 0, 1]
    assert explained["diverges_at"] == "dates"


def test_rankings_ignore_unclassified_units_and_segments_compare_as_keys() -> None:
    truth = [_signal(1), _signal(2), _signal(3, theme="Mobile app", subtheme="Crashes")]
    units = [_unit(n, theme=None, subtheme=None) for n in (1, 2)] + [_unit(3, theme="Mobile app", subtheme="Crashes")]
    spec = {"kind": "ranking", "k": 1, "filters": {"segment": "Enterprise"}, "value": [{"key": "Billing > Invoices"}]}
    explained = explain_question(spec, stage_rows(truth, units), [{"key": "Mobile app > Crashes", "value": 1}])
    assert explained["values"]["labels"] == ["Mobile app > Crashes"]
    assert value_error({"kind": "ranking", "value": [{"key": "Mid-Market"}]}, [{"key": "mid-market"}]) == 0.0
    assert not explainable({"kind": "set", "of": "signal_id"}) and explainable({"kind": "set", "of": "account_id"})
