"""The audit of every question: who asked what, through which surface, what data answered it, and what came back.

:class:`AuditedAsker` wraps the agent once, at composition, so Slack, the CLI, MCP and REST all go through it;
refusals (admin-only actions, unknown viewers, workspaces not allowed) are recorded through the same
:class:`AuditLog`. The log redacts request text before its sink sees it and never lets a sink failure break an
answer. Sinks (the database in production, a list in tests) implement :class:`AuditSink`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from time import perf_counter
from typing import Any, Literal, Protocol, runtime_checkable

from groundswell.core.answer import Answer, Asker, CitedQuote, ToolResult
from groundswell.core.llm_usage import LlmCall, MemoryUsageLog, UsageLog, UsageTotals
from groundswell.core.query import OUT_OF_SCOPE_NOTE, QueryPlan, Viewer
from groundswell.core.segments import segment_in
from groundswell.core.telemetry import NO_TELEMETRY, Telemetry

__all__ = [
    "OUT_OF_SCOPE",
    "AuditEntry",
    "AuditLog",
    "AuditSink",
    "AuditedAsker",
    "MemoryAuditSink",
    "ScopedUsageLog",
    "answer_digest",
    "ask_via",
    "evidence_of",
    "out_of_scope",
    "scope_reason",
]

log = logging.getLogger(__name__)

Outcome = Literal["answered", "refused", "error", "denied"]
OUT_OF_SCOPE = "out_of_scope"  # the denial code of a question asking for data outside the viewer's scope
DEFAULT_SURFACE = "cli"


@dataclass(frozen=True)
class AuditEntry:
    """One audited event. ``kind`` "question": an ask (answered, refused as out of scope, or failed);
    "denial": an action refused before anything was asked. :class:`AuditLog` redacts ``text`` and ``reason``."""

    kind: Literal["question", "denial"]
    surface: str  # slack | cli | mcp | rest | digest
    viewer: str
    action: str  # "ask", or what was refused ("slack.channel_settings", "slack.workspace" …)
    outcome: Outcome
    text: str = ""
    user_id: str | None = None  # the surface's own user id (Slack U…, a token id) when known
    thread_id: str | None = None
    reason: str | None = None
    plan: dict[str, Any] | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)  # per tool: total, rows (key, value, count, ids)
    unit_ids: list[str] = field(default_factory=list)  # every unit behind a number or a citation
    answer_sha256: str | None = None
    latency_ms: float | None = None
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0


@runtime_checkable
class AuditSink(Protocol):
    def write(self, entry: AuditEntry) -> None: ...


class MemoryAuditSink:
    """Entries in a list (tests)."""

    def __init__(self) -> None:
        self.entries: list[AuditEntry] = []

    def write(self, entry: AuditEntry) -> None:
        self.entries.append(entry)


def _identity(text: str) -> str:
    return text


class AuditLog:
    """Redacts, then writes to the sink; a failing sink is logged, never raised into the answer path. Every
    refusal (a denial, or a question refused as out of scope) is also counted in ``telemetry`` by reason code."""

    def __init__(
        self, sink: AuditSink, *, redact: Callable[[str], str] = _identity, telemetry: Telemetry = NO_TELEMETRY
    ) -> None:
        self.sink = sink
        self.redact = redact
        self.telemetry = telemetry

    def write(self, entry: AuditEntry) -> None:
        try:
            reason = self.redact(entry.reason) if entry.reason else entry.reason  # error messages may quote input
            self.sink.write(replace(entry, text=self.redact(entry.text) if entry.text else "", reason=reason))
        except Exception:
            log.exception("could not record the audit event %s/%s of %s", entry.kind, entry.action, entry.viewer)
        if entry.kind == "question" and entry.outcome == "refused":
            self.telemetry.count_denial(entry.surface, OUT_OF_SCOPE)

    def denial(
        self, *, surface: str, viewer: str, action: str, reason: str, code: str = "denied", text: str = "",
        user_id: str | None = None,
    ) -> None:  # fmt: skip
        """An access denial or out-of-scope request refused before the agent was asked; ``code`` is the bounded
        reason the metrics count it under (admin_only, workspace_not_allowed, unknown_viewer, unauthorized …)."""
        self.telemetry.count_denial(surface, code)
        self.write(
            AuditEntry(
                kind="denial",
                surface=surface,
                viewer=viewer,
                action=action,
                outcome="denied",
                reason=reason,
                text=text,
                user_id=user_id,
            )
        )

    def plan_run(
        self, *, surface: str, viewer: Viewer, plan: QueryPlan, results: Sequence[ToolResult], latency_ms: float,
        user_id: str | None = None, action: str = "run_query",
    ) -> None:  # fmt: skip
        """A plan run without the agent (an MCP/REST ``run_query``): plan, numbers and their unit ids."""
        evidence, unit_ids = evidence_of(results)
        scope = scope_reason(plan, viewer)
        self.write(
            AuditEntry(
                kind="question",
                surface=surface,
                viewer=viewer.name,
                action=action,
                user_id=user_id,
                outcome="refused" if scope else "answered",
                text=plan.question,
                reason=scope,
                plan=plan.model_dump(mode="json"),
                evidence=evidence,
                unit_ids=unit_ids,
                latency_ms=round(latency_ms, 1),
            )
        )


class ScopedUsageLog:
    """A usage log that hands each call to the collector of the question being answered in this context.

    The agent's chat model is metered into it once, at composition; :meth:`collect` opens a collector around one
    ask. Calls made outside any ask are only forwarded.
    """

    def __init__(self, forward: UsageLog | None = None) -> None:
        """``forward``: also hand every call to this log (the database ledger behind `groundswell llm usage`)."""
        self.forward = forward
        self._current: ContextVar[MemoryUsageLog | None] = ContextVar(f"audit-usage-{id(self)}", default=None)

    def record(self, call: LlmCall) -> None:
        if self.forward is not None:
            self.forward.record(call)
        current = self._current.get()
        if current is not None:
            current.record(call)

    @contextmanager
    def collect(self) -> Iterator[MemoryUsageLog]:
        collector = MemoryUsageLog()
        token = self._current.set(collector)
        try:
            yield collector
        finally:
            self._current.reset(token)


def answer_digest(text: str) -> str:
    """SHA-256 of the answer text exactly as returned (what a reader was shown can be proven later)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def evidence_of(
    results: Sequence[ToolResult], citations: Sequence[CitedQuote] = ()
) -> tuple[list[dict[str, Any]], list[str]]:
    """Per tool: its total and every row's key, value, count and evidence unit ids; and all unit ids, sorted."""
    evidence: list[dict[str, Any]] = []
    ids: set[str] = {quote.unit_id for quote in citations}
    for result in results:
        rows = [
            {"key": row.key, "value": row.value, "count": row.count, "unit_ids": list(row.unit_ids)}
            for row in result.rows
        ]
        evidence.append({"tool": result.tool, "total": result.total, "unit_ids": list(result.unit_ids), "rows": rows})
        ids.update(result.unit_ids)
        ids.update(uid for row in result.rows for uid in row.unit_ids)
    return evidence, sorted(ids)


