"""No leak: for several viewers x every plan kind, figures count only what the viewer may see, and every
evidence id, quote and account id comes from a visible unit.

The reference is ``demo.answers.evaluate`` run over the truth units the viewer may see (sources, segment at
the time, accounts), so a count that included one hidden unit would differ.
"""

from __future__ import annotations

from typing import Any

import pytest
from groundswell.core.answer import ToolResult
from groundswell.core.query import Filters, QueryPlan, Viewer
from groundswell.demo.answers import evaluate, matches
from groundswell.graph.quotes import representative_quotes
from groundswell.graph.spec import answer_value, plan_from_spec
from groundswell.storage.analytics import quote_candidates, run_plan, vocabulary
from groundswell.storage.db import session_scope

from tests.storage.truth_db import Truth, load_truth


def _viewers(truth: Truth) -> list[Viewer]:
    accounts = sorted({u["account_id"] for u in truth.units if u["account_id"]})
    return [
        Viewer(name="admin", role="admin"),
        Viewer(name="support", sources=frozenset({"zendesk", "gong"})),
        Viewer(name="enterprise-am", segments=frozenset({"Enterprise"})),
        Viewer(name="book", accounts=frozenset(accounts[::3])),
        Viewer(name="mixed", sources=frozenset({"intercom", "zendesk"}), segments=frozenset({"SMB", "Mid-Market"})),
        Viewer(name="nobody", sources=frozenset()),
    ]


def _visible(truth: Truth, viewer: Viewer) -> list[dict[str, Any]]:
    return [
        u
        for u in truth.units
        if (viewer.sources is None or u["source"] in viewer.sources)
        and (viewer.segments is None or u["segment"] in viewer.segments)
        and (viewer.accounts is None or u["account_id"] in viewer.accounts)
    ]


def _ids(result: ToolResult) -> set[str]:
    ids = set(result.unit_ids)
    for row in result.rows:
        ids |= set(row.unit_ids)
    if result.tool == "set" and result.meta.get("of") == "units":
        ids |= {row.key for row in result.rows}
    return ids


def _in(unit: dict[str, Any], plan: QueryPlan) -> bool:
    """The unit matches the window and account filters of ``plan`` (all the extra plans use)."""
    w, accounts = plan.filters.window, plan.filters.accounts
    created = unit["created_at"]
    inside = w is None or w.start.isoformat().replace("+00:00", "Z") <= created < w.end.isoformat().replace(
        "+00:00", "Z"
    )
    return inside and (not accounts or unit["account_id"] in accounts)


def _extra_plans(truth: Truth) -> list[QueryPlan]:
    """Kinds and metrics the demo questions do not cover."""
    w90 = plan_from_spec(truth.questions[4]["expected"], vocabulary=_VOCAB[0], as_of=truth.as_of).filters.window
    base = {"as_of": truth.as_of, "filters": Filters(window=w90)}
    some_account = sorted({u["account_id"] for u in truth.units if u["account_id"]})[0]
    return [
        QueryPlan(kind="trend", bucket="week", **base),
        QueryPlan(kind="trend", bucket="month", **base),
        QueryPlan(kind="ranking", metric="priority", **base),
        QueryPlan(kind="ranking", metric="negative_share", group_by="parent_theme", **base),
        QueryPlan(kind="ranking", metric="arr", group_by="account", k=10, **base),
        QueryPlan(kind="ranking", metric="count", group_by="plan", **base),
        QueryPlan(kind="set", group_by="account", **base),
        QueryPlan(kind="quotes", **base),
        QueryPlan(kind="account", as_of=truth.as_of, filters=Filters(accounts=[some_account])),
    ]


_VOCAB: list[Any] = []


@pytest.fixture
def loaded(engine, demo_truth):
    load_truth(engine, demo_truth)
    with session_scope(engine) as session:
        _VOCAB[:] = [vocabulary(session=session, as_of=demo_truth.as_of)]
    return engine


def test_no_viewer_sees_or_counts_a_hidden_unit(loaded, demo_truth):
    truth = demo_truth
    by_id = {u["signal_id"]: u for u in truth.units}
    vocab = _VOCAB[0]
    with session_scope(loaded) as session:
        for viewer in _viewers(truth):
            visible = _visible(truth, viewer)
            visible_ids = {u["signal_id"] for u in visible if not u["duplicate_of"]}
            visible_accounts = {u["account_id"] for u in visible if u["account_id"] and not u["duplicate_of"]}
            for q in truth.questions:
                spec = q["expected"]
                (result,) = run_plan(session=session, plan=plan_from_spec(spec, vocabulary=vocab, as_of=truth.as_of),
                                     viewer=viewer)  # fmt: skip
                assert answer_value(spec, result) == evaluate(visible, spec), (viewer.name, q["id"])
                leaked = {i for i in _ids(result) if i not in visible_ids or not matches(by_id[i], spec["filters"])}
                assert not leaked, (viewer.name, q["id"], leaked)
            for plan in _extra_plans(truth):
                (result,) = run_plan(session=session, plan=plan, viewer=viewer)
                assert _ids(result) <= visible_ids, (viewer.name, plan.kind, plan.metric)
                if plan.group_by == "account" and plan.kind in ("set", "ranking"):
                    assert {r.key for r in result.rows} <= visible_accounts
                if plan.kind == "account" and plan.filters.accounts[0] not in visible_accounts:
                    assert result.total == 0 and not result.rows
                if plan.kind in ("quotes", "account"):
                    quotes = quote_candidates(session=session, plan=plan, viewer=viewer, limit=50)
                    assert {c.unit_id for c in quotes} <= visible_ids
                    cited = representative_quotes(session=session, plan=plan, viewer=viewer, limit=5)
                    assert {c.unit_id for c in cited} <= visible_ids
                    assert len(quotes) == min(50, len({i for i in visible_ids if _in(by_id[i], plan)}))
            if viewer.name == "nobody":
                assert not visible_ids
