"""What the surfaces take and give, as pydantic models (REST bodies, MCP tool results, the OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from groundswell.core.answer import CitedQuote, ToolResult
from groundswell.core.query import Filters
from pydantic import BaseModel, Field

__all__ = [
    "AskRequest",
    "DraftRequest",
    "FeedbackUnitOut",
    "Page",
    "QueryResult",
    "QuoteList",
    "QuotesRequest",
    "SourceHealth",
    "SourceList",
    "ThemeOut",
    "ThemesOut",
    "TicketDraftOut",
    "TicketFiled",
]


class AskRequest(BaseModel):
    question: str = Field(min_length=1, max_length=2_000, description="A question about customer feedback.")
    thread_id: str | None = Field(None, max_length=200, description="Follow-ups with the same id keep context.")


class QuotesRequest(BaseModel):
    """Cited quotes: any of a theme, a text to search by meaning, and filters (all optional)."""

    theme: str | None = Field(None, max_length=200, description="Theme key (leaf or parent), e.g. from list_themes.")
    text: str | None = Field(None, max_length=500, description="Search by meaning; never widens what may be seen.")
    filters: Filters = Filters()
    days: int = Field(90, ge=1, le=3650, description="Window: the last N days, unless filters.window is given.")
    limit: int = Field(5, ge=1, le=20)


class QuoteList(BaseModel):
    quotes: list[CitedQuote]


class SourceList(BaseModel):
    sources: list[SourceHealth]


class QueryResult(BaseModel):
    results: list[ToolResult]
    taxonomy_version: int | None = None
    viewer: str


class FeedbackUnitOut(BaseModel):
    """One unit (redacted) with the visible units of its conversation, oldest first."""

    unit: CitedQuote
    thread: list[CitedQuote] = []
    thread_hidden: int = 0  # units of the conversation outside the viewer's scope (not shown)


class ThemeOut(BaseModel):
    key: str
    name: str
    parent_key: str | None = None
    description: str = ""
    aliases: list[str] = []
    owner_team: str | None = None
    status: str = "active"


class ThemesOut(BaseModel):
    taxonomy_version: int | None
    themes: list[ThemeOut]
    total: int
    next_offset: int | None = None


class SourceHealth(BaseModel):
    source: str
    last_success_at: datetime | None = None
    newest_unit_at: datetime | None = None
    expected_cadence_s: int | None = None
    stale: bool


class Page(BaseModel):
    """A page of a list: ``next_offset`` None on the last one."""

    items: list[Any]
    total: int
    next_offset: int | None = None


class DraftRequest(BaseModel):
    theme: str = Field(min_length=1, max_length=200, description="Theme key the ticket is about.")
    days: int = Field(30, ge=1, le=365, description="Evidence window: the last N days.")
    title: str | None = Field(None, min_length=1, max_length=250)
    note: str = Field("", max_length=2_000, description="A line above the evidence.")
    tracker: Literal["jira", "linear", "local"] | None = None


class TicketDraftOut(BaseModel):
    """A draft nobody filed yet: confirm it (with its id) to file it."""

    draft_id: str
    title: str
    body: str
    theme_key: str | None = None
    team: str | None = None
    assignee_email: str | None = None
    tracker: str
    unit_ids: list[str] = []
    expires_at: datetime


class TicketFiled(BaseModel):
    status: Literal["created", "linked", "existing", "draft"]
    message: str
    ticket_key: str | None = None
    url: str | None = None
    ticket_id: int | None = None
    existing: list[str] = []
