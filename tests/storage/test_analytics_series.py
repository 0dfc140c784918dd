"""Comparison, trend, sets, account view, priority, quotes, vocabulary and freshness on the hand-made dataset."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from groundswell.core.query import Filters, QueryPlan, RankingWeights, Viewer, Window
from groundswell.storage.analytics import quote_candidates, source_freshness, vocabulary
from groundswell.storage.analytics.series import bucket_edges
from groundswell.storage.db import session_scope

from tests.storage.analytics_data import AS_OF, T0, at, seed
from tests.storage.test_analytics_semantics import ALL, _run

ADMIN = Viewer(name="admin")


@pytest.fixture
def seeded(engine):
    seed(engine)
    return engine


def test_comparison_counts_delta_and_significance(seeded):
    result = _run(
        seeded,
        kind="comparison",
        taxonomy_version=1,
        filters=Filters(window=Window(start=at(10), end=at(31), label="recent"), themes=["auth.sso"]),
        previous_window=Window(start=at(0), end=at(10)),
    )
    (row,) = result.rows
    assert (row.count, row.previous, row.delta) == (2, 3.0, -1.0)
    assert 0.05 < row.p_value <= 1.0
    assert result.meta["significance"] == "not significant" and result.meta["significant"] is False
    assert set(row.unit_ids) <= {"u04", "u06"}


def test_comparison_without_a_theme_filter_names_the_themes_that_moved(seeded):
    result = _run(
        seeded,
        kind="comparison",
        taxonomy_version=1,
        filters=Filters(window=Window(start=at(10), end=at(31), label="recent")),
        previous_window=Window(start=at(0), end=at(10)),
    )
    total, *movers = result.rows
    assert (total.key, total.count, total.previous) == ("all", 5, 4.0)
    # billing.invoice 2 vs 0 (u05 u12), auth.sso 2 vs 3 (u04 u06 vs u01 u02 u07); auth.mfa 1 vs 1 did not move
    assert [(m.key, m.count, m.previous, m.extra["mover"]) for m in movers] == [
        ("billing.invoice", 2, 0.0, "rising"),
        ("auth.sso", 2, 3.0, "falling"),
    ]
    assert set(movers[0].unit_ids) == {"u05", "u12"} and set(movers[1].unit_ids) == {"u04", "u06"}
    assert all(0.0 < m.p_value <= 1.0 for m in movers) and movers[0].label == "Billing > Invoices"


def test_comparison_without_previous_window_uses_the_period_before(seeded):
    result = _run(seeded, kind="comparison", filters=Filters(window=Window(start=at(10), end=at(20))))
    assert result.meta["previous_window"]["start"] == at(0).isoformat()
    assert result.meta["notes"]


def test_weekly_trend_is_zero_filled_and_marks_the_partial_bucket(seeded):
    weekly = _run(seeded, kind="trend", bucket="week")
    assert [r.count for r in weekly.rows] == [4, 1, 2, 1, 1]
    assert [r.extra["partial"] for r in weekly.rows] == [False, False, False, False, True]
    daily = _run(seeded, kind="trend", bucket="day")
    assert len(daily.rows) == 31 and sum(r.count for r in daily.rows) == 9
    assert daily.rows[2].count == 0 and daily.rows[2].unit_ids == []
    monthly = _run(seeded, kind="trend", bucket="month")
    assert [(r.label, r.count) for r in monthly.rows] == [("2026-05-01", 9)]


def test_bucket_edges_clamp_month_ends():
    edges = bucket_edges(Window(start=T0.replace(day=31, month=1), end=T0.replace(month=4, day=1)), "month")
    assert [e.date() for e in edges] == [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 1)]


def test_sets_of_units_and_accounts(seeded):
    units = _run(seeded, kind="set")
    assert [r.key for r in units.rows] == ["u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08", "u12"]
    accounts = _run(seeded, kind="set", group_by="account", filters=Filters(window=ALL, segments=["SMB"]))
    assert [(r.key, r.label, r.count) for r in accounts.rows] == [("A2", "Bolt", 1), ("A4", "Dune", 2)]


def test_account_view_says_what_one_account_says_and_its_facts_now(seeded):
    result = _run(seeded, kind="account", taxonomy_version=1, filters=Filters(accounts=["A2"]))
    facts = result.meta["account"]
    assert (facts["name"], facts["segment"], facts["arr"], facts["plan"]) == ("Bolt", "Mid-Market", 20.0, "Business")
    assert facts["renewal_date"] == "2026-09-01"
    assert result.total == 2 and result.meta["sentiment"] == {"negative": 1, "neutral": 1}
    assert {r.key for r in result.rows} == {"auth.sso", "auth.mfa"}
    hidden = _run(
        seeded, Viewer(name="x", accounts=frozenset({"A1"})), kind="account", filters=Filters(accounts=["A2"])
    )
    assert hidden.total == 0 and hidden.rows == [] and hidden.meta["account"] == {"external_id": "A2", "visible": False}


def test_priority_shows_its_components_and_follows_the_weights(seeded):
    result = _run(seeded, kind="ranking", metric="priority", taxonomy_version=1, k=3)
    for row in result.rows:
        assert set(row.extra["components"]) == {"volume", "arr", "severity", "trend", "lost"}
        assert 0.0 <= row.value <= 1.0
    assert result.meta["weights"] == RankingWeights().model_dump()
    assert result.rows[0].key == "auth.sso"  # most volume and ARR
    volume_only = RankingWeights(volume=1.0, arr=0.0, severity=0.0, trend=0.0, lost=0.0)
    by_volume = _run(seeded, kind="ranking", metric="priority", taxonomy_version=1, weights=volume_only)
    counts = _run(seeded, kind="ranking", metric="count", taxonomy_version=1)
    assert [r.key for r in by_volume.rows] == [r.key for r in counts.rows]
    assert by_volume.rows[0].value == 1.0


def test_quote_candidates_put_each_customers_newest_first(seeded):
    plan = QueryPlan(kind="quotes", as_of=AS_OF, filters=Filters(window=ALL), taxonomy_version=1)
    with session_scope(seeded) as session:
        quotes = quote_candidates(session=session, plan=plan, viewer=ADMIN, limit=4)
        smb = quote_candidates(
            session=session, plan=plan, viewer=Viewer(name="s", segments=frozenset({"SMB"})), limit=9
        )
    assert [q.unit_id for q in quotes] == ["u12", "u08", "u05", "u04"]
    first = quotes[0]
    assert (first.account, first.segment, first.theme, first.source) == (
        "Dune",
        "SMB",
        "Billing > Invoices",
        "intercom",
    )
    assert first.url == "https://x.test/u12" and first.text == "billing.invoice feedback u12"
    assert {q.unit_id for q in smb} == {"u02", "u06", "u12"}


def test_vocabulary_of_a_version_narrowed_to_the_viewer(seeded):
    with session_scope(seeded) as session:
        vocab = vocabulary(session=session, as_of=AS_OF)
        mine = vocabulary(session=session, taxonomy_version=1, viewer=Viewer(name="a", accounts=frozenset({"A1"})))
    assert vocab.taxonomy_version == 2 and vocab.as_of == AS_OF and vocab.releases == {}
    sso = next(t for t in vocab.themes if t.key == "auth.sso")
    assert (sso.parent_name, sso.aliases, sso.owner_team) == ("Authentication", ["single sign-on"], "Identity team")
    assert vocab.segments == ["Enterprise", "Mid-Market", "SMB"]
    assert vocab.plans == ["Business", "Enterprise", "Starter"]
    assert vocab.sources == ["gong", "intercom", "zendesk"]
    assert vocab.accounts == {"A1": "Acme", "A2": "Bolt", "A3": "Cyan", "A4": "Dune"}
    assert mine.taxonomy_version == 1 and mine.accounts == {"A1": "Acme"}


def test_source_freshness_flags_stale_sources(seeded):
    with session_scope(seeded) as session:
        fresh = source_freshness(session=session, now=AS_OF)
        support = source_freshness(session=session, now=AS_OF, viewer=Viewer(name="s", sources=frozenset({"gong"})))
    assert fresh["zendesk"]["stale"] is False
    assert fresh["zendesk"]["last_success_at"] == AS_OF - timedelta(hours=2)
    assert fresh["intercom"]["stale"] is True  # last success 3 days ago, daily cadence
    assert fresh["gong"]["last_success_at"] is None and fresh["gong"]["newest_unit_at"] == at(20)
    assert fresh["gong"]["stale"] is True and fresh["gong"]["expected_cadence_s"] == 86_400
    assert list(support) == ["gong"]
