"""Run a plan's tools for a viewer and gather what the answer cites: results, quotes, evidence, freshness.

Numbers come only from ``AgentTools.run_plan``. Citations are numbered here, once, and every cited unit is
checked again against the viewer's scope (defence in depth: the tools already filter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from groundswell.core.answer import CitedQuote, ToolResult
from groundswell.core.query import QueryPlan, Viewer
from groundswell.core.segments import segment_in
from groundswell.graph.context import AgentContext
from groundswell.storage.citations import CitedUnit

__all__ = ["Gathered", "gather", "is_visible", "quote_from_unit"]

NO_TOOLS = frozenset({"clarify", "help"})


def is_visible(viewer: Viewer, source: str, account_id: str | None, segment: str | None) -> bool:
    """May ``viewer`` see a unit from this source, account and segment (at the unit's time)?"""
    if viewer.sources is not None and source not in viewer.sources:
        return False
    if viewer.accounts is not None and account_id not in viewer.accounts:
        return False
    return viewer.segments is None or segment_in(segment, viewer.segments)


def quote_from_unit(unit: CitedUnit, n: int, theme: str | None = None) -> CitedQuote:
    return CitedQuote(
        n=n,
        unit_id=unit.id,
        text=unit.text,
        source=unit.source,
        created_at=unit.created_at,
        url=unit.url,
        account=unit.account_name,
        segment=unit.segment,
        theme=theme,
        account_id=unit.account_id,
    )


@dataclass
class Gathered:
    """What one plan produced: results, numbered citations, and which citation backs which row."""

    results: list[ToolResult] = field(default_factory=list)
    citations: list[CitedQuote] = field(default_factory=list)
    freshness: dict[str, datetime | None] = field(default_factory=dict)
    stale_sources: list[str] = field(default_factory=list)
    taxonomy_version: int | None = None
    names: dict[str, str] = field(default_factory=dict)  # theme keys / account ids of the plan -> display names
    quoted: int = 0  # the first ``quoted`` citations are quotes to show; the rest back rows and totals


def _evidence_ids(plan: QueryPlan, results: Sequence[ToolResult], per_row: int, total: int) -> list[tuple[str, str]]:
    """(unit id, row label) pairs: a few units per row, or per single-number result."""
    pairs: list[tuple[str, str]] = []
    for result in results:
        if result.rows:  # a comparison's rows are its total and its movers, all shown
            for row in result.rows if result.tool == "comparison" else result.rows[: plan.k]:
                pairs.extend((unit_id, row.label) for unit_id in row.unit_ids[:per_row])
        else:
            pairs.extend((unit_id, "") for unit_id in result.unit_ids[:total])
    return pairs


def _citations(
    context: AgentContext, plan: QueryPlan, viewer: Viewer, results: list[ToolResult]
) -> tuple[list[CitedQuote], int]:
    """Quotes first (as the quote tool ranked them), then the evidence of each row; visible units only."""
    options = context.options
    quotes = context.tools.quotes(plan=plan, viewer=viewer, results=results, limit=plan.quotes) if plan.quotes else []
    evidence = _evidence_ids(plan, results, options.evidence_per_row, options.evidence_total)
    wanted = [q.unit_id for q in quotes] + [unit_id for unit_id, _ in evidence]
    units = {unit.id: unit for unit in context.tools.units(wanted)}
    themes = {q.unit_id: q.theme for q in quotes} | {unit_id: label or None for unit_id, label in evidence}
    cited: list[CitedQuote] = []
    for unit_id in dict.fromkeys(wanted):
        unit = units.get(unit_id)
        if unit is None or not is_visible(viewer, unit.source, unit.account_id, unit.segment):
            continue
        cited.append(quote_from_unit(unit, len(cited) + 1, themes.get(unit_id)))
    quoted = {q.unit_id for q in quotes}
    return cited, sum(1 for q in cited if q.unit_id in quoted)


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value:
        return datetime.fromisoformat(value)
    return None


def _freshness(context: AgentContext, viewer: Viewer) -> tuple[dict[str, datetime | None], list[str]]:
    """Newest data time per source the viewer may see, and the sources that are stale."""
    report = context.tools.freshness(context.clock())
    freshness: dict[str, datetime | None] = {}
    stale: list[str] = []
    for source, info in sorted(report.items()):
        if viewer.sources is not None and source not in viewer.sources:
            continue
        freshness[source] = _as_datetime(info.get("newest_unit_at")) or _as_datetime(info.get("last_success_at"))
        if info.get("stale"):
            stale.append(source)
    return freshness, stale


def gather(context: AgentContext, plan: QueryPlan, viewer: Viewer) -> Gathered:
    """Run the plan's tools as ``viewer``; clarify/help plans run none."""
    freshness, stale = _freshness(context, viewer)
    gathered = Gathered(freshness=freshness, stale_sources=stale, taxonomy_version=plan.taxonomy_version)
    if plan.kind in NO_TOOLS:
        return gathered
    gathered.results = context.tools.run_plan(plan, viewer)
    for result in gathered.results:
        version = result.meta.get("taxonomy_version")
        if isinstance(version, int):
            gathered.taxonomy_version = version
    gathered.citations, gathered.quoted = _citations(context, plan, viewer, gathered.results)
    if viewer.can_reveal_pii and context.tools.reveal is not None and gathered.citations:
        gathered.citations = context.tools.reveal(gathered.citations, viewer)
    return gathered
