"""Everything the agent's nodes depend on, handed in once: no module globals, stubs in tests.

The runtime builds an :class:`AgentContext` from Settings (real storage tools, the planner, an optional chat
model); tests build one from plain callables. Nodes only ever call what is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from groundswell.core.answer import CitedQuote, ToolResult
from groundswell.core.protocols import ChatModel
from groundswell.core.query import QueryPlan, Viewer, Vocabulary
from groundswell.storage.citations import CitedUnit

__all__ = ["AgentContext", "AgentOptions", "AgentTools", "Planner", "QuoteFinder"]


class Planner(Protocol):
    """``graph.planner.plan_question`` or ``LLMPlanner(...)``: a question to a typed plan."""

    def __call__(
        self, question: str, *, vocabulary: Vocabulary, as_of: datetime, previous: QueryPlan | None = None
    ) -> QueryPlan: ...


class QuoteFinder(Protocol):
    """Representative quotes for a plan, already filtered by what the viewer may see."""

    def __call__(
        self, *, plan: QueryPlan, viewer: Viewer, results: Sequence[ToolResult], limit: int
    ) -> list[CitedQuote]: ...


@dataclass(frozen=True)
class AgentTools:
    """The data side: every number comes from ``run_plan``; the rest only describes or cites."""

    vocabulary: Callable[[datetime, Viewer], Vocabulary]  # (as_of, viewer) -> what the database holds
    run_plan: Callable[[QueryPlan, Viewer], list[ToolResult]]  # exact, SQL-backed, viewer-filtered
    quotes: QuoteFinder
    freshness: Callable[[datetime], dict[str, dict[str, Any]]]  # now -> source -> {newest_unit_at, stale, …}
    units: Callable[[Sequence[str]], list[CitedUnit]]  # citation lookup by unit id
    reveal: Callable[[list[CitedQuote], Viewer], list[CitedQuote]] | None = None  # PII originals, audited


@dataclass(frozen=True)
class AgentOptions:
    """Knobs from Settings."""

    max_question_chars: int = 2_000
    evidence_per_row: int = 1  # citations attached to each ranking/set row
    evidence_total: int = 3  # citations attached to a single number
    llm_max_tokens: int = 700
    quote_chars: int = 280


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AgentContext:
    """The agent's dependencies. ``chat_model`` None: template answers (offline)."""

    tools: AgentTools
    planner: Planner
    chat_model: ChatModel | None = None
    clock: Callable[[], datetime] = _now
    as_of: datetime | None = None  # fixed "now" for relative windows (demo corpus, evals); None: the clock
    options: AgentOptions = field(default_factory=AgentOptions)

    def now(self) -> datetime:
        return self.as_of or self.clock()
