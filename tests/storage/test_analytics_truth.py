"""Exactness: every demo question, answered by run_plan over the truth loaded in the DB, equals its expected value."""

from __future__ import annotations

from groundswell.core.query import Filters, QueryPlan, Viewer
from groundswell.graph.spec import answer_value, plan_from_spec
from groundswell.storage.analytics import run_plan, vocabulary
from groundswell.storage.db import session_scope

from tests.storage.truth_db import load_truth

ADMIN = Viewer(name="admin", role="admin")


def test_every_demo_question_is_answered_exactly(engine, demo_truth):
    load_truth(engine, demo_truth)
    wrong = []
    with session_scope(engine) as session:
        vocab = vocabulary(session=session, as_of=demo_truth.as_of)
        for q in demo_truth.questions:
            spec = q["expected"]
            plan = plan_from_spec(spec, vocabulary=vocab, as_of=demo_truth.as_of, question=q["question"])
            (result,) = run_plan(session=session, plan=plan, viewer=ADMIN)
            assert result.meta["taxonomy_version"] == 1
            got = answer_value(spec, result)
            if got != spec["value"]:
                wrong.append((q["id"], q["question"], spec["value"], got))
    assert len(demo_truth.questions) >= 30
    assert not wrong, wrong


def test_renewing_within_days_uses_the_current_renewal_date(engine, demo_truth):
    load_truth(engine, demo_truth)
    (q,) = [
        q
        for q in demo_truth.questions
        if q["expected"]["kind"] == "count" and "account_ids" in q["expected"]["filters"]
    ]
    spec = q["expected"]
    with session_scope(engine) as session:
        vocab = vocabulary(session=session, as_of=demo_truth.as_of)
        by_ids = plan_from_spec(spec, vocabulary=vocab, as_of=demo_truth.as_of)
        renewing = by_ids.model_copy(update={"filters": Filters(window=by_ids.filters.window, renewing_within_days=60)})
        (result,) = run_plan(session=session, plan=renewing, viewer=ADMIN)
        accounts = run_plan(
            session=session,
            plan=QueryPlan(kind="set", group_by="account", filters=renewing.filters, as_of=demo_truth.as_of),
            viewer=ADMIN,
        )[0]
    assert result.total == spec["value"]
    assert {r.key for r in accounts.rows} <= set(spec["filters"]["account_ids"])
