"""Synthetic growth for benchmarks keeps the template's distributions (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.storage.analytics import run_plan
from groundswell.storage.db import session_scope
from groundswell.storage.models import Account, FeedbackUnit
from groundswell.storage.synthetic import grow_corpus
from sqlmodel import select

from tests.storage.analytics_data import AS_OF, at, seed

ADMIN = Viewer(name="admin")
# wide enough that the half-day jitter of copies never moves a unit out of it
ALL = Window(start=at(0) - timedelta(days=2), end=at(31) + timedelta(days=2), label="May")


def _ranking(engine, group_by: str, **filters) -> dict[str, float]:
    plan = QueryPlan(kind="ranking", group_by=group_by, k=10, as_of=AS_OF, filters=Filters(window=ALL, **filters))
    with session_scope(engine) as session:
        (result,) = run_plan(session=session, plan=plan, viewer=ADMIN)
    return {r.key: r.value for r in result.rows}


def test_growth_multiplies_every_distribution(engine):
    seed(engine)
    themes, segments = _ranking(engine, "theme"), _ranking(engine, "segment", sentiments=["negative"])
    with session_scope(engine) as session:
        before = len(session.exec(select(FeedbackUnit)).all())
        accounts = len(session.exec(select(Account)).all())
    first = grow_corpus(engine, target=before + 2 * 9, seed=1)
    assert first.template_units == 9  # countable, classified units only: no duplicate, deleted or agent unit
    assert (first.units_before, first.units_after, first.accounts_added) == (before, before + 18, 2 * accounts)
    assert _ranking(engine, "theme") == {k: 3 * v for k, v in themes.items()}
    assert _ranking(engine, "segment", sentiments=["negative"]) == {k: 3 * v for k, v in segments.items()}
    again = grow_corpus(engine, target=before + 18 + 4, seed=1)  # a later run continues, cut short
    assert again.units_after == before + 22
    with session_scope(engine) as session:
        ids = [u.id for u in session.exec(select(FeedbackUnit)).all()]
        copies = [a.name for a in session.exec(select(Account)).all() if "#" in a.name]
    assert len(ids) == len(set(ids)) == before + 22
    assert sorted({name.rsplit("#", 1)[1] for name in copies}) == ["1", "2", "3"]


def test_growth_needs_a_classified_corpus(engine):
    with pytest.raises(ValueError, match="classified corpus"):
        grow_corpus(engine, target=10)
