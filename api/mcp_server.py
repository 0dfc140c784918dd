"""The MCP server (official ``mcp`` SDK): the facade's calls as tools, the taxonomy and glossary as resources,
prompts for the common questions. Over stdio (``groundswell mcp``, one token for the process) and streamable HTTP
(``/mcp`` in ``serve``, a bearer token on every request).

Every tool call authenticates its token (HTTP: the request's ``Authorization`` header; stdio: the process's
token), spends one unit of that token's rate-limit bucket and runs as the token's viewer, scoped exactly as Slack
answers are. Errors come back as tool errors titled like the REST API's problems ("Not found: …").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import anyio.to_thread
from groundswell.core.answer import Answer
from groundswell.core.errors import GroundswellError
from groundswell.core.query import QueryPlan, Viewer
from groundswell.surfaces.errors import SurfaceError, Unauthorized
from groundswell.surfaces.models import (
    DraftRequest,
    FeedbackUnitOut,
    QueryResult,
    QuoteList,
    QuotesRequest,
    SourceList,
    ThemesOut,
    TicketDraftOut,
    TicketFiled,
)
from groundswell.surfaces.service import Surface
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http_manager import StreamableHTTPASGIApp
from mcp.server.transport_security import TransportSecuritySettings
from pydantic import Field
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["BearerGate", "bearer_of", "build_mcp_server", "mcp_http_app"]

T = TypeVar("T")
INSTRUCTIONS = (
    "Customer feedback intelligence with exact numbers and citations. Start with `ask` for a question in plain "
    "words; its answer carries the plan it ran (`plan`), which you can adjust and send to `run_query` for exact "
    "figures. Use `list_themes` for theme keys, `find_quotes` for cited quotes and `get_feedback` to open a "
    "citation. Every figure is scoped to your token's viewer. Tickets: `draft_ticket`, show the draft to a human, "
    "and only after they agree call `confirm_ticket`."
)


TOOLS = {  # what an agent reads to choose a tool: no other docs needed
    "ask": (
        "Answer a question about customer feedback in plain words (e.g. 'top themes in the last 30 days for "
        "enterprise accounts', 'how many bug reports about SSO this month?'). Returns the same answer Slack "
        "gives: text with [n] citations, exact results, the plan that produced them, window, filters, "
        "taxonomy version and source freshness. Pass thread_id to ask follow-ups."
    ),
    "run_query": (
        "Run a typed query plan for exact figures (counts, rankings, comparisons, trends, ARR) without the "
        "language layer. Easiest: take `plan` from an `ask` answer and change what you need (filters.window, "
        "filters.themes, group_by, k, metric). Results are scoped to your viewer."
    ),
    "find_quotes": (
        "Representative customer quotes (redacted) with source links, optionally about one theme (a key from "
        "list_themes) and/or close in meaning to a text, over the last N days."
    ),
    "get_feedback": (
        "Open a citation: one feedback unit (redacted) by its unit_id (from an answer's citations or "
        "find_quotes), with the other units of its conversation you may see."
    ),
    "list_themes": (
        "The current theme taxonomy: version and themes (key, name, parent, aliases, owning team). Theme keys "
        "are what filters.themes, find_quotes and draft_ticket take."
    ),
    "source_health": (
        "Health of the feedback sources you may see: last successful sync, newest unit, expected cadence and "
        "whether the source is stale (answers from stale sources may lag)."
    ),
    "draft_ticket": (
        "Draft a ticket for a theme with its evidence (mentions, accounts, ARR, quotes), routed to the owning "
        "team. Files NOTHING: show the draft to a human and call confirm_ticket with its draft_id only if "
        "they agree."
    ),
    "confirm_ticket": (
        "File a ticket drafted by draft_ticket, after a human confirmed it. Only viewers whose role may file "
        "tickets can; force files even if an open ticket on the theme exists."
    ),
}


def bearer_of(headers: Any) -> str | None:
    """The token of an ``Authorization: Bearer …`` header (any case), else None."""
    value = headers.get("authorization") if headers is not None else None
    scheme, _, token = (value or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def build_mcp_server(surface: Surface, *, token: str | None = None) -> MCPServer:
    """Tools, resources and prompts over ``surface``; ``token`` is the stdio process's (HTTP sends its own)."""
    server = MCPServer(name="groundswell", title="Groundswell", instructions=INSTRUCTIONS)

    def viewer(ctx: Context) -> Viewer:
        headers = ctx.headers
        presented = bearer_of(headers) if headers is not None else token
        return surface.auth.authenticate(presented, surface="mcp")[1]

    async def call(ctx: Context, fn: Callable[[Viewer], T]) -> T:
        def run() -> T:
            try:
                return fn(viewer(ctx))
            except SurfaceError as exc:
                raise ToolError(f"{exc.title}: {exc.detail}") from exc
            except GroundswellError as exc:
                raise ToolError(f"Invalid request: {exc}") from exc

        return await anyio.to_thread.run_sync(run)

    @server.tool(description=TOOLS["ask"])
    async def ask(
        question: Annotated[str, Field(min_length=1, max_length=2_000, description="The question.")],
        ctx: Context,
        thread_id: Annotated[str | None, Field(max_length=200, description="Same id: follow-ups keep context.")] = None,
    ) -> Answer:
        return await call(ctx, lambda who: surface.ask(who, question, thread_id, via="mcp"))

    @server.tool(description=TOOLS["run_query"])
    async def run_query(plan: QueryPlan, ctx: Context) -> QueryResult:
        return await call(ctx, lambda who: surface.run_query(who, plan, via="mcp"))

    @server.tool(description=TOOLS["find_quotes"])
    async def find_quotes(
        ctx: Context,
        theme: Annotated[str | None, Field(max_length=200, description="Theme key (leaf or parent).")] = None,
        text: Annotated[str | None, Field(max_length=500, description="Search by meaning.")] = None,
        days: Annotated[int, Field(ge=1, le=3650, description="Window: the last N days.")] = 90,
        limit: Annotated[int, Field(ge=1, le=20)] = 5,
    ) -> QuoteList:
        request = QuotesRequest(theme=theme, text=text, days=days, limit=limit)
        return await call(ctx, lambda who: QuoteList(quotes=surface.find_quotes(who, request)))

    @server.tool(description=TOOLS["get_feedback"])
    async def get_feedback(
        unit_id: Annotated[str, Field(min_length=1, max_length=200)], ctx: Context
    ) -> FeedbackUnitOut:
        return await call(ctx, lambda who: surface.get_feedback(who, unit_id))

    @server.tool(description=TOOLS["list_themes"])
    async def list_themes(
        ctx: Context,
        offset: Annotated[int, Field(ge=0)] = 0,
        limit: Annotated[int, Field(ge=1, le=1_000)] = 200,
    ) -> ThemesOut:
        return await call(ctx, lambda who: surface.list_themes(offset=offset, limit=limit))

    @server.tool(description=TOOLS["source_health"])
    async def source_health(ctx: Context) -> SourceList:
        return await call(ctx, lambda who: SourceList(sources=surface.source_health(who)))

    @server.tool(description=TOOLS["draft_ticket"])
    async def draft_ticket(
        theme: Annotated[str, Field(min_length=1, max_length=200, description="Theme key.")],
        ctx: Context,
        days: Annotated[int, Field(ge=1, le=365, description="Evidence window: the last N days.")] = 30,
        title: Annotated[str | None, Field(min_length=1, max_length=250)] = None,
        note: Annotated[str, Field(max_length=2_000, description="A line above the evidence.")] = "",
    ) -> TicketDraftOut:
        request = DraftRequest(theme=theme, days=days, title=title, note=note)
        return await call(ctx, lambda who: surface.draft_ticket(who, request))

    @server.tool(description=TOOLS["confirm_ticket"])
    async def confirm_ticket(
        draft_id: Annotated[str, Field(min_length=1, max_length=100)], ctx: Context, force: bool = False
    ) -> TicketFiled:
        return await call(ctx, lambda who: surface.confirm_ticket(who, draft_id, force=force, via="mcp"))

    @server.resource("groundswell://taxonomy", name="taxonomy", mime_type="application/json",
                     description="The current theme taxonomy (version, themes, owners).")  # fmt: skip
    def taxonomy() -> str:
        return surface.list_themes(limit=100_000).model_dump_json()

    glossary_text = "What plans and answers mean: kinds, metrics, groupings, labels, filters, themes."

    @server.resource("groundswell://glossary", name="glossary", mime_type="application/json", description=glossary_text)
    def glossary() -> str:
        return json.dumps(surface.glossary())

    _prompts(server)
    return server


