"""Lost pipeline (filter, ``lost_amount`` metric, churn-risk OR lost pipeline) on the hand-made dataset.

Deals added to tests/storage/analytics_data.py (window "May" = [May 1, Jun 1), as_of Jun 1):
  O1 A1 Acme  closed lost 40,000 on May 20   O2 A2 Bolt closed lost 10,000 on Jun 10
  O3 A3 Cyan  closed WON  99,000 on May 11   O4 A4 Dune closed lost (no amount) on May 6
  O5 A1 Acme  closed lost  5,000 on Apr 1    O6 A9 (unknown account) closed lost 7,000 on May 9
Countable units in May (v1): u01 A1, u02 A2, u03 A2, u04 A1, u05 A3, u06 A4, u07 A3, u08 (no account), u12 A4.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from groundswell.core.models import OpportunityDoc
from groundswell.core.query import Filters, QueryPlan, RankingWeights, Viewer, Window
from groundswell.storage.analytics import run_plan
from groundswell.storage.analytics.pipeline import attribute_deals
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification, Opportunity
from groundswell.storage.pipeline import delete_opportunity, upsert_opportunity
from sqlmodel import select

from tests.storage.analytics_data import AS_OF, at, seed

ADMIN = Viewer(name="admin")
MAY = Window(start=at(0), end=at(31), label="May")
DEALS = [
    ("O1", "A1", True, False, 40_000.0, date(2026, 5, 20)),
    ("O2", "A2", True, False, 10_000.0, date(2026, 6, 10)),
    ("O3", "A3", True, True, 99_000.0, date(2026, 5, 11)),
    ("O4", "A4", True, False, None, date(2026, 5, 6)),
    ("O5", "A1", True, False, 5_000.0, date(2026, 4, 1)),
    ("O6", "A9", True, False, 7_000.0, date(2026, 5, 9)),
]


def _deal(ext: str, account: str, closed: bool, won: bool, amount: float | None, when: date) -> OpportunityDoc:
    return OpportunityDoc(source="salesforce", external_id=ext, account_external_id=account, name=f"Deal {ext}",
                          stage="Closed Won" if won else "Closed Lost", is_closed=closed, is_won=won, amount=amount,
                          close_date=when, loss_reason=None if won else "Went with a competitor")  # fmt: skip


@pytest.fixture
def seeded(engine):
    seed(engine)
    with session_scope(engine) as session:
        for deal in DEALS:
            upsert_opportunity(session=session, doc=_deal(*deal))
        u05 = session.exec(select(Classification).where(Classification.unit_id == "u05")).all()
        for row in u05:
            row.intent = "churn_risk"
            session.add(row)
    return engine


def _run(engine, viewer: Viewer = ADMIN, **plan: Any):
    plan.setdefault("as_of", AS_OF)
    plan.setdefault("taxonomy_version", 1)
    with session_scope(engine) as session:
        (result,) = run_plan(session=session, plan=QueryPlan(**plan), viewer=viewer)
    return result


def _count(engine, **filters: Any) -> int:
    filters.setdefault("window", MAY)
    return int(_run(engine, kind="count", filters=Filters(**filters)).total)


def test_lost_pipeline_filter_keeps_accounts_that_lost_a_deal_in_the_window_or_n_days_after(seeded):
    assert _count(seeded, lost_pipeline_days=0) == 4  # A1 (O1), A4 (O4): u01 u04 u06 u12; O5 is before May
    assert _count(seeded, lost_pipeline_days=9) == 4  # O2 closes Jun 10: day 10 after the window
    assert _count(seeded, lost_pipeline_days=10) == 6  # + A2: u02 u03
    assert _count(seeded, window=None, lost_pipeline_days=0) == 4  # no window: any loss before as_of (O1 O4 O5)


def test_churn_risk_or_lost_pipeline_is_one_combined_set(seeded):
    assert _count(seeded, intents=["churn_risk"]) == 1  # u05 (A3, which won its deal)
    assert _count(seeded, intents=["churn_risk"], lost_pipeline_days=0) == 0  # AND
    assert _count(seeded, intents=["churn_risk"], lost_pipeline_days=0, intents_or_lost_pipeline=True) == 5


def test_lost_amount_ranking_attributes_each_deal_once(seeded):
    result = _run(seeded, kind="ranking", metric="lost_amount", group_by="theme", filters=Filters(window=MAY))
    rows = [(r.key, r.value, r.extra["lost_deals"], r.extra["lost_accounts"]) for r in result.rows]
    # auth.sso: A1 twice (u01, u04) but O1 once, A4's O4 has no amount; auth.mfa: A2's O2 is after May -> no row
    assert rows == [("auth.sso", 40_000.0, 2, 2), ("billing.invoice", 0.0, 1, 1)]
    assert result.meta["lost_days"] == 0
    later = _run(seeded, kind="ranking", metric="lost_amount", filters=Filters(window=MAY, lost_pipeline_days=10))
    # O2 (A2: auth.sso and auth.mfa, reason names no theme) splits evenly: 5,000 each
    assert [(r.key, r.value, r.extra["lost_deals"]) for r in later.rows] == [
        ("auth.sso", 45_000.0, 3),
        ("auth.mfa", 5_000.0, 1),
        ("billing.invoice", 0.0, 1),
    ]
    assert later.meta["lost_attribution"] == {"loss_reason": 0, "split": 3}
    total = _run(seeded, kind="number", metric="lost_amount", filters=Filters(window=MAY, lost_pipeline_days=10))
    assert sum(r.value for r in later.rows) == total.total == 50_000.0


def test_a_loss_reason_naming_a_theme_credits_that_theme_only(seeded):
    with session_scope(seeded) as session:
        o2 = session.exec(select(Opportunity).where(Opportunity.external_id == "O2")).one()
        o2.loss_reason = "Lost to a competitor: no Single Sign-On for contractors"  # alias of auth.sso
        session.add(o2)
    later = _run(seeded, kind="ranking", metric="lost_amount", filters=Filters(window=MAY, lost_pipeline_days=10))
    assert [(r.key, r.value) for r in later.rows] == [("auth.sso", 50_000.0), ("billing.invoice", 0.0)]
    assert later.meta["lost_attribution"] == {"loss_reason": 1, "split": 2}


def test_attribute_deals_sums_to_the_total_lost():
    names = {"a": ["SSO login", "single sign-on"], "b": ["MFA"], "c": ["Invoices"]}
    deals = [
        (1, 10, 900.0, "missing MFA and invoices", ["a", "b", "c"]),  # names b and c: 450 each
        (2, 11, 100.0, "budget", ["a", "b", "c"]),  # no theme named: 33.33 each
        (3, 12, 50.0, "smfa is not a word match", ["b"]),
    ]
    groups, how = attribute_deals(deals, names)
    assert how == {"loss_reason": 1, "split": 2}
    assert {g: p.amount for g, p in groups.items()} == {"a": 33.33, "b": 533.33, "c": 483.33}
    assert abs(sum(p.amount for p in groups.values()) - 1050.0) < 0.02
    assert (groups["b"].deals, groups["b"].accounts) == (3, 3)
    # deal 1 is shared by b and c, deal 2 by a, b and c; deal 3 is b's alone
    assert {g: p.shared for g, p in groups.items()} == {"a": 1, "b": 2, "c": 2}


def test_count_rankings_carry_the_lost_deals_when_the_filter_is_set(seeded):
    result = _run(seeded, kind="ranking", filters=Filters(window=MAY, lost_pipeline_days=0))
    by_key = {r.key: (r.value, r.extra["lost_amount"], r.extra["lost_deals"]) for r in result.rows}
    assert by_key == {"auth.sso": (3.0, 40_000.0, 2), "billing.invoice": (1.0, 0.0, 1)}


def test_lost_amount_number_and_account_set(seeded):
    total = _run(seeded, kind="number", metric="lost_amount", filters=Filters(window=MAY, lost_pipeline_days=10))
    assert (total.total, total.meta["lost_deals"], total.meta["lost_accounts"]) == (50_000.0, 3, 3)
    accounts = _run(seeded, kind="set", group_by="account", filters=Filters(window=MAY, lost_pipeline_days=0))
    assert {r.key: r.extra["lost_amount"] for r in accounts.rows} == {"A1": 40_000.0, "A4": 0.0}


def test_viewer_scopes_apply_to_lost_pipeline(seeded):
    plan: dict[str, Any] = dict(
        kind="ranking", metric="lost_amount", filters=Filters(window=MAY, lost_pipeline_days=10)
    )
    only_acme = _run(seeded, Viewer(name="a", accounts=frozenset({"A1"})), **plan)
    assert [(r.key, r.value) for r in only_acme.rows] == [("auth.sso", 40_000.0)]
    smb = _run(seeded, Viewer(name="s", segments=frozenset({"SMB"})), **plan)
    # SMB at the time: u02 (A2 on day 3), u06 and u12 (A4); u03 is A2 as Mid-Market: not visible
    assert [(r.key, r.value, r.extra["lost_deals"]) for r in smb.rows] == [
        ("auth.sso", 10_000.0, 2),
        ("billing.invoice", 0.0, 1),
    ]
    nobody = _run(seeded, Viewer(name="n", accounts=frozenset()), **plan)
    assert nobody.rows == []


def test_upsert_updates_in_place_and_tombstone_removes(seeded):
    with session_scope(seeded) as session:
        upsert_opportunity(session=session, doc=_deal("O2", "A2", True, False, 12_500.0, date(2026, 5, 30)))
    assert _count(seeded, lost_pipeline_days=0) == 6
    with session_scope(seeded) as session:
        rows = session.exec(select(Opportunity).where(Opportunity.external_id == "O2")).all()
        assert [(r.amount, r.close_date, r.account_id is not None) for r in rows] == [
            (12_500.0, date(2026, 5, 30), True)
        ]
        assert delete_opportunity(session=session, source="salesforce", external_id="O2")
        assert not delete_opportunity(session=session, source="salesforce", external_id="O2")
    assert _count(seeded, lost_pipeline_days=0) == 4


def test_a_deal_ingested_before_its_account_links_by_crm_id(seeded):
    from groundswell.storage.models import Account

    with session_scope(seeded) as session:
        assert session.exec(select(Opportunity).where(Opportunity.external_id == "O6")).one().account_id is None
        session.add(Account(external_id="A9", name="Nine", created_at=at(0)))
    total = _run(seeded, kind="number", metric="lost_amount", filters=Filters(window=MAY))
    assert total.total == 40_000.0  # A9 has no feedback: its deal never counts


def test_priority_counts_the_pipeline_lost_behind_each_theme(seeded):
    lost_only = RankingWeights(volume=0.0, arr=0.0, severity=0.0, trend=0.0, lost=1.0)
    result = _run(seeded, kind="ranking", metric="priority", weights=lost_only, filters=Filters(window=MAY))
    by_key = {r.key: r for r in result.rows}
    # May plus 90 days: O1 (A1) and O2 (A2, split over auth.sso and auth.mfa) and O4 (A4, no amount)
    assert by_key["auth.sso"].extra["raw"]["lost"] == 45_000.0
    assert by_key["auth.mfa"].extra["raw"]["lost"] == 5_000.0
    assert by_key["auth.sso"].extra["lost_deals"] == 3
    assert result.rows[0].key == "auth.sso" and result.rows[0].value == 1.0
    assert by_key["auth.mfa"].value == round(5_000 / 45_000, 4)
    assert result.meta["lost_days"] == 90
    default = _run(seeded, kind="ranking", metric="priority", filters=Filters(window=MAY))
    assert set(default.rows[0].extra["components"]) == {"volume", "arr", "severity", "trend", "lost"}
    assert default.meta["weights"]["lost"] == RankingWeights().lost > 0
