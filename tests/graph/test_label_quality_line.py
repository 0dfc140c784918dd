"""Answers resting on theme labels say how precise those labels measured on reviewed units; the verifier agrees."""

from __future__ import annotations

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import Filters, QueryPlan
from groundswell.graph.compose import label_quality_line

from tests.graph.test_compose_issue12 import AS_OF, LAST_30, _compose

QUALITY = [
    {"key": "auth.sso", "name": "Authentication > SSO login", "reviewed": 120, "precision": 0.9083},
    {"key": "billing.invoice", "name": "Billing > Invoices", "reviewed": 0, "precision": None},
]


def test_measured_and_unmeasured_themes_are_both_said() -> None:
    line = label_quality_line([ToolResult(tool="ranking", meta={"label_quality": QUALITY})])
    assert line == (
        "Theme labels (held-out check on reviewed units): Authentication > SSO login 0.91 precise on 120 reviewed"
        " units; Billing > Invoices not yet measured."
    )
    assert label_quality_line([ToolResult(tool="count", total=3)]) == ""  # nothing rests on theme labels


def test_the_footer_states_it_and_the_verifier_accepts_its_numbers() -> None:
    rows = [ResultRow(key="auth.sso", label="Authentication > SSO login", value=12, count=12),
            ResultRow(key="billing.invoice", label="Billing > Invoices", value=7, count=7)]  # fmt: skip
    plan = QueryPlan(kind="ranking", filters=Filters(window=LAST_30), as_of=AS_OF)
    _, text = _compose(plan, ToolResult(tool="ranking", rows=rows, meta={"label_quality": QUALITY}))
    assert "SSO login 0.91 precise on 120 reviewed units" in text and "Invoices not yet measured" in text
