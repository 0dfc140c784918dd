"""Demo question specs to plans and back."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.errors import QueryError
from groundswell.core.query import ThemeTerm, Vocabulary
from groundswell.graph.spec import answer_value, plan_from_spec, theme_key_for

AS_OF = datetime(2026, 6, 1, tzinfo=UTC)
VOCAB = Vocabulary(
    taxonomy_version=3,
    themes=[
        ThemeTerm(key="auth", name="Authentication"),
        ThemeTerm(key="auth.sso", name="SSO login", parent_key="auth", parent_name="Authentication"),
        ThemeTerm(key="mobile", name="Mobile app"),
        ThemeTerm(key="mobile.crash", name="App crashes", parent_key="mobile", parent_name="Mobile app"),
    ],
)
WINDOW = {"start": "2026-05-01T00:00:00Z", "end": "2026-06-01T00:00:00Z"}


def test_theme_names_resolve_to_keys():
    assert theme_key_for("Authentication > SSO login", VOCAB) == "auth.sso"
    assert theme_key_for("mobile app", VOCAB) == "mobile"
    with pytest.raises(QueryError):
        theme_key_for("Billing", VOCAB)


def test_specs_become_plans():
    plan = plan_from_spec(
        {"kind": "count", "filters": {"theme": "Mobile app", "source": "googleplay", "sentiment": "negative",
                                      "window": WINDOW, "account_ids": ["A1"]}},
        vocabulary=VOCAB, as_of=AS_OF,
    )  # fmt: skip
    f = plan.filters
    assert (f.themes, f.sources, f.sentiments, f.accounts) == (["mobile"], ["googleplay"], ["negative"], ["A1"])
    assert f.window.start == datetime(2026, 5, 1, tzinfo=UTC) and plan.taxonomy_version == 3
    growth = plan_from_spec(
        {"kind": "ranking", "k": 3, "metric": "growth", "filters": {"window": WINDOW}, "previous_window": WINDOW},
        vocabulary=VOCAB, as_of=AS_OF,
    )  # fmt: skip
    assert (growth.metric, growth.k, growth.previous_window.end) == ("growth", 3, AS_OF)
    accounts = plan_from_spec({"kind": "set", "of": "account_id", "filters": {}}, vocabulary=VOCAB, as_of=AS_OF)
    assert accounts.group_by == "account"


def test_results_read_back_in_the_specs_shape():
    rows = [ResultRow(key="auth.sso", label="Authentication > SSO login", value=4, count=4, previous=1, delta=3)]
    ranking = ToolResult(tool="ranking", rows=rows)
    assert answer_value({"kind": "ranking"}, ranking) == [{"key": "Authentication > SSO login", "value": 4}]
    assert answer_value({"kind": "ranking", "metric": "growth"}, ranking) == [
        {"key": "Authentication > SSO login", "current": 4, "previous": 1, "delta": 3}
    ]
    assert answer_value({"kind": "comparison"}, ranking) == {"current": 4, "previous": 1, "delta": 3}
    assert answer_value({"kind": "number"}, ToolResult(tool="number", total=10.004)) == 10.0
