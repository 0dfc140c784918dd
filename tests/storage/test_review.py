"""The review queue and review labels on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from groundswell.core.classify.signals import ReviewedSignal
from groundswell.core.taxonomy import Taxonomy, ThemeDef, merge, split
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.models import Classification, FeedbackUnit
from groundswell.storage.review import (
    ReviewError,
    add_review_label,
    carried_labels,
    gold_labels,
    labels_changed_at,
    review_queue,
    reviewed_examples,
    reviewed_signals,
)
from groundswell.storage.taxonomy import get_taxonomy, save_taxonomy
from sqlalchemy import Engine

from tests.core.classify.test_units import THEMES
from tests.storage.test_identity_events import make_unit


def _classified(engine: Engine) -> None:
    with session_scope(engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
        for uid, theme, needs_review in (("u1", 0.2, True), ("u2", 0.9, False), ("u3", 0.1, True), ("u4", 0.3, True)):
            make_unit(session, uid, None)
            session.get(FeedbackUnit, uid).text = f"text of {uid}"
            session.add(
                Classification(
                    unit_id=uid,
                    taxonomy_version=1,
                    theme_key="export",
                    subtheme_key="export.csv",
                    confidence={"theme": theme},
                    needs_review=needs_review,
                    created_at=utcnow(),
                )
            )
        session.get(FeedbackUnit, "u4").deleted_at = utcnow()


def test_queue_holds_live_flagged_units_lowest_confidence_first(engine: Engine) -> None:
    _classified(engine)
    with session_scope(engine) as session:
        queue = review_queue(session=session, version=1, limit=10)
        assert [(item.unit_id, item.text, item.confidence) for item in queue] == [
            ("u3", "text of u3", 0.1),
            ("u1", "text of u1", 0.2),
        ]
        assert [item.unit_id for item in review_queue(session=session, version=1, limit=1)] == ["u3"]


def test_a_label_settles_the_classification_and_becomes_an_example_and_gold(engine: Engine) -> None:
    _classified(engine)
    with session_scope(engine) as session:
        add_review_label(session=session, unit_id="u3", version=1, theme_key="auth.sso", reviewer="ana", intent="bug")
        add_review_label(session=session, unit_id="u1", version=1, theme_key=None, reviewer="ana", gold_set="q4")
        add_review_label(session=session, unit_id="u1", version=1, theme_key="auth.mfa", reviewer="bo", gold_set="q4")
    with session_scope(engine) as session:
        row = session.get(Classification, ("u3", 1))
        assert (row.theme_key, row.subtheme_key, row.classifier, row.needs_review) == (
            "auth",
            "auth.sso",
            "human",
            False,
        )
        assert row.intent == "bug" and row.confidence["theme"] == 1.0
        assert review_queue(session=session, version=1, limit=10) == []
        assert reviewed_examples(session=session, version=1) == [("text of u1", "auth.mfa"), ("text of u3", "auth.sso")]
        assert reviewed_examples(session=session, version=1, exclude={"u1"}) == [("text of u3", "auth.sso")]
        gold = gold_labels(session=session, gold_set="q4", version=1)
        assert [(g.unit_id, g.theme_key, g.source) for g in gold] == [("u1", "auth.mfa", "zendesk")]
        assert gold_labels(session=session, gold_set="q4", version=2) == []


def test_signal_labels_are_read_back_as_signal_training_examples(engine: Engine) -> None:
    _classified(engine)
    with session_scope(engine) as session:
        add_review_label(session=session, unit_id="u1", version=1, theme_key="auth.sso", reviewer="ana")
        add_review_label(
            session=session,
            unit_id="u3",
            version=1,
            theme_key=None,
            reviewer="a",
            sentiment="negative",
            intent="praise",
        )
    with session_scope(engine) as session:
        assert reviewed_signals(session=session, version=1) == [ReviewedSignal("text of u3", "negative", "praise")]
        assert reviewed_signals(session=session, version=1, exclude={"u3"}) == []


@pytest.mark.parametrize(
    ("unit_id", "theme_key", "message"),
    [
        ("nope", "auth.sso", "no live unit"),
        ("u4", "auth.sso", "no live unit"),
        ("u1", "auth", "has sub-themes"),
        ("u1", "old", "no active theme"),
        ("u1", "missing", "no active theme"),
    ],
)
def test_bad_labels_are_refused_clearly(engine: Engine, unit_id: str, theme_key: str, message: str) -> None:
    _classified(engine)
    with session_scope(engine) as session, pytest.raises(ReviewError, match=message):
        add_review_label(session=session, unit_id=unit_id, version=1, theme_key=theme_key, reviewer="ana")


def test_labels_are_carried_across_versions_and_split_ones_turn_stale(engine: Engine) -> None:
    _classified(engine)
    with session_scope(engine) as session:
        add_review_label(session=session, unit_id="u1", version=1, theme_key="auth.mfa", reviewer="ana")
        add_review_label(session=session, unit_id="u2", version=1, theme_key="export.xlsx", reviewer="ana")
        add_review_label(session=session, unit_id="u3", version=1, theme_key=None, reviewer="ana")
        v1 = get_taxonomy(session=session, version=1)
        v2, m2 = merge(v1, ["auth.mfa"], into="auth.sso")
        v2 = save_taxonomy(session=session, taxonomy=v2, migration=m2)
        v3, m3 = split(v2, "export.xlsx", [ThemeDef("export.dates", "Dates"), ThemeDef("export.numbers", "Numbers")])
        v3 = save_taxonomy(session=session, taxonomy=v3, migration=m3)
    with session_scope(engine) as session:
        assert reviewed_examples(session=session, version=2) == [
            ("text of u1", "auth.sso"),  # merged: the label follows
            ("text of u2", "export.xlsx"),
            ("text of u3", "other"),  # "other" labels are examples too
        ]
        carried = {c.unit.id: (c.theme_key, c.stale) for c in carried_labels(session=session, version=3)}
        assert carried == {"u1": ("auth.sso", False), "u2": (None, True), "u3": (None, False)}
        assert [g.theme_key for g in gold_labels(session=session, gold_set="default", version=3)] == ["auth.sso", None]
        assert [t for t, _ in reviewed_examples(session=session, version=3)] == ["text of u1", "text of u3"]
        assert carried_labels(session=session, version=1)[0].theme_key == "auth.mfa"  # the original stays
        assert carried_labels(session=session, version=9) == []
        # a new label under the new version replaces the stale one
        add_review_label(session=session, unit_id="u2", version=3, theme_key="export.dates", reviewer="bo")
        assert ("text of u2", "export.dates") in reviewed_examples(session=session, version=3)
        changed = labels_changed_at(session=session, version=3)
        assert changed is not None and changed <= utcnow()
