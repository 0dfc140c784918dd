"""Realistic answers for tests: what the agent returns for a ranking question over the demo corpus."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from groundswell.core.answer import Answer, CitedQuote, ResultRow, ToolResult
from groundswell.core.query import Filters, QueryPlan, Viewer, Window

AS_OF = datetime(2026, 11, 20, tzinfo=UTC)
WINDOW = Window(start=AS_OF - timedelta(days=30), end=AS_OF, label="last 30 days")


def ranking_answer(question: str, *, quotes: int = 7, thread_id: str | None = None) -> Answer:
    rows = [
        ResultRow(key="auth.sso_login", label="Authentication > SSO login", value=142, count=142, delta=38,
                  arr=1_250_000, accounts=31, extra={"owner_team": "identity"}, unit_ids=["u-1", "u-2"]),
        ResultRow(key="export.csv", label="Export > CSV export fails", value=97, count=97, delta=-4, unit_ids=["u-3"]),
        ResultRow(key="billing.invoices", label="Billing > Invoices", value=55, count=55, delta=12),
    ]  # fmt: skip
    citations = [
        CitedQuote(
            n=i + 1,
            unit_id=f"u-{i + 1}",
            text=f"SSO login keeps failing after the update, attempt {i + 1}.",
            source="zendesk",
            created_at=AS_OF - timedelta(days=i + 1),
            url=f"https://brightloop.zendesk.com/agent/tickets/{1000 + i}",
            account="Acme Corp",
            segment="Enterprise",
            theme="auth.sso_login",
        )
        for i in range(quotes)
    ]
    plan = QueryPlan(kind="ranking", metric="count", group_by="theme", k=3, filters=Filters(window=WINDOW),
                     as_of=AS_OF, question=question)  # fmt: skip
    return Answer(
        question=question,
        text="SSO login is the top theme among enterprise customers (142 mentions, +38 vs the prior 30 days) [1][2].",
        headline="SSO login problems lead enterprise feedback",
        plan=plan,
        results=[ToolResult(tool="rank_themes", rows=rows, unit_ids=["u-1", "u-2", "u-3"])],
        citations=citations,
        window=WINDOW,
        taxonomy_version=3,
        freshness={"zendesk": AS_OF - timedelta(hours=2), "gong": AS_OF - timedelta(days=1)},
        stale_sources=["gong"],
        thread_id=thread_id,
    )


def comparison_answer(question: str, *, p_value: float = 0.42, thread_id: str | None = None) -> Answer:
    """ "Are SSO complaints rising?": 44 vs 38 before, within normal variation at ``p_value`` 0.42."""
    previous = Window(start=WINDOW.start - timedelta(days=30), end=WINDOW.start, label="the 30 days before")
    row = ResultRow(key="auth.sso_login", label="Authentication > SSO login", value=44, count=44, previous=38,
                    delta=6, p_value=p_value, unit_ids=["u-1"])  # fmt: skip
    plan = QueryPlan(kind="comparison", filters=Filters(window=WINDOW, themes=["auth.sso_login"]),
                     previous_window=previous, as_of=AS_OF, question=question)  # fmt: skip
    quote = ranking_answer(question, quotes=1).citations
    return Answer(
        question=question,
        text="*SSO login*: 44 signals vs 38 before (+6). That is within normal variation, not a significant change"
        f" (p = {p_value:.2f}). [1]",
        headline="SSO login complaints, last 30 days — 44 signals vs 38 before (+6, +16%).",
        plan=plan,
        results=[ToolResult(tool="comparison", rows=[row], unit_ids=["u-1"])],
        citations=quote,
        window=WINDOW,
        taxonomy_version=3,
        thread_id=thread_id,
    )


class ScriptedAsker:
    """An Asker double: records every call and answers with a realistic ranking (or raises ``fail``)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Viewer, str | None]] = []
        self.fail: Exception | None = None
        self.delay_s = 0.0
        self._mutex = threading.Lock()
        self.answer_with: Callable[..., Answer] = ranking_answer  # (question, thread_id=…) -> the answer

    def ask(self, question: str, *, viewer: Viewer, thread_id: str | None = None) -> Answer:
        with self._mutex:
            self.calls.append((question, viewer, thread_id))
        if self.delay_s:
            threading.Event().wait(self.delay_s)
        if self.fail is not None:
            raise self.fail
        return self.answer_with(question, thread_id=thread_id)
