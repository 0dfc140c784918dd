"""The stored ``mixed`` flag (praise and a complaint in one unit) filters answers (SQLite and PG)."""

from __future__ import annotations

import sqlalchemy as sa
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.storage.analytics import run_plan
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification
from sqlmodel import col

from tests.storage.analytics_data import AS_OF, at, seed

ALL = Window(start=at(0), end=at(31), label="May")


def _count(engine, **filters) -> int:
    plan = QueryPlan(kind="count", as_of=AS_OF, taxonomy_version=1, filters=Filters(window=ALL, **filters))
    with session_scope(engine) as session:
        (result,) = run_plan(session=session, plan=plan, viewer=Viewer(name="admin"))
    return int(result.total)


def test_mixed_filter_keeps_only_flagged_units_or_only_the_rest(engine) -> None:
    seed(engine)
    everything = _count(engine)
    assert _count(engine, mixed=True) == 0  # nothing is flagged by default
    with session_scope(engine) as session:
        session.execute(
            sa.update(Classification)
            .where(col(Classification.unit_id).in_(["u01", "u02"]), col(Classification.taxonomy_version) == 1)
            .values(mixed=True)
        )
    assert _count(engine, mixed=True) == 2
    assert _count(engine, mixed=False) == everything - 2
    assert _count(engine, mixed=None) == everything
