"""Stand-ins for the analytics tools and the planner: a small in-memory world computed in plain Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from groundswell.core.answer import CitedQuote, ResultRow, ToolResult
from groundswell.core.protocols import ChatReply
from groundswell.core.query import Filters, QueryPlan, RankingWeights, Viewer, Vocabulary, Window
from groundswell.graph.context import AgentContext, AgentTools
from groundswell.graph.tools import is_visible, quote_from_unit
from groundswell.storage.citations import CitedUnit

AS_OF = datetime(2026, 11, 25, tzinfo=UTC)
LAST_30 = Window(start=AS_OF - timedelta(days=30), end=AS_OF, label="last 30 days")
PRIOR_30 = Window(start=AS_OF - timedelta(days=60), end=AS_OF - timedelta(days=30), label="prior 30 days")
THEMES = ("auth.sso_login", "billing.invoices", "mobile.crash")
LABELS = {
    "auth.sso_login": "Authentication > SSO login",
    "billing.invoices": "Billing > Invoices",
    "mobile.crash": "Mobile app > Crashes",
}
SOURCES = ("zendesk", "gong", "googleplay")
SEGMENTS = ("Enterprise", "SMB", "Mid-Market")

UNITS = [
    CitedUnit(
        id=f"u{i:03d}",
        text=f"Customer message number {i} about {THEMES[i % 3]}: it keeps failing for 1{i} users.",
        source=SOURCES[i % 3],
        created_at=AS_OF - timedelta(days=(i * 7) % 55, hours=1),
        url=f"https://support.example.com/tickets/{i}",
        account_id=f"ACC{i % 5}",
        account_name=f"Account {i % 5}",
        segment=SEGMENTS[i % 5 % 3],
    )
    for i in range(90)
]
THEME_OF = {u.id: THEMES[(i * 2 + i // 3) % 3] for i, u in enumerate(UNITS)}


def plan(kind: str, **kwargs: Any) -> QueryPlan:
    filters = kwargs.pop("filters", {})
    return QueryPlan(kind=kind, as_of=AS_OF, filters=Filters(**{"window": LAST_30, **filters}), **kwargs)  # type: ignore[arg-type]


def select(units: Sequence[CitedUnit], filters: Filters, viewer: Viewer) -> list[CitedUnit]:
    out = []
    for u in units:
        if not is_visible(viewer, u.source, u.account_id, u.segment):
            continue
        if filters.window and not (filters.window.start <= u.created_at < filters.window.end):
            continue
        if filters.themes and THEME_OF[u.id] not in filters.themes:
            continue
        if filters.segments and u.segment not in filters.segments:
            continue
        if filters.sources and u.source not in filters.sources:
            continue
        if filters.accounts and u.account_id not in filters.accounts:
            continue
        out.append(u)
    return out


def _team(key: str) -> dict[str, Any]:
    return {"owner_team": "Identity team 2"} if key == "auth.sso_login" else {}


def _rows(groups: dict[str, list[CitedUnit]], label: Callable[[str], str]) -> list[ResultRow]:
    rows = [
        ResultRow(key=k, label=label(k), value=len(v), count=len(v), unit_ids=[u.id for u in v[:2]], extra=_team(k))
        for k, v in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.value, r.key))


def _movers(p: QueryPlan, now: list[CitedUnit], before: list[CitedUnit]) -> list[ResultRow]:
    """As storage.analytics.series does: themes that moved, rising first (no theme filter only)."""
    if p.filters.themes:
        return []
    keys = sorted({THEME_OF[u.id] for u in now + before})
    counts = {k: (sum(THEME_OF[u.id] == k for u in now), sum(THEME_OF[u.id] == k for u in before)) for k in keys}
    moved = sorted((k for k, (a, b) in counts.items() if a != b), key=lambda k: counts[k][1] - counts[k][0])
    rows = []
    for k in moved:
        a, b = counts[k]
        ids = [u.id for u in now if THEME_OF[u.id] == k][:2]
        extra = {"mover": "rising" if a > b else "falling"}
        rows.append(ResultRow(key=k, label=LABELS[k], value=a, count=a, previous=b, delta=a - b, p_value=0.2,
                              unit_ids=ids, extra=extra))  # fmt: skip
    return rows


def run_plan(p: QueryPlan, viewer: Viewer) -> list[ToolResult]:
    units = select(UNITS, p.filters, viewer)
    meta = {"taxonomy_version": 2}
    if p.kind in ("count", "number"):
        return [ToolResult(tool="count", total=len(units), unit_ids=[u.id for u in units[:3]], meta=meta)]
    if p.kind == "comparison":
        before = select(UNITS, p.filters.model_copy(update={"window": p.previous_window}), viewer)
        row = ResultRow(
            key="all",
            label="SSO login",
            value=len(units),
            previous=len(before),
            delta=len(units) - len(before),
            p_value=0.031,
            unit_ids=[u.id for u in units[:2]],
        )
        return [ToolResult(tool="compare", rows=[row, *_movers(p, units, before)], meta=meta)]
    if p.kind == "trend":
        weeks: dict[str, list[CitedUnit]] = {}
        for u in sorted(units, key=lambda u: u.created_at):
            weeks.setdefault((u.created_at - timedelta(days=u.created_at.weekday())).date().isoformat(), []).append(u)
        rows = [ResultRow(key=k, label=k, value=len(v), count=len(v), unit_ids=[v[0].id]) for k, v in weeks.items()]
        return [ToolResult(tool="trend", rows=rows, meta=meta)]
    if p.kind == "set":
        by_account: dict[str, list[CitedUnit]] = {}
        for u in units:
            by_account.setdefault(u.account_id or "", []).append(u)
        return [ToolResult(tool="accounts", rows=_rows(by_account, lambda k: f"Account {k[-1]}"), meta=meta)]
    if p.kind == "account":
        by_theme: dict[str, list[CitedUnit]] = {}
        for u in units:
            by_theme.setdefault(THEME_OF[u.id], []).append(u)
        info = {"name": "Account 1", "segment": "SMB", "arr": 120_000.0, "renewal_date": "2027-01-15"}
        return [
            ToolResult(tool="account", rows=_rows(by_theme, LABELS.__getitem__), total=len(units), meta=meta | info)
        ]
    if p.kind == "quotes":
        return [ToolResult(tool="quotes", unit_ids=[u.id for u in units], total=len(units), meta=meta)]
    by_group: dict[str, list[CitedUnit]] = {}
    for u in units:
        key = {"source": u.source, "segment": u.segment or ""}.get(p.group_by, THEME_OF[u.id])
        by_group.setdefault(key, []).append(u)
    rows = _rows(by_group, lambda k: LABELS.get(k, k))
    if p.metric == "priority":
        rows = [r.model_copy(update={"value": round(r.value / 30, 3), "extra": {"volume": r.value}}) for r in rows]
    if p.metric == "arr":
        rows = [r.model_copy(update={"value": r.value * 25_000.0, "arr": r.value * 25_000.0}) for r in rows]
    return [ToolResult(tool="rank", rows=rows[: p.k], meta=meta)]


def quotes(*, plan: QueryPlan, viewer: Viewer, results: Sequence[ToolResult], limit: int) -> list[CitedQuote]:
    units = select(UNITS, plan.filters, viewer)[:limit]
    return [quote_from_unit(u, i, LABELS[THEME_OF[u.id]]) for i, u in enumerate(units, start=1)]


def freshness(now: datetime) -> dict[str, dict[str, Any]]:
    return {
        "zendesk": {"newest_unit_at": AS_OF - timedelta(hours=2), "stale": False},
        "gong": {"newest_unit_at": AS_OF - timedelta(days=9), "stale": True},
        "googleplay": {"newest_unit_at": (AS_OF - timedelta(days=1)).isoformat(), "stale": False},
    }


def units(ids: Sequence[str]) -> list[CitedUnit]:
    by_id = {u.id: u for u in UNITS}
    return [by_id[i] for i in dict.fromkeys(ids) if i in by_id]


def vocabulary(as_of: datetime, viewer: Viewer) -> Vocabulary:
    return Vocabulary(taxonomy_version=2, segments=list(SEGMENTS), sources=list(SOURCES), as_of=as_of)


TOOLS = AgentTools(vocabulary=vocabulary, run_plan=run_plan, quotes=quotes, freshness=freshness, units=units)


@dataclass
class ScriptedPlanner:
    """Plans from a {question: plan or callable(previous)} script; records every call."""

    script: dict[str, QueryPlan | Callable[[QueryPlan | None], QueryPlan]]
    calls: list[tuple[str, QueryPlan | None]] = field(default_factory=list)

    def __call__(
        self, question: str, *, vocabulary: Vocabulary, as_of: datetime, previous: QueryPlan | None = None
    ) -> QueryPlan:
        self.calls.append((question, previous))
        found = self.script[question]
        return found(previous) if callable(found) else found


@dataclass
class ScriptedChat:
    """A chat model double: returns scripted replies (or raises) and records the messages it was sent."""

    replies: list[ChatReply | Exception]
    model_id: str = "scripted"
    sent: list[list[dict[str, Any]]] = field(default_factory=list)

    def chat(self, messages: Sequence[Any], **kwargs: Any) -> ChatReply:
        self.sent.append([dict(m) for m in messages])
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


def context(planner: Any, chat: Any = None) -> AgentContext:
    return AgentContext(tools=TOOLS, planner=planner, chat_model=chat, as_of=AS_OF)


ADMIN = Viewer(name="ada", role="admin")
SMB_ONLY = Viewer(name="sam", role="restricted", segments=frozenset({"SMB"}), sources=frozenset({"zendesk", "gong"}))
WEIGHTS = RankingWeights()
