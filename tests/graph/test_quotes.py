"""Representative quotes: diverse, permission-checked in SQL, semantically ordered through a real Chroma index."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

import pytest
import sqlalchemy as sa
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.graph.quotes import certainty_tiers, choose_diverse, label_fields, representative_quotes
from groundswell.storage.analytics import QuoteCandidate, run_plan
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import Classification
from groundswell.storage.vectors import ChromaVectorIndex

from tests.storage.analytics_data import AS_OF, T0, UNITS, at, seed

WORDS = ("sso", "mfa", "invoice")


class KeywordEmbedder:
    """Counts a few topic words: close texts share words (enough meaning for a ranking test)."""

    model_id = "keywords-4"
    dimension = 4

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        out = []
        for text in texts:
            v = [float(text.lower().count(w)) for w in WORDS] + [0.1]
            norm = sum(x * x for x in v) ** 0.5
            out.append([x / norm for x in v])
        return out


def _candidate(uid: str, text: str, customer: str, theme: str | None, **sure: float | bool) -> QuoteCandidate:
    return QuoteCandidate(uid, text, uid, "zendesk", T0, None, None, None, None, theme, theme, customer, **sure)  # type: ignore[arg-type]


def _quotes_plan(**filters) -> QueryPlan:
    return QueryPlan(kind="quotes", as_of=AS_OF, filters=Filters(**filters))


def test_label_fields_are_the_classified_fields_the_plan_filters_or_groups_on():
    assert label_fields(_quotes_plan()) == frozenset()
    assert label_fields(_quotes_plan(intents=["bug_report"], themes=["auth"])) == {"intent", "theme"}
    assert label_fields(_quotes_plan(at_risk_signals=True)) == {"sentiment", "intent"}
    ranking = QueryPlan(kind="ranking", as_of=AS_OF, group_by="severity", filters=Filters(sentiments=["negative"]))
    assert label_fields(ranking) == {"sentiment", "severity"}


def test_surer_labels_are_quoted_first_even_over_a_new_customer():
    plan = _quotes_plan(intents=["bug_report"])
    candidates = [  # in representative order: the unsure ones come first
        _candidate("a", "Export fails", "a:1", "export", intent_confidence=0.41),
        _candidate("b", "Export slow", "a:2", "export", intent_confidence=0.55, theme_confidence=0.99),
        _candidate("c", "Export broke", "a:3", "export", intent_confidence=0.97, theme_confidence=0.2),
        _candidate("d", "Export again", "a:3", "export", intent_confidence=0.96),
        _candidate("e", "Export crash", "a:4", "export", intent_confidence=0.99, needs_review=True),
    ]
    tiers = certainty_tiers(candidates, plan)
    assert [[c.unit_id for c in tier] for tier in tiers] == [["c"], ["a", "b", "d"], ["e"]]
    # theme confidence does not count without a theme filter; a repeated customer on a sure label beats new ones
    assert [c.unit_id for c in choose_diverse((), 2, tiers=tiers)] == ["c", "a"]
    assert [c.unit_id for c in choose_diverse((), 5, tiers=tiers)] == ["c", "a", "b", "d", "e"]  # all, flagged last
    ignored = choose_diverse(candidates, 1)  # what the order alone would pick
    assert [c.unit_id for c in ignored] == ["a"]


def test_mixed_units_wait_under_a_sentiment_filter_unless_mixed_ones_were_asked_for():
    mixed = _candidate("m", "Love it but it crashes", "a:1", "x", sentiment_confidence=0.99, mixed=True)
    plain = _candidate("p", "It crashes", "a:2", "x", sentiment_confidence=0.6)
    negative = _quotes_plan(sentiments=["negative"])
    assert [c.unit_id for c in choose_diverse((), 1, tiers=certainty_tiers([mixed, plain], negative))] == ["p"]
    asked = _quotes_plan(sentiments=["negative"], mixed=True)
    assert [c.unit_id for c in choose_diverse((), 1, tiers=certainty_tiers([mixed, plain], asked))] == ["m"]
    assert [c.unit_id for c in choose_diverse((), 1, tiers=certainty_tiers([mixed, plain], _quotes_plan()))] == ["m"]


def test_only_unsure_candidates_still_give_quotes():
    flagged = [_candidate(u, f"text {u}", f"a:{u}", "x", needs_review=True) for u in "abc"]
    tiers = certainty_tiers(flagged, _quotes_plan(themes=["x"]))
    assert [c.unit_id for c in choose_diverse((), 2, tiers=tiers)] == ["a", "b"]
    assert certainty_tiers([], _quotes_plan(themes=["x"])) == [[], []]


def test_choose_diverse_spreads_over_customers_and_themes_and_drops_repeated_text():
    candidates = [
        _candidate("a", "Export fails", "a:1", "export"),
        _candidate("b", "export   FAILS", "a:2", "export"),  # same text, another customer
        _candidate("c", "Export is slow", "a:1", "export"),  # same customer and theme
        _candidate("d", "SSO broken", "a:3", "sso"),
        _candidate("e", "Export again", "a:4", "export"),
    ]
    assert [c.unit_id for c in choose_diverse(candidates, 3)] == ["a", "d", "e"]
    assert [c.unit_id for c in choose_diverse(candidates, 10)] == ["a", "d", "e", "c"]


@pytest.fixture
def engine(tmp_path):
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    seed(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def index(tmp_path):
    index = ChromaVectorIndex(path=tmp_path / "chroma", collection="quotes")
    ids = [u[0] for u in UNITS]
    texts = [f"{u[4]} feedback {u[0]}" for u in UNITS]
    meta = [{"source": u[1], "created_at": int(at(u[2]).timestamp())} for u in UNITS]
    index.upsert(ids, KeywordEmbedder().embed(texts), meta)
    return index


def _plan(text: str | None = None, **filters) -> QueryPlan:
    window = Window(start=T0, end=T0 + timedelta(days=31))
    return QueryPlan(
        kind="quotes", as_of=AS_OF, taxonomy_version=1, filters=Filters(window=window, text=text, **filters)
    )


def test_quotes_without_text_are_recent_and_from_distinct_customers(engine):
    with session_scope(engine) as session:
        quotes = representative_quotes(session=session, plan=_plan(), viewer=Viewer(name="a"), limit=3, first_number=4)
    assert [(q.n, q.unit_id) for q in quotes] == [(4, "u12"), (5, "u08"), (6, "u04")]  # u05: invoices again
    assert quotes[0].theme == "Billing > Invoices" and quotes[0].account == "Dune" and quotes[0].segment == "SMB"


def test_quote_candidates_carry_the_stored_confidences_and_quotes_prefer_sure_labels(engine):
    with session_scope(engine) as session:
        before = representative_quotes(session=session, plan=_plan(), viewer=Viewer(name="a"), limit=1)
        assert [q.unit_id for q in before] == ["u12"]  # the newest customer first
        session.execute(
            sa.update(Classification)
            .where(Classification.taxonomy_version == 1)  # type: ignore[arg-type]
            .values(confidence={"theme": 0.9, "intent": 0.4})
        )
        session.execute(
            sa.update(Classification)
            .where(Classification.unit_id == "u04", Classification.taxonomy_version == 1)  # type: ignore[arg-type]
            .values(confidence={"theme": 0.9, "intent": 0.95})
        )
        session.execute(
            sa.update(Classification)
            .where(Classification.unit_id == "u08", Classification.taxonomy_version == 1)  # type: ignore[arg-type]
            .values(confidence={"theme": 0.9, "intent": 0.99}, needs_review=True)
        )
        plain = representative_quotes(session=session, plan=_plan(), viewer=Viewer(name="a"), limit=1)
        sure = representative_quotes(
            session=session, plan=_plan(intents=["bug_report"]), viewer=Viewer(name="a"), limit=1
        )
    assert [q.unit_id for q in plain] == ["u12"]  # no filtered field: the order is as before
    assert [q.unit_id for q in sure] == ["u04"]  # the surest intent not waiting for review (u08 is)


def test_semantic_quotes_follow_the_text_but_never_leave_the_viewers_scope(engine, index):
    embedder = KeywordEmbedder()
    with session_scope(engine) as session:
        admin = representative_quotes(
            session=session, plan=_plan("invoice"), viewer=Viewer(name="a"), limit=2, embedder=embedder, index=index
        )
        smb = representative_quotes(
            session=session,
            plan=_plan("invoice"),
            viewer=Viewer(name="s", segments=frozenset({"SMB"})),
            limit=3,
            embedder=embedder,
            index=index,
        )
        zendesk = representative_quotes(
            session=session,
            plan=_plan("invoice"),
            viewer=Viewer(name="z", sources=frozenset({"zendesk"})),
            limit=5,
            embedder=embedder,
            index=index,
        )
    assert {q.unit_id for q in admin} == {"u05", "u12"}  # the two invoice units, closest first
    assert smb[0].unit_id == "u12" and "u05" not in {q.unit_id for q in smb}  # Cyan is Enterprise
    assert zendesk and all(q.source == "zendesk" for q in zendesk)
    assert {q.unit_id for q in zendesk} <= {"u01", "u02", "u07", "u08"}  # u09 duplicate, u10 deleted, u11 agent


def _ranking(engine, viewer: Viewer, **filters) -> tuple[QueryPlan, list]:
    window = Window(start=T0, end=T0 + timedelta(days=31))
    plan = QueryPlan(kind="ranking", as_of=AS_OF, taxonomy_version=1, k=3, filters=Filters(window=window, **filters))
    with session_scope(engine) as session:
        results = run_plan(session=session, plan=plan, viewer=viewer)
    return plan, results


def test_ranking_rows_get_their_own_quotes_satisfying_every_filter(engine, index):
    facts = {u[0]: u for u in UNITS}
    admin = Viewer(name="a")
    plan, results = _ranking(engine, admin, sentiments=["negative"])
    rows = results[0].rows
    assert [r.key for r in rows] == ["auth.sso", "auth.mfa", "billing.invoice"]
    with session_scope(engine) as session:
        quotes = representative_quotes(session=session, plan=plan, viewer=admin, limit=6, index=index, results=results)
        bare = representative_quotes(session=session, plan=plan, viewer=admin, limit=3, results=results)  # no vectors
    by_row: dict[str, list[str]] = {}
    for q in quotes:
        by_row.setdefault(q.theme or "", []).append(q.unit_id)
    assert set(by_row) == {r.label for r in rows} and all(by_row.values())
    for row in rows:
        for uid in by_row[row.label]:
            assert facts[uid][4] == row.key and facts[uid][5] == "negative"  # never u05 (praise) nor u03 (neutral)
    sso = by_row[next(r.label for r in rows if r.key == "auth.sso")]
    assert len({facts[u][3] for u in sso}) == len(sso)  # distinct customers
    assert [q.n for q in quotes] == list(range(1, len(quotes) + 1))
    assert {q.theme for q in bare} == {r.label for r in rows}  # one per row without an index
    smb = Viewer(name="s", segments=frozenset({"SMB"}))
    plan, results = _ranking(engine, smb, sentiments=["negative"])
    with session_scope(engine) as session:
        scoped = representative_quotes(session=session, plan=plan, viewer=smb, limit=3, index=index, results=results)
    assert scoped and all(facts[q.unit_id][3] in {"A2", "A4"} for q in scoped)


def test_a_comparisons_quotes_come_from_its_rising_themes(engine):
    admin = Viewer(name="a")
    plan = QueryPlan(
        kind="comparison",
        as_of=AS_OF,
        taxonomy_version=1,
        filters=Filters(window=Window(start=at(10), end=at(31))),
        previous_window=Window(start=at(0), end=at(10)),
    )
    with session_scope(engine) as session:
        results = run_plan(session=session, plan=plan, viewer=admin)
        quotes = representative_quotes(session=session, plan=plan, viewer=admin, limit=3, results=results)
    rising = [r for r in results[0].rows if r.extra.get("mover") == "rising"]
    assert [r.key for r in rising] == ["billing.invoice"]  # u05 u12 after, none before; auth.sso fell
    assert quotes and {q.unit_id for q in quotes} <= {"u05", "u12"}
    assert {q.theme for q in quotes} == {"Billing > Invoices"}