def out_of_scope(plan: QueryPlan, viewer: Viewer) -> list[str]:
    """The plan's filters that ask for data outside the viewer's scope ("segments: Enterprise")."""
    parts: list[str] = []
    if viewer.segments is not None:
        outside = [s for s in plan.filters.segments if not segment_in(s, viewer.segments)]
        if outside:
            parts.append("segments: " + ", ".join(outside))
    for name, asked, allowed in (
        ("sources", plan.filters.sources, viewer.sources),
        ("accounts", plan.filters.accounts, viewer.accounts),
    ):
        outside = [x for x in asked if allowed is not None and x not in allowed]
        if outside:
            parts.append(f"{name}: " + ", ".join(outside))
    named = [u.removesuffix(OUT_OF_SCOPE_NOTE) for u in plan.unsupported if u.endswith(OUT_OF_SCOPE_NOTE)]
    if named:  # named in the question, taken out before planning (graph.scope_notes)
        parts.append("named: " + ", ".join(named))
    return parts


def scope_reason(plan: QueryPlan, viewer: Viewer) -> str | None:
    """Why the plan counts as refused ("outside the viewer's scope: segments: Enterprise"), or None."""
    parts = out_of_scope(plan, viewer)
    return "outside the viewer's scope: " + "; ".join(parts) if parts else None


class AuditedAsker:
    """Implements :class:`core.answer.Asker`; ``ask`` also takes the surface and the surface's user id."""

    def __init__(self, inner: Asker, audit: AuditLog, *, usage: ScopedUsageLog | None = None) -> None:
        self.inner = inner
        self.audit = audit
        self.usage = usage or ScopedUsageLog()

    def ask(
        self,
        question: str,
        *,
        viewer: Viewer,
        thread_id: str | None = None,
        surface: str = DEFAULT_SURFACE,
        user_id: str | None = None,
    ) -> Answer:
        base = {"surface": surface, "viewer": viewer.name, "user_id": user_id, "thread_id": thread_id, "text": question}
        started = perf_counter()
        with self.usage.collect() as calls:
            try:
                answer = self.inner.ask(question, viewer=viewer, thread_id=thread_id)
            except Exception as exc:
                self.audit.write(
                    _question(base, started, calls.totals(), outcome="error", reason=f"{type(exc).__name__}: {exc}")
                )
                raise
        evidence, unit_ids = evidence_of(answer.results, answer.citations)
        scope = scope_reason(answer.plan, viewer)
        self.audit.write(
            _question(
                base,
                started,
                calls.totals(),
                outcome="refused" if scope else "answered",
                reason=scope or answer.fallback,
                plan=answer.plan.model_dump(mode="json"),
                evidence=evidence,
                unit_ids=unit_ids,
                answer_sha256=answer_digest(answer.text),
            )
        )
        return answer


def _question(base: dict[str, Any], started: float, totals: UsageTotals, **fields: Any) -> AuditEntry:
    return AuditEntry(
        kind="question", action="ask", latency_ms=round((perf_counter() - started) * 1000, 1),
        llm_calls=totals.calls, prompt_tokens=totals.prompt_tokens, completion_tokens=totals.completion_tokens,
        cost_usd=round(totals.cost_usd, 6), **base, **fields,
    )  # fmt: skip


def ask_via(
    asker: Asker, question: str, *, viewer: Viewer, thread_id: str | None, surface: str, user_id: str | None = None
) -> Answer:
    """Ask, telling an audited asker the surface and user; a plain asker (a test double) just answers."""
    if isinstance(asker, AuditedAsker):
        return asker.ask(question, viewer=viewer, thread_id=thread_id, surface=surface, user_id=user_id)
    return asker.ask(question, viewer=viewer, thread_id=thread_id)
