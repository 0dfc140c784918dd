"""Token and cost accounting for language-model calls: every call (or cache hit) becomes one :class:`LlmCall`
in a :class:`UsageLog` (the database in production, a list in tests), tagged with its purpose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from time import perf_counter
from typing import Any, Protocol, runtime_checkable

from groundswell.core.budgets import SpendLimit
from groundswell.core.protocols import ChatModel, ChatReply, ChatUsage

__all__ = ["LlmCall", "MemoryUsageLog", "MeteredChat", "Pricing", "UsageLog", "UsageTotals"]


@dataclass(frozen=True)
class Pricing:
    """US dollars per million prompt (input) and completion (output) tokens; zero when unknown."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0

    def cost(self, usage: ChatUsage) -> float:
        return (usage.prompt_tokens * self.input_per_million + usage.completion_tokens * self.output_per_million) / 1e6


@dataclass(frozen=True)
class LlmCall:
    """One call to the model, or one batch served from cache (``cached``: zero tokens, zero cost)."""

    purpose: str  # classify | plan | compose | …
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    items: int = 1  # units (or questions) the call served
    seconds: float = 0.0
    error: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))


@runtime_checkable
class UsageLog(Protocol):
    def record(self, call: LlmCall) -> None: ...


@dataclass
class UsageTotals:
    """Sums over calls, for reports and benchmarks."""

    calls: int = 0  # requests actually sent (cache hits excluded)
    cached: int = 0  # batches served from cache
    errors: int = 0
    items: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, call: LlmCall) -> None:
        self.calls += not call.cached
        self.cached += call.cached
        self.errors += call.error is not None
        self.items += call.items
        self.prompt_tokens += call.prompt_tokens
        self.completion_tokens += call.completion_tokens
        self.cost_usd += call.cost_usd

    def as_dict(self) -> dict[str, Any]:
        return {
            "calls": self.calls,
            "cached_batches": self.cached,
            "errors": self.errors,
            "items": self.items,
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "cost_usd": round(self.cost_usd, 6),
        }


class MemoryUsageLog:
    """A usage log in a list (tests, benchmarks)."""

    def __init__(self) -> None:
        self.calls: list[LlmCall] = []

    def record(self, call: LlmCall) -> None:
        self.calls.append(call)

    def totals(self) -> UsageTotals:
        totals = UsageTotals()
        for call in self.calls:
            totals.add(call)
        return totals


class MeteredChat:
    """A :class:`ChatModel` that records every call (tokens, cost, seconds, error) in a usage log.

    ``items`` (keyword, beyond the protocol) says how many units a call serves; failed calls are recorded with
    their error and re-raised. With a ``limit`` (a daily USD cap shared by every worker), a call once the cap
    is spent raises :class:`~core.budgets.BudgetExceeded` without reaching the model, and every call's cost is
    added to it.
    """

    def __init__(
        self,
        chat: ChatModel,
        *,
        purpose: str,
        log: UsageLog,
        pricing: Pricing | None = None,
        limit: SpendLimit | None = None,
    ) -> None:
        self.inner = chat
        self.purpose = purpose
        self.log = log
        self.pricing = pricing or Pricing()
        self.limit = limit
        self.totals = UsageTotals()

    @property
    def model_id(self) -> str:
        return self.inner.model_id

    def _record(self, call: LlmCall) -> None:
        self.totals.add(call)
        self.log.record(call)
        if self.limit is not None and call.cost_usd:
            self.limit.record(call.cost_usd)

    def chat(
        self,
        messages: Sequence[Mapping[str, Any]],
        *,
        json_schema: Mapping[str, Any] | None = None,
        schema_name: str = "output",
        tools: Sequence[Mapping[str, Any]] | None = None,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        items: int = 1,
    ) -> ChatReply:
        if self.limit is not None:
            self.limit.check()
        started = perf_counter()
        try:
            reply = self.inner.chat(
                messages,
                json_schema=json_schema,
                schema_name=schema_name,
                tools=tools,
                temperature=temperature,
                max_tokens=max_tokens,
            )
        except Exception as exc:
            self._record(
                LlmCall(
                    self.purpose,
                    self.model_id,
                    items=items,
                    seconds=perf_counter() - started,
                    error=f"{type(exc).__name__}: {exc}"[:500],
                )
            )
            raise
        self._record(
            LlmCall(
                self.purpose,
                reply.model or self.model_id,
                prompt_tokens=reply.usage.prompt_tokens,
                completion_tokens=reply.usage.completion_tokens,
                cost_usd=self.pricing.cost(reply.usage),
                items=items,
                seconds=perf_counter() - started,
            )
        )
        return reply

    def reset_totals(self) -> None:
        self.totals = UsageTotals()

    def record_cached(self, items: int) -> None:
        """A batch answered from cache: zero tokens, zero cost, counted."""
        self._record(LlmCall(self.purpose, self.model_id, cached=True, items=items))
