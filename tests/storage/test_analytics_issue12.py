"""#12 execution: ARR bounds, at-risk signals, owner-team grouping, ``overview`` and ``owners`` (SQLite and PG).

Figures worked out by hand from tests/storage/analytics_data.py (taxonomy v1, window = all of May):
ARR at the unit's time: u01 100, u02 10, u03 20, u04 150, u05 300, u06 5, u07 300 (earliest), u08 none, u12 5.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.storage.analytics import run_plan
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification, Ticket
from sqlmodel import col

from tests.storage.analytics_data import AS_OF, at, seed

ADMIN = Viewer(name="admin")
ALL = Window(start=at(0), end=at(31), label="May")


@pytest.fixture
def seeded(engine):
    seed(engine)
    return engine


def _run(engine, viewer: Viewer = ADMIN, **plan: Any):
    plan.setdefault("as_of", AS_OF)
    plan.setdefault("taxonomy_version", 1)
    plan.setdefault("filters", Filters(window=ALL))
    with session_scope(engine) as session:
        (result,) = run_plan(session=session, plan=QueryPlan(**plan), viewer=viewer)
    return result


def _count(engine, **filters: Any) -> int:
    return int(_run(engine, kind="count", filters=Filters(window=ALL, **filters)).total)


def test_arr_bounds_use_the_snapshot_at_the_units_time_inclusive(seeded):
    assert _count(seeded) == 9
    assert _count(seeded, arr_min=100) == 4  # u01 (100), u04 (150), u05, u07 (300); u08 has no account
    assert _count(seeded, arr_max=20) == 4  # u02 (10), u03 (20), u06, u12 (5)
    assert _count(seeded, arr_min=100, arr_max=150) == 2  # u01, u04: A1 went 100 -> 150, both times inside
    assert _count(seeded, arr_min=20, arr_max=20) == 1  # u03: Bolt at 20 from day 5
    assert _count(seeded, arr_min=301) == 0


def test_at_risk_signals_are_negative_or_churn_risk_replacing_sentiment_and_intent(seeded):
    assert _count(seeded, at_risk_signals=True) == 6  # the six negative units
    with session_scope(seeded) as session:
        session.execute(
            sa.update(Classification)
            .where(col(Classification.unit_id) == "u07", col(Classification.taxonomy_version) == 1)
            .values(intent="churn_risk")
        )
    assert _count(seeded, at_risk_signals=True) == 7  # + u07: neutral but churn risk
    assert _count(seeded, at_risk_signals=True, sentiments=["positive"], intents=["praise"]) == 7
    assert _count(seeded, sentiments=["negative"], intents=["churn_risk"]) == 0  # the plain conjunction


def test_ranking_by_owner_team(seeded):
    result = _run(seeded, kind="ranking", group_by="owner_team")
    assert [(r.key, r.count) for r in result.rows] == [("Identity team", 7), ("Finance", 2)]
    assert all(r.unit_ids for r in result.rows)


def test_overview_of_a_theme(seeded):
    result = _run(seeded, kind="overview", filters=Filters(window=ALL, themes=["auth"]))
    assert result.total == 7
    assert [(r.key, r.count) for r in result.rows] == [("auth.sso", 5), ("auth.mfa", 2)]
    assert result.rows[0].label == "Authentication > SSO login"
    assert result.meta["intents"] == [{"key": "bug_report", "count": 7}]
    assert [w["count"] for w in result.meta["trend"]] == [4, 1, 1, 1, 0]  # weeks from May 1; the last partial
    assert [w["partial"] for w in result.meta["trend"]] == [False, False, False, False, True]
    narrow = _run(seeded, kind="overview", filters=Filters(window=ALL, themes=["auth"]), viewer=Viewer(
        name="z", sources=frozenset({"zendesk"})))  # fmt: skip
    assert narrow.total == 4  # zendesk only: u01, u02, u07, u08 (a source scope keeps units without account)
    assert {i for r in narrow.rows for i in r.unit_ids} <= {"u01", "u02", "u07", "u08"}


def test_owners_with_top_themes_and_open_tickets(seeded):
    now = AS_OF
    with session_scope(seeded) as session:
        for i, (team, status, keys) in enumerate(
            [
                ("Finance", "open", []),
                (None, "open", ["auth.sso"]),
                ("Identity team", "closed", []),
                (None, "open", ["billing.invoice", "nope"]),
                ("Finance", "draft", []),
            ]
        ):
            session.add(Ticket(tracker="local", title=f"t{i}", team=team, status=status, theme_keys=keys,
                               idempotency_key=f"k{i}", created_at=now, updated_at=now))  # fmt: skip
    result = _run(seeded, kind="owners")
    assert [(r.key, r.count) for r in result.rows] == [("Identity team", 7), ("Finance", 2)]
    identity, finance = result.rows
    assert identity.extra["top_themes"] == [
        {"key": "auth.sso", "label": "Authentication > SSO login", "count": 5},
        {"key": "auth.mfa", "label": "Authentication > MFA", "count": 2},
    ]
    assert (identity.extra["open_tickets"], finance.extra["open_tickets"]) == (1, 2)
    assert result.meta["unowned"] == 0


def test_owners_open_tickets_count_only_tickets_a_restricted_viewer_has_evidence_for(seeded):
    now = AS_OF
    with session_scope(seeded) as session:
        for i, units in enumerate([["u01"], ["u05"], ["u05", "u02"], []]):  # u01/u02 zendesk, u05 gong
            session.add(Ticket(tracker="local", title=f"t{i}", team="Identity team", status="open", unit_ids=units,
                               idempotency_key=f"s{i}", created_at=now, updated_at=now))  # fmt: skip
    zendesk_only = Viewer(name="z", sources=frozenset({"zendesk"}))
    (identity,) = [r for r in _run(seeded, kind="owners", viewer=zendesk_only).rows if r.key == "Identity team"]
    assert identity.extra["open_tickets"] == 2  # t0 and t2; t1's only evidence is a gong unit, t3 has none
    (identity,) = [r for r in _run(seeded, kind="owners").rows if r.key == "Identity team"]
    assert identity.extra["open_tickets"] == 4  # an unrestricted viewer counts every open ticket


def test_account_set_rows_carry_the_renewal_date_at_as_of(seeded):
    result = _run(seeded, kind="set", group_by="account")
    renewals = {r.key: r.extra["renewal_date"] for r in result.rows}
    assert renewals == {"A1": "2026-06-20", "A2": "2026-09-01", "A3": "2026-06-05", "A4": None}
