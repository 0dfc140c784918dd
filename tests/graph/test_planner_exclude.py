"""Negations ("not from intercom", "excluding SMB", "other than checkout"): planned as exclusions, said in answers."""

from __future__ import annotations

from groundswell.core.query import Exclusions, Filters, QueryPlan
from groundswell.graph.compose import filters_text
from groundswell.graph.compose_kinds import subject

from tests.graph.conftest import AS_OF


def test_an_exclusion_is_said_in_the_filters_and_the_subject() -> None:
    exclude = Exclusions(sources=["intercom"], segments=["SMB"])
    plan = QueryPlan(kind="count", as_of=AS_OF, filters=Filters(intents=["complaint"], exclude=exclude))
    assert "excluding segment SMB" in filters_text(plan) and "excluding source intercom" in filters_text(plan)
    assert subject(plan).endswith("excluding SMB and intercom")
    assert not Exclusions() and Exclusions(themes=["checkout"])
