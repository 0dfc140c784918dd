"""Per-theme label precision from `eval gold`, read back for the themes an answer rests on."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.classify.gold import theme_precision_counts
from groundswell.core.query import Filters, QueryPlan
from groundswell.core.taxonomy import Taxonomy
from groundswell.storage.db import session_scope
from groundswell.storage.label_quality import attach_label_quality, label_quality, save_label_quality, themes_behind
from groundswell.storage.taxonomy import save_taxonomy

from tests.core.classify.test_units import THEMES

AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def test_counts_are_per_predicted_theme() -> None:
    truth = ["export.csv", "export.csv", "auth.sso", None]
    predicted = ["export.csv", "auth.sso", "auth.sso", "other"]
    assert theme_precision_counts(truth, predicted) == {"export.csv": (1, 1), "auth.sso": (2, 1)}


def test_saved_figures_are_read_per_leaf_and_parent_and_replaced_by_the_next_run(engine) -> None:
    with session_scope(engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
        counts = {"export.csv": (10, 9), "export.xlsx": (10, 7), "auth.sso": (4, 4)}
        save_label_quality(session=session, version=1, gold_set="default", counts=counts, measured_at=AS_OF)
        read = label_quality(session=session, version=1, keys=["export.csv", "export", "auth.mfa"])
        assert [(r["name"], r["reviewed"], r["precision"]) for r in read] == [
            ("Data export > CSV export timeouts", 10, 0.9),
            ("Data export", 20, 0.8),  # the parent adds up its leaves
            ("Authentication > Two-factor codes", 0, None),  # not yet measured
        ]
        save_label_quality(session=session, version=1, gold_set="default", counts={"auth.sso": (5, 4)},
                           measured_at=AS_OF)  # fmt: skip
        assert label_quality(session=session, version=1, keys=["export.csv"])[0]["precision"] is None
        rows = [ResultRow(key="auth.sso", label="Authentication > SSO login failures", value=3)]
        results = [ToolResult(tool="ranking", rows=rows, meta={"taxonomy_version": 1})]
        attach_label_quality(session=session, plan=QueryPlan(kind="ranking", as_of=AS_OF), results=results)
        assert results[0].meta["label_quality"][0] | {"measured_at": None} == {
            "key": "auth.sso", "name": "Authentication > SSO login failures", "reviewed": 5, "precision": 0.8,
            "measured_at": None,
        }  # fmt: skip


def test_only_answers_resting_on_theme_labels_get_a_statement() -> None:
    rows = [ResultRow(key="enterprise", label="enterprise", value=3)]
    by_segment = QueryPlan(kind="ranking", group_by="segment", as_of=AS_OF)
    assert themes_behind(by_segment, [ToolResult(tool="ranking", rows=rows)]) == []
    filtered = QueryPlan(kind="count", filters=Filters(themes=["auth"]), as_of=AS_OF)
    assert themes_behind(filtered, [ToolResult(tool="count", total=3)]) == ["auth"]