def _prompts(server: MCPServer) -> None:
    @server.prompt(description="The biggest feedback themes over a period, with figures and quotes.")
    def top_themes(days: str = "30", segment: str = "") -> str:
        who = f" for {segment} accounts" if segment else ""
        return f"Using the ask tool: what are the top 5 themes in the last {days} days{who}? Cite the quotes."

    @server.prompt(description="What changed: themes growing fastest against the previous period.")
    def whats_changed(days: str = "7") -> str:
        return f"Using the ask tool: which themes grew the most in the last {days} days compared to the period before?"

    @server.prompt(description="Feedback putting revenue at risk: renewals and churn signals, by ARR.")
    def revenue_at_risk(days: str = "90") -> str:
        return (f"Using the ask tool: which themes come from accounts renewing in the next {days} days, ranked by "
                "ARR? Then open the top citations with get_feedback.")  # fmt: skip

    @server.prompt(description="Everything about one theme: volume, trend, segments and quotes; then a ticket draft.")
    def theme_brief(theme: str) -> str:
        return (f"Using ask and find_quotes: what are customers saying about {theme}? Give the numbers and quotes, "
                "then draft_ticket for it and show me the draft; do not confirm it.")  # fmt: skip


class BearerGate:
    """ASGI gate in front of ``/mcp``: a missing, unknown, revoked or expired token gets a 401 problem."""

    def __init__(self, app: ASGIApp, surface: Surface) -> None:
        self.app, self.surface = app, surface

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            try:
                auth, token = self.surface.auth, bearer_of(headers)
                await anyio.to_thread.run_sync(lambda: auth.authenticate(token, spend=False, surface="mcp"))
            except Unauthorized as exc:
                from groundswell.api.rest import problem

                await problem(401, exc.title, exc.detail, {"WWW-Authenticate": "Bearer"})(scope, receive, send)
                return
        await self.app(scope, receive, send)


def mcp_http_app(server: MCPServer, surface: Surface, allowed_hosts: list[str]) -> ASGIApp:
    """The streamable HTTP endpoint behind the bearer gate (stateless: any worker can answer any request).
    Run ``server.session_manager.run()`` around the app's lifetime."""
    security = TransportSecuritySettings(
        enable_dns_rebinding_protection=bool(allowed_hosts), allowed_hosts=allowed_hosts, allowed_origins=[]
    )
    server.streamable_http_app(stateless_http=True, json_response=True, transport_security=security)
    return BearerGate(StreamableHTTPASGIApp(server.session_manager), surface)
