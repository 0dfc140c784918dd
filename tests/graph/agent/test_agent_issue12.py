"""#12 end to end on the demo corpus: overview and owners plans through the SQL tools, templates and verifier."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.graph.agent import Agent

from tests.graph.agent.conftest import Demo

pytestmark = pytest.mark.slow
ADMIN = Viewer(name="pm", role="admin")


def _ask(demo: Demo, kind: str, **plan: object):
    context = demo.runtime.agent_context(as_of=demo.as_of)
    window = Window(start=demo.as_of - timedelta(days=90), end=demo.as_of, label="last 90 days")
    vocabulary_theme = next(t for t in context.tools.vocabulary(demo.as_of, ADMIN).themes if t.parent_key is None)

    def planner(question: str, **_: object) -> QueryPlan:
        filters = Filters(window=window, themes=[vocabulary_theme.key] if kind == "overview" else [])
        return QueryPlan(kind=kind, filters=filters, as_of=demo.as_of, question=question, **plan)  # type: ignore[arg-type]

    return Agent(replace(context, planner=planner)).ask(f"{kind}?", viewer=ADMIN), vocabulary_theme


def test_overview_and_owners_answers_are_verified(demo: Demo) -> None:
    answer, _theme = _ask(demo, "overview", unsupported=["by region"])
    assert answer.verified, answer.text
    assert answer.results[0].tool == "overview" and answer.results[0].total
    assert "By intent:" in answer.text and "Per week:" in answer.text
    assert "I could not apply: by region." in answer.text
    owners, _ = _ask(demo, "owners")
    assert owners.verified, owners.text
    assert owners.results[0].rows and "open ticket" in owners.text


def test_a_restricted_viewer_naming_a_segment_it_may_not_see_is_told_so(demo: Demo) -> None:
    context = demo.runtime.agent_context(as_of=demo.as_of)
    segments = context.tools.vocabulary(demo.as_of, ADMIN).segments
    mine, other = segments[0], segments[-1]
    viewer = Viewer(name="sam", role="restricted", segments=frozenset({mine}))
    answer = Agent(context).ask(f"What are {other} customers most frustrated about this month?", viewer=viewer)
    assert answer.verified, answer.text
    assert f"{other} (outside what you may see" in answer.text and answer.plan.filters.segments in (None, [])
    asked_by_admin = Agent(context).ask(f"What are {other} customers most frustrated about this month?", viewer=ADMIN)
    assert "outside what you may see" not in asked_by_admin.text
