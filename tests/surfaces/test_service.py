"""The facade over the demo corpus: the CLI's answer, viewer scopes, thread drill-down, draft-then-confirm tickets."""

from __future__ import annotations

import pytest
from groundswell.graph.tools import is_visible
from groundswell.surfaces.errors import Forbidden, NotFound
from groundswell.surfaces.models import DraftRequest, QuotesRequest

from tests.surfaces.conftest import Served

pytestmark = pytest.mark.slow
QUESTION = "What are the top 5 themes over the last 30 days?"


def test_ask_is_the_agents_answer(served: Served) -> None:
    viewer = served.surface.viewer("ana")
    via_facade = served.surface.ask(viewer, QUESTION)
    via_cli_path = served.runtime.agent.ask(QUESTION, viewer=viewer, thread_id=None)
    assert via_facade.results == via_cli_path.results and via_facade.citations == via_cli_path.citations
    assert via_facade.taxonomy_version and via_facade.window and via_facade.freshness


def test_run_query_gives_the_plans_exact_results(served: Served) -> None:
    viewer = served.surface.viewer("ana")
    answer = served.surface.ask(viewer, "How many bug reports in the last 30 days?")
    assert served.surface.run_query(viewer, answer.plan).results == answer.results


def test_restricted_quotes_and_feedback_stay_in_scope(served: Served) -> None:
    sam, ana = served.surface.viewer("sam"), served.surface.viewer("ana")
    quotes = served.surface.find_quotes(sam, QuotesRequest(limit=10, days=180))
    assert quotes and all(is_visible(sam, q.source, q.account_id, q.segment) for q in quotes)
    outside = next(
        q for q in served.surface.find_quotes(ana, QuotesRequest(limit=20, days=180))
        if not is_visible(sam, q.source, q.account_id, q.segment)
    )  # fmt: skip
    with pytest.raises(NotFound):
        served.surface.get_feedback(sam, outside.unit_id)
    drill = served.surface.get_feedback(sam, quotes[0].unit_id)
    assert drill.unit.unit_id == quotes[0].unit_id and quotes[0].unit_id in {u.unit_id for u in drill.thread}
    assert all(is_visible(sam, u.source, u.account_id, u.segment) for u in drill.thread)


def test_sources_are_those_the_viewer_may_see(served: Served) -> None:
    assert {s.source for s in served.surface.source_health(served.surface.viewer("sam"))} <= {"zendesk", "intercom"}
    assert len(served.surface.source_health(served.surface.viewer("ana"))) > 2


def test_themes_page_through_the_taxonomy(served: Served) -> None:
    first = served.surface.list_themes(limit=5)
    rest = served.surface.list_themes(offset=5, limit=1_000)
    assert first.taxonomy_version == 1 and len(first.themes) == 5 and first.next_offset == 5
    assert rest.next_offset is None and first.total == 5 + len(rest.themes)


def test_a_ticket_is_filed_only_on_confirm_by_a_viewer_allowed_to(served: Served) -> None:
    surface = served.surface
    theme = next(t.key for t in surface.list_themes(limit=1_000).themes if t.parent_key)
    scoped = surface.draft_ticket(surface.viewer("sam"), DraftRequest(theme=theme))  # sam's own evidence only
    assert "- Scope: only what sam may see" in scoped.body
    with pytest.raises(NotFound):
        surface.draft_ticket(surface.viewer("ana"), DraftRequest(theme="no.such.theme"))
    member_draft = surface.draft_ticket(surface.viewer("mo"), DraftRequest(theme=theme))
    with pytest.raises(Forbidden):
        surface.confirm_ticket(surface.viewer("mo"), member_draft.draft_id)
    draft = surface.draft_ticket(surface.viewer("ana"), DraftRequest(theme=theme, tracker="local"))
    assert draft.body and draft.theme_key == theme and draft.tracker == "local"
    with pytest.raises(NotFound):  # another viewer's draft
        surface.confirm_ticket(surface.viewer("cli"), draft.draft_id)
    filed = surface.confirm_ticket(surface.viewer("ana"), draft.draft_id, force=True)
    assert filed.status == "created" and filed.ticket_key
    with pytest.raises(NotFound):  # a draft files once
        surface.confirm_ticket(surface.viewer("ana"), draft.draft_id)


def test_token_buckets_live_in_the_runtimes_shared_budget_store(served: Served) -> None:
    assert served.surface.auth.bucket.store is served.runtime.budget_store
