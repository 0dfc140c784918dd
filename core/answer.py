"""What the agent gives back: tool results, cited quotes, and the text that phrases them.

The Slack app, the CLI, digests and tickets all render an :class:`Answer`; none of them computes a number.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from groundswell.core.query import QueryPlan, Viewer, Window
from pydantic import BaseModel

__all__ = ["Answer", "Asker", "CitedQuote", "ResultRow", "ToolResult"]


class ResultRow(BaseModel):
    """One row of an aggregate: a group (theme, segment, source …) and its exact figures."""

    key: str  # stable id (theme key, segment name, source name, account external id)
    label: str  # what a reader sees ("Authentication > SSO login")
    value: float  # the ranked/asked metric
    count: int = 0
    previous: float | None = None  # comparison / growth
    delta: float | None = None
    p_value: float | None = None  # significance of the change (comparison)
    arr: float | None = None
    accounts: int | None = None
    extra: dict[str, Any] = {}  # e.g. priority components, owner team, trend buckets
    unit_ids: list[str] = []  # a few evidence units for citations


class ToolResult(BaseModel):
    """The output of one tool call; ``rows`` for aggregates, ``total`` for single numbers."""

    tool: str
    rows: list[ResultRow] = []
    total: float | None = None
    unit_ids: list[str] = []
    meta: dict[str, Any] = {}


class CitedQuote(BaseModel):
    """A verbatim (redacted) quote with everything needed to open its source."""

    n: int  # citation number as shown in the answer: [1], [2] …
    unit_id: str
    text: str
    source: str
    created_at: datetime
    url: str | None = None
    account: str | None = None
    segment: str | None = None
    theme: str | None = None
    account_id: str | None = None  # the account's CRM id (permission checks)


class Answer(BaseModel):
    """A verified answer. ``verified`` is False only when the verifier had to fall back to templates."""

    question: str
    text: str  # the full answer, citations as [n]
    headline: str
    plan: QueryPlan
    results: list[ToolResult] = []
    citations: list[CitedQuote] = []
    window: Window | None = None
    taxonomy_version: int | None = None
    freshness: dict[str, datetime | None] = {}  # source -> last successful sync / newest unit
    stale_sources: list[str] = []
    composer: str = "template"  # template | llm
    verified: bool = True
    clarification: str | None = None
    thread_id: str | None = None
    fallback: str | None = None  # why a configured LLM's prose was not used (error, failed verification)


@runtime_checkable
class Asker(Protocol):
    """The agent as its hosts (Slack, CLI, jobs, API) see it."""

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer: ...
