"""Exactness: every demo question, answered by run_plan over the truth loaded in the DB, equals its expected value."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.query import Filters, QueryPlan, Viewer
from graph.spec import answer_value, plan_from_spec
from storage.analytics import run_plan, vocabulary
from storage.db import session_scope
from tests.storage.truth_db import Truth, load_truth, read_truth

END = datetime(2026, 6, 1, tzinfo=UTC)
ADMIN = Viewer(name="admin", role="admin")


@pytest.fixture(scope="module")
def truth(tmp_path_factory: pytest.TempPathFactory) -> Truth:
    from demo.generate import generate_demo

    summary = generate_demo(tmp_path_factory.mktemp("truth") / "out", records=600, seed=3, end=END)
    return read_truth(summary.truth_dir)


def test_every_demo_question_is_answered_exactly(engine, truth):
    load_truth(engine, truth)
    wrong = []
    with session_scope(engine) as session:
        vocab = vocabulary(session=session, as_of=truth.as_of)
        for q in truth.questions:
            spec = q["expected"]
            plan = plan_from_spec(spec, vocabulary=vocab, as_of=truth.as_of, question=q["question"])
            (result,) = run_plan(session=session, plan=plan, viewer=ADMIN)
            assert result.meta["taxonomy_version"] == 1
            got = answer_value(spec, result)
            if got != spec["value"]:
                wrong.append((q["id"], q["question"], spec["value"], got))
    assert len(truth.questions) >= 30
    assert not wrong, wrong


def test_renewing_within_days_uses_the_current_renewal_date(engine, truth):
    load_truth(engine, truth)
    (q,) = [q for q in truth.questions if q["expected"]["kind"] == "count" and "account_ids" in q["expected"]["filters"]]
    spec = q["expected"]
    with session_scope(engine) as session:
        vocab = vocabulary(session=session, as_of=truth.as_of)
        by_ids = plan_from_spec(spec, vocabulary=vocab, as_of=truth.as_of)
        renewing = by_ids.model_copy(
            update={"filters": Filters(window=by_ids.filters.window, renewing_within_days=60)}
        )
        (result,) = run_plan(session=session, plan=renewing, viewer=ADMIN)
        accounts = run_plan(
            session=session,
            plan=QueryPlan(kind="set", group_by="account", filters=renewing.filters, as_of=truth.as_of),
            viewer=ADMIN,
        )[0]
    assert result.total == spec["value"]
    assert {r.key for r in accounts.rows} <= set(spec["filters"]["account_ids"])
