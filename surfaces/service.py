"""The surface-neutral facade REST and MCP both call: every answer is the agent's, every figure the analytics'.

Each method takes the asking :class:`Viewer` (from the API token) and applies its scope exactly as Slack answers
do: ``ask`` is ``Agent.ask`` itself (the path the CLI and Slack use, so whatever hooks it covers these calls too),
``run_query`` the agent's own ``run_plan`` tool, quotes its quote finder, ``get_feedback`` its citation lookup
checked with the same visibility rule. Tickets are drafted here and filed only by a separate confirm call from a
viewer whose role may file (no excessive agency): drafts wait in this process for ``api_draft_ttl_s``.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from time import perf_counter
from typing import Any

from groundswell.core.answer import Answer, Asker, CitedQuote
from groundswell.core.audit import ask_via
from groundswell.core.labels import INTENTS
from groundswell.core.query import Filters, QueryPlan, Viewer, Window
from groundswell.core.tickets import TicketDraft
from groundswell.graph.context import AgentTools
from groundswell.graph.tools import is_visible, quote_from_unit
from groundswell.jobs.tickets import TicketService, build_ticket_service
from groundswell.storage.citations import thread_unit_ids
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.taxonomy import get_taxonomy
from groundswell.surfaces.errors import Forbidden, NotFound
from groundswell.surfaces.models import (
    DraftRequest,
    FeedbackUnitOut,
    QueryResult,
    QuotesRequest,
    SourceHealth,
    ThemeOut,
    ThemesOut,
    TicketDraftOut,
    TicketFiled,
)
from groundswell.surfaces.tokens import TokenAuth, TokenBucket

from groundswell.runtime import Runtime

__all__ = ["Surface"]

SENTIMENTS = ("negative", "neutral", "positive")
SEVERITIES = ("low", "medium", "high", "critical")


@dataclass(frozen=True)
class _Pending:
    draft: TicketDraft
    tracker: str
    viewer: str
    expires_at: datetime


class Surface:
    """One per process; thread-safe (REST runs handlers in a pool, MCP over HTTP on the event loop's threads)."""

    def __init__(self, runtime: Runtime, *, agent: Asker | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self.runtime = runtime
        self._agent = agent
        self.clock = clock
        self._drafts: dict[str, _Pending] = {}
        self._lock = threading.Lock()

    # --- composition ---------------------------------------------------------------------------------------------

    @property
    def agent(self) -> Asker:
        return self._agent or self.runtime.agent

    @property
    def tools(self) -> AgentTools:
        agent = self.agent
        context = getattr(agent, "context", None)
        return context.tools if context is not None else self.runtime.raw_agent.context.tools

    def now(self) -> datetime:
        context = getattr(self.agent, "context", None)
        return context.now() if context is not None else self.runtime.raw_agent.context.now()

    @cached_property
    def auth(self) -> TokenAuth:
        s = self.runtime.settings
        bucket = TokenBucket(s.api_rate_per_s, s.api_rate_burst, store=self.runtime.budget_store)
        return TokenAuth(self.runtime.engine, self.viewer, bucket, on_denied=self._denied)

    def _denied(self, surface: str, who: str, reason: str, code: str) -> None:
        self.runtime.audit.denial(surface=surface, viewer=who, action="authenticate", reason=reason, code=code)

    @cached_property
    def tickets(self) -> TicketService:
        return build_ticket_service(self.runtime)

    def viewer(self, name: str) -> Viewer:
        """A configured viewer; the CLI viewer's name gives the CLI's default viewer, as `groundswell ask` does."""
        return self.runtime.viewer(None if name == self.runtime.settings.cli_viewer else name)

    # --- answers and figures -------------------------------------------------------------------------------------

    def ask(self, viewer: Viewer, question: str, thread_id: str | None = None, *, via: str = "rest") -> Answer:
        """The agent's answer, exactly as Slack and `groundswell ask` get it; audited as asked ``via`` this surface."""
        return ask_via(self.agent, question, viewer=viewer, thread_id=thread_id, surface=via)

    def run_query(self, viewer: Viewer, plan: QueryPlan, *, via: str = "rest") -> QueryResult:
        """A plan's exact results (``clarify``/``help`` plans have none), scoped to the viewer; audited."""
        started = perf_counter()
        results = self.tools.run_plan(plan, viewer)
        self.runtime.audit.plan_run(
            surface=via, viewer=viewer, plan=plan, results=results, latency_ms=(perf_counter() - started) * 1000
        )
        version = next((r.meta.get("taxonomy_version") for r in results if r.meta.get("taxonomy_version")), None)
        return QueryResult(results=results, taxonomy_version=version or plan.taxonomy_version, viewer=viewer.name)

    def find_quotes(self, viewer: Viewer, request: QuotesRequest) -> list[CitedQuote]:
        now = self.now()
        filters = request.filters
        updates: dict[str, Any] = {}
        if filters.window is None:
            window = Window(start=now - timedelta(days=request.days), end=now, label=f"last {request.days} days")
            updates["window"] = window
        if request.theme:
            self._require_theme(request.theme)
            updates["themes"] = [request.theme, *filters.themes]
        if request.text:
            updates["text"] = request.text
        plan = QueryPlan(kind="quotes", filters=filters.model_copy(update=updates), quotes=request.limit, as_of=now)
        return self.tools.quotes(plan=plan, viewer=viewer, results=(), limit=request.limit)

    def get_feedback(self, viewer: Viewer, unit_id: str) -> FeedbackUnitOut:
        """A unit (redacted) with its conversation; a unit outside the viewer's scope does not exist for it."""
        found = self.tools.units([unit_id])
        if not found or not is_visible(viewer, found[0].source, found[0].account_id, found[0].segment):
            raise NotFound(f"no feedback unit {unit_id!r}")
        with session_scope(self.runtime.engine) as session:
            ids = thread_unit_ids(session=session, unit_id=unit_id)
        thread = self.tools.units(ids)
        visible = [u for u in thread if is_visible(viewer, u.source, u.account_id, u.segment)]
        return FeedbackUnitOut(
            unit=quote_from_unit(found[0], 1),
            thread=[quote_from_unit(u, i) for i, u in enumerate(visible, start=1)],
            thread_hidden=len(thread) - len(visible),
        )

    # --- catalogue -----------------------------------------------------------------------------------------------

    def list_themes(self, *, offset: int = 0, limit: int = 100) -> ThemesOut:
        """The current taxonomy: version and themes (parents before children), with owners."""
        with session_scope(self.runtime.engine) as session:
            taxonomy = get_taxonomy(session=session)
        themes = [] if taxonomy is None else [ThemeOut.model_validate(t.as_dict()) for t in taxonomy]
        page = themes[offset : offset + limit]
        more = offset + limit < len(themes)
        return ThemesOut(taxonomy_version=taxonomy.version if taxonomy else None, themes=page, total=len(themes),
                         next_offset=offset + limit if more else None)  # fmt: skip

    def source_health(self, viewer: Viewer) -> list[SourceHealth]:
        """Freshness of the sources the viewer may see: last sync, newest unit, cadence, stale."""
        fresh = self.tools.freshness(self.now())
        return [
            SourceHealth(source=name, **{k: v for k, v in facts.items() if k in SourceHealth.model_fields})
            for name, facts in fresh.items()
            if viewer.sources is None or name in viewer.sources
        ]

    def glossary(self) -> dict[str, Any]:
        """The words plans and answers use, and the themes' names and aliases (nothing scoped: same for all)."""

        def values(field: str) -> list[str]:
            return list(QueryPlan.model_fields[field].annotation.__args__)  # type: ignore[union-attr]

        themes = self.list_themes(limit=100_000)
        return {
            "kinds": values("kind"),
            "metrics": values("metric"),
            "group_by": values("group_by"),
            "intents": list(INTENTS),
            "sentiments": list(SENTIMENTS),
            "severities": list(SEVERITIES),
            "filters": sorted(Filters.model_fields),
            "taxonomy_version": themes.taxonomy_version,
            "themes": {t.key: {"name": t.name, "aliases": t.aliases} for t in themes.themes},
        }

    def _require_theme(self, key: str) -> None:
        with session_scope(self.runtime.engine) as session:
            taxonomy = get_taxonomy(session=session)
        if taxonomy is None or key not in taxonomy:
            raise NotFound(f"no theme {key!r} in the current taxonomy (list_themes gives the keys)")

    # --- tickets -------------------------------------------------------------------------------------------------

    def draft_ticket(self, viewer: Viewer, request: DraftRequest) -> TicketDraftOut:
        """A draft with the theme's evidence, routed to its owner; nothing is filed."""
        self._require_theme(request.theme)
        now = self.now()
        window = Window(start=now - timedelta(days=request.days), end=now, label=f"last {request.days} days")
        tracker = self.tickets.tracker(request.tracker).name
        draft = self.tickets.draft_for_theme(request.theme, window=window, title=request.title, note=request.note,
                                             requested_by=f"api:{viewer.name}", tracker=tracker,
                                             viewer=viewer)  # fmt: skip
        draft_id = secrets.token_urlsafe(12)
        expires = self.clock() + timedelta(seconds=self.runtime.settings.api_draft_ttl_s)
        with self._lock:
            self._drafts = {k: p for k, p in self._drafts.items() if p.expires_at > self.clock()}
            self._drafts[draft_id] = _Pending(draft, tracker, viewer.name, expires)
        return TicketDraftOut(draft_id=draft_id, title=draft.title, body=draft.body, theme_key=draft.theme_key,
                              team=draft.team, assignee_email=draft.assignee_email, tracker=tracker,
                              unit_ids=draft.unit_ids, expires_at=expires)  # fmt: skip

    def confirm_ticket(self, viewer: Viewer, draft_id: str, *, force: bool = False, via: str = "rest") -> TicketFiled:
        """File a draft this viewer made; only roles in ``api_ticket_roles`` may (others: an audited denial)."""
        if viewer.role not in self.runtime.settings.api_ticket_roles:
            reason = f"role {viewer.role!r} may not file tickets (allowed: api_ticket_roles)"
            self.runtime.audit.denial(
                surface=via, viewer=viewer.name, action="confirm_ticket", reason=reason, code="role_not_allowed"
            )
            raise Forbidden(reason)
        with self._lock:
            pending = self._drafts.get(draft_id)
            if pending is None or pending.viewer != viewer.name or pending.expires_at <= self.clock():
                raise NotFound(f"no pending draft {draft_id!r} (drafts expire; draft again)")
            del self._drafts[draft_id]
        result = self.tickets.file(pending.draft, tracker=pending.tracker, force=force)
        return TicketFiled(
            status=result.status,
            message=result.message,
            ticket_key=result.ticket.key if result.ticket else None,
            url=result.ticket.url if result.ticket else None,
            ticket_id=result.ticket_id,
            existing=[t.key for t in result.existing],
        )
