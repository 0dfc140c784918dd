"""The review queue within a viewer's scope, and review decisions recorded once (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from groundswell.core.models import AccountDoc, AccountFacts
from groundswell.core.query import Viewer
from groundswell.storage.audit import list_audit_events
from groundswell.storage.db import session_scope
from groundswell.storage.identity import upsert_account
from groundswell.storage.models import Classification, FeedbackUnit, ReviewLabel
from groundswell.storage.review import ReviewError, review_queue, reviewed_examples
from groundswell.storage.review_scope import ReviewDecision, record_review, review_card, scoped_review_queue
from sqlalchemy import Engine
from sqlmodel import select

from tests.bot.review_data import GONG_UNIT, seed_review

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _accounts(engine: Engine) -> None:
    """u-1 belongs to an enterprise account, u-2 to an smb one; the other units have no account."""
    with session_scope(engine) as session:
        for unit_id, external_id, segment in (("u-1", "acme", "Enterprise"), ("u-2", "tiny", "SMB")):
            doc = AccountDoc(source="salesforce", external_id=external_id, name=external_id, created_at=T0,
                             snapshots=[AccountFacts(as_of=T0, segment=segment)])  # fmt: skip
            unit = session.get(FeedbackUnit, unit_id)
            assert unit is not None
            unit.account_id = upsert_account(session=session, doc=doc).id


def _queue(engine: Engine, viewer: Viewer, **kw) -> tuple[list[str], int]:
    with session_scope(engine) as session:
        cards, waiting = scoped_review_queue(session=session, version=1, viewer=viewer, limit=kw.pop("limit", 3), **kw)
        return [c.unit_id for c in cards], waiting


def test_the_queue_is_the_viewers_scope_in_queue_order(engine: Engine) -> None:
    seed_review(engine)
    _accounts(engine)
    assert _queue(engine, Viewer(name="all")) == ([GONG_UNIT, "u-1", "u-2"], 8)
    assert _queue(engine, Viewer(name="z", sources=frozenset({"zendesk"}))) == (["u-1", "u-2", "u-3"], 7)
    assert _queue(engine, Viewer(name="z", sources=frozenset({"zendesk"})), skip={"u-1"}) == (["u-2", "u-3", "u-4"], 6)
    assert _queue(engine, Viewer(name="ent", segments=frozenset({"enterprise"}))) == (["u-1"], 1)
    assert _queue(engine, Viewer(name="acct", accounts=frozenset({"tiny"}))) == (["u-2"], 1)
    assert _queue(engine, Viewer(name="none", sources=frozenset())) == ([], 0)
    with session_scope(engine) as session:
        assert review_card(session=session, version=1, viewer=Viewer(name="ent", segments=frozenset({"SMB"})),
                           unit_id="u-1") is None  # fmt: skip
        card = review_card(session=session, version=1, viewer=Viewer(name="all"), unit_id="u-1")
    assert card is not None and (card.theme_key, card.sentiment, card.intent) == ("export.csv", "negative", "complaint")
    assert card.source == "zendesk" and card.confidence["theme"] == pytest.approx(0.1)


def test_a_decision_is_the_cli_record_and_a_repeat_is_not_recorded_again(engine: Engine) -> None:
    seed_review(engine)
    decision = ReviewDecision("u-3", 1, "auth.sso", "neutral", "question")
    with session_scope(engine) as session:
        assert record_review(session=session, decision=decision, reviewer="slack:U1", via="slack.home") is not None
        assert record_review(session=session, decision=decision, reviewer="slack:U1", via="slack.home") is None
        changed = ReviewDecision("u-3", 1, "auth.sso", "positive", "question")
        assert record_review(session=session, decision=changed, reviewer="slack:U1", via="slack.home") is not None
        assert record_review(session=session, decision=decision, reviewer="slack:U2", via="slack.home") is not None
    with session_scope(engine) as session:
        labels = list(session.exec(select(ReviewLabel).order_by(ReviewLabel.id)))
        audits = list_audit_events(session=session, action="review.label")
        row = session.get(Classification, ("u-3", 1))
        examples = reviewed_examples(session=session, version=1)
    assert [(x.reviewer, x.sentiment) for x in labels] == [("slack:U1", "neutral"), ("slack:U1", "positive"),
                                                           ("slack:U2", "neutral")]  # fmt: skip
    assert len(audits) == 3 and audits[0].target == "u-3" and audits[0].details["theme_key"] == "auth.sso"
    assert row is not None and (row.classifier, row.needs_review, row.sentiment) == ("human", False, "neutral")
    assert any(label == "auth.sso" for _, label in examples)


def test_a_decision_for_an_unknown_theme_is_refused(engine: Engine) -> None:
    seed_review(engine)
    with session_scope(engine) as session, pytest.raises(ReviewError, match="no active theme"):
        record_review(session=session, decision=ReviewDecision("u-3", 1, "nope", None, None), reviewer="x", via="t")


def test_an_unrestricted_reviewer_gets_the_cli_queue_order(engine: Engine) -> None:
    seed_review(engine)
    with session_scope(engine) as session:
        cli = [item.unit_id for item in review_queue(session=session, version=1, limit=50)]
    assert _queue(engine, Viewer(name="all"), limit=50)[0] == cli
