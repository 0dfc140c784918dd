"""classify_units stores the ``mixed`` flag and lets stars nudge only unclear text sentiment (real SQLite)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pytest
from groundswell.core.classify.units import UnitClassification
from groundswell.core.classify.weak import MIN_EVIDENCE
from groundswell.core.taxonomy import Taxonomy
from groundswell.jobs.classify import classify_units
from groundswell.storage.db import create_db_engine, migrate, session_scope
from groundswell.storage.models import Classification, FeedbackUnit
from sqlalchemy import Engine

from tests.core.classify.test_units import THEMES
from tests.storage.test_identity_events import make_unit

CONFIDENCE = {"theme": 0.9, "sentiment": 0.9, "intent": 0.9, "severity": 0.9}


class ScriptedClassifier:
    """Returns the results it was given, in order (stands in for the fitted offline classifier)."""

    name, version = "scripted", "1"

    def __init__(self, results: list[UnitClassification]) -> None:
        self.taxonomy = Taxonomy(1, THEMES)
        self.results = results

    def classify(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[UnitClassification]:
        return self.results[: len(texts)]


def _result(sentiment: str, score: float, *, mixed: bool = False) -> UnitClassification:
    return UnitClassification(None, None, sentiment, score, "other", "low", dict(CONFIDENCE), False, mixed=mixed)


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'gs.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def test_stars_nudge_unclear_text_only_and_mixed_is_stored(engine: Engine) -> None:
    clear = [_result("positive", 0.9) for _ in range(MIN_EVIDENCE)]  # five stars agree with clear praise
    results = [*clear, _result("neutral", 0.0), _result("negative", -0.9, mixed=True)]
    ids = [f"u{i:02d}" for i in range(len(results))]
    with session_scope(engine) as session:
        for uid in ids:
            make_unit(session, uid, None)
            unit = session.get(FeedbackUnit, uid)
            unit.rating, unit.channel = 5.0, "review"
        units = [session.get(FeedbackUnit, uid) for uid in ids]
        classify_units(session=session, classifier=ScriptedClassifier(results), units=units)
    with session_scope(engine) as session:
        unclear = session.get(Classification, (ids[-2], 1))
        clear_negative = session.get(Classification, (ids[-1], 1))
        assert unclear.sentiment == "positive"  # nudged by trusted five stars
        assert (clear_negative.sentiment, clear_negative.sentiment_score) == ("negative", -0.9)  # the text wins
        assert clear_negative.mixed and not unclear.mixed
