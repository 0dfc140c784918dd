from datetime import UTC, datetime

import pytest
from groundswell.core.classify.gold import GoldItem, gate, score_gold
from groundswell.core.taxonomy import Taxonomy

from tests.core.classify.test_units import THEMES

TAXONOMY = Taxonomy(1, THEMES)


def _item(uid: str, theme: str | None, source: str = "zendesk", month: int = 1) -> GoldItem:
    return GoldItem(uid, f"text {uid}", source, datetime(2026, month, 5, tzinfo=UTC), theme)


ITEMS = [
    _item("a", "export.csv"),
    _item("b", "export.csv", "intercom"),
    _item("c", "export.xlsx", month=2),
    _item("d", "auth.sso", "intercom", month=2),
    _item("e", None),
]


def test_scores_per_theme_sibling_confusion_and_drift():
    report = score_gold(TAXONOMY, ITEMS, ["export.csv", "export.xlsx", "export.xlsx", "auth.mfa", None])
    assert (report["gold"], report["accuracy"], report["coverage"]) == (5, 0.6, 0.8)
    assert report["per_theme"]["export.csv"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert report["per_theme"]["other"]["f1"] == 1.0
    assert report["sibling_confusion"] == [
        {"truth": "auth.sso", "predicted": "auth.mfa", "count": 1, "parent": "auth"},
        {"truth": "export.csv", "predicted": "export.xlsx", "count": 1, "parent": "export"},
    ]
    assert report["drift"]["by_source"] == {
        "intercom": {"accuracy": 0.0, "count": 2},
        "zendesk": {"accuracy": 1.0, "count": 3},
    }
    assert report["drift"]["by_month"] == {
        "2026-01": {"accuracy": 0.6667, "count": 3},
        "2026-02": {"accuracy": 0.5, "count": 2},
    }


def test_cross_parent_mistakes_and_other_are_not_sibling_confusion():
    report = score_gold(TAXONOMY, ITEMS[:1] + ITEMS[4:], ["auth.sso", "export.csv"])
    assert report["sibling_confusion"] == [] and report["accuracy"] == 0.0
    with pytest.raises(ValueError, match="2 gold items but 1"):
        score_gold(TAXONOMY, ITEMS[:2], ["export.csv"])


def test_gate_promotes_within_tolerance_and_fails_beyond_it():
    baseline = {"accuracy": 0.8, "macro_f1": 0.7}
    assert gate({"accuracy": 0.79, "macro_f1": 0.69}, baseline, 0.02).passed
    result = gate({"accuracy": 0.79, "macro_f1": 0.6}, baseline, 0.02)
    assert not result.passed and "macro_f1 0.7000 -> 0.6000" in result.message and "accuracy" not in result.message
    assert gate({"accuracy": 0.9, "macro_f1": 0.9}, baseline, 0.0).message.startswith("promote")
    with pytest.raises(ValueError, match="baseline has no 'accuracy'"):
        gate({"accuracy": 0.9, "macro_f1": 0.9}, {}, 0.02)
