"""One vocabulary of intents (core.labels): the classifier, the LLM prompt, the planner and the demo agree on it."""

from __future__ import annotations

from groundswell.core.classify import signals
from groundswell.core.classify.llm_prompt import item_schema
from groundswell.core.labels import INTENTS, is_intent
from groundswell.core.taxonomy import Taxonomy
from groundswell.demo import phrasing_frames, textgen
from groundswell.graph import planner_entities, planner_llm

from tests.core.classify.test_units import THEMES


def test_one_definition_is_shared() -> None:
    assert signals.INTENTS is INTENTS
    assert tuple(planner_llm.INTENTS) == INTENTS
    assert item_schema(Taxonomy(1, THEMES))["properties"]["intent"]["enum"] == list(INTENTS)
    assert is_intent("feature_request") and not is_intent("feature") and not is_intent(None)


def test_intent_keyed_tables_use_only_the_vocabulary() -> None:
    for table in (planner_entities.INTENTS, textgen.SENTIMENT_BY_INTENT, textgen.SEVERITY_BY_INTENT):
        assert set(table) <= set(INTENTS)
    frames = [v for v in vars(phrasing_frames).values() if isinstance(v, dict) and "feature_request" in v]
    assert frames and all(set(f) <= set(INTENTS) for f in frames)
