"""Exclusions ("not from zendesk", "excluding SMB", "other than auth") filter answers (SQLite and PG)."""

from __future__ import annotations

from groundswell.core.query import Exclusions, Filters, QueryPlan, Viewer, Window
from groundswell.storage.analytics import run_plan
from groundswell.storage.db import session_scope

from tests.storage.analytics_data import AS_OF, at, seed

ALL = Window(start=at(0), end=at(31), label="May")  # countable: u01-u08 and u12 (9 units)


def _count(engine, exclude: Exclusions, **filters) -> int:
    plan = QueryPlan(kind="count", as_of=AS_OF, taxonomy_version=1,
                     filters=Filters(window=ALL, exclude=exclude, **filters))  # fmt: skip
    with session_scope(engine) as session:
        (result,) = run_plan(session=session, plan=plan, viewer=Viewer(name="admin"))
    return int(result.total)


def test_each_exclusion_drops_only_the_units_ruled_out(engine) -> None:
    seed(engine)
    assert _count(engine, Exclusions()) == 9
    assert _count(engine, Exclusions(sources=["zendesk"])) == 5  # u01 u02 u07 u08 dropped
    # SMB at the time of the unit: u02 (Bolt on day 3), u06 and u12 (Dune); u08 has no account and is kept
    assert _count(engine, Exclusions(segments=["smb"])) == 6
    assert _count(engine, Exclusions(themes=["auth"])) == 2  # a parent rules out its children: u05 and u12 left
    assert _count(engine, Exclusions(sentiments=["negative"])) == 3
    assert _count(engine, Exclusions(plans=["Starter"])) == 6  # as SMB: Bolt was on Starter then, Dune always


def test_exclusions_combine_with_positive_filters(engine) -> None:
    seed(engine)
    # zendesk units: u01 (Acme, Enterprise), u02 (Bolt, SMB), u07 (Cyan, Enterprise), u08 (no account)
    assert _count(engine, Exclusions(segments=["Enterprise"]), sources=["zendesk"]) == 2
    # either ruled-out value drops a unit: mfa (u03, u08) or intercom (u03, u04, u12)
    assert _count(engine, Exclusions(themes=["auth.mfa"], sources=["intercom"])) == 5
