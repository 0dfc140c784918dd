"""Scoring: overlap with a same-type gold span, micro and per-type precision/recall/F2, synonyms."""

from __future__ import annotations

import pytest
from groundswell.core.privacy import PiiSpan
from groundswell.core.privacy.evaluate import (
    GoldSpan,
    canonical_type,
    evaluate_detector,
    f_beta,
    parse_example,
    score_predictions,
)


def test_overlap_of_same_type_counts_and_other_types_do_not() -> None:
    gold = [GoldSpan(0, 10, "EMAIL_ADDRESS"), GoldSpan(20, 30, "PHONE_NUMBER")]
    predicted = [PiiSpan(5, 12, "EMAIL_ADDRESS", 1.0), PiiSpan(20, 30, "CREDIT_CARD", 0.5)]
    result = score_predictions([(gold, predicted)])
    assert result["per_type"]["EMAIL_ADDRESS"] == {"precision": 1.0, "recall": 1.0, "f2": 1.0, "support": 1}
    assert result["per_type"]["PHONE_NUMBER"]["recall"] == 0.0
    assert result["per_type"]["CREDIT_CARD"] == {"precision": 0.0, "recall": 1.0, "f2": 0.0, "support": 0}
    assert (result["precision"], result["recall"]) == (0.5, 0.5)


def test_types_filter_ignores_out_of_scope_gold() -> None:
    gold = [GoldSpan(0, 5, "STREET_ADDRESS"), GoldSpan(10, 15, "PERSON")]
    result = score_predictions([(gold, [PiiSpan(10, 14, "PERSON", 0.6)])], types=["PERSON"])
    assert set(result["per_type"]) == {"PERSON"}
    assert result["recall"] == 1.0


def test_f_beta_weights_recall() -> None:
    assert f_beta(1.0, 0.5) == pytest.approx(5 * 0.5 / (4 + 0.5))
    assert f_beta(0.0, 0.0) == 0.0
    assert f_beta(0.5, 1.0) > f_beta(1.0, 0.5)


def test_synonyms_map_to_presidio_names() -> None:
    assert canonical_type("email") == "EMAIL_ADDRESS"
    assert canonical_type("SSN") == "US_SSN"
    assert canonical_type("DOMAIN_NAME") == "URL"
    assert canonical_type("IBAN_CODE") == "IBAN_CODE"
    example = parse_example({"text": "x", "spans": [{"start": 0, "end": 1, "type": "phone"}]})
    assert example.spans == (GoldSpan(0, 1, "PHONE_NUMBER"),)


def test_evaluate_detector_reports_texts_seconds_and_progress() -> None:
    examples = [parse_example({"text": "ab", "spans": [{"start": 0, "end": 2, "type": "PERSON"}]})] * 3
    seen: list[int] = []
    result = evaluate_detector(lambda text: [PiiSpan(0, 1, "PERSON", 1.0)], examples, ["PERSON"], seen.append)
    assert result["texts"] == 3 and result["seconds"] >= 0 and seen == [1, 2, 3]
    assert result["recall"] == 1.0
