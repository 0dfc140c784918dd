"""A ticket description written for the tracker from an answer, and whether the answer's change is real.

The description is plain Markdown (the subset both trackers read: ``**bold**`` lines, ``- `` bullets, ``> ``
quotes, ``[text](url)`` links), never Slack mrkdwn: Linear takes it as is, Jira turns it into ADF
(:func:`connectors.trackers.adf.markdown_to_adf`). It holds a summary sentence, the exact figures the answer
gave with their window, filters and taxonomy version, the top quotes with their source links, and a link back
to the answer in Slack. Every figure is read from the answer's tool results, none from its prose.
"""

from __future__ import annotations

from groundswell.core.answer import Answer, ResultRow
from groundswell.core.markdown_text import markdown_link, quote_block
from groundswell.core.markdown_text import md_literal as _md
from groundswell.core.stats import SIGNIFICANCE_LEVEL
from groundswell.graph.compose import filters_text, fmt_count, window_text
from groundswell.graph.compose_kinds import unsupported_line

__all__ = ["NO_CHANGE_STATEMENT", "markdown_link", "no_significant_change", "ticket_description"]

MAX_ROWS = 5
MAX_QUOTES = 3
QUOTE_CHARS = 300
NO_CHANGE_STATEMENT = (
    "The data shows no significant change: this answer found the change within normal variation (p = {p:.2f})."
)


def no_significant_change(answer: Answer) -> float | None:
    """The p-value of the answer's change when it is within normal variation (not significant), else None."""
    for result in answer.results:
        if result.tool != "comparison":
            continue
        p_value = result.rows[0].p_value if result.rows else result.meta.get("p_value")
        if isinstance(p_value, int | float) and p_value >= SIGNIFICANCE_LEVEL:
            return float(p_value)
    return None


def _number(value: float | None) -> str:
    if value is None:
        return "–"
    return fmt_count(value) if float(value).is_integer() else f"{value:,.2f}"


def _row(row: ResultRow) -> str:
    cells = [f"{_md(row.label)}: {_number(row.value)}"]
    if row.count and row.count != row.value:
        cells.append(f"{fmt_count(row.count)} signals")
    if row.previous is not None:
        cells.append(f"previous {_number(row.previous)}")
    if row.delta is not None:
        cells.append(f"change {'+' if row.delta > 0 else ''}{_number(row.delta)}")
    if row.p_value is not None:
        cells.append(f"p = {row.p_value:.3f}")
    if row.arr:
        cells.append(f"ARR ${row.arr:,.0f}")
    if row.accounts:
        cells.append(f"{fmt_count(row.accounts)} accounts")
    return "- " + ", ".join(cells)


def _figures(answer: Answer) -> list[str]:
    plan = answer.plan
    lines: list[str] = []
    for result in answer.results:
        if result.total is not None:
            lines.append(f"- {result.tool} total: {_number(result.total)}")
        lines += [_row(row) for row in result.rows[:MAX_ROWS]]
        if len(result.rows) > MAX_ROWS:
            lines.append(f"- … and {len(result.rows) - MAX_ROWS} more rows (see the answer)")
    names = {row.key: row.label for result in answer.results for row in result.rows}
    lines.append(f"- Window: {_md(window_text(answer.window or plan.filters.window))}")
    if plan.previous_window is not None:
        lines.append(f"- Compared with: {_md(window_text(plan.previous_window))}")
    lines.append(f"- Filters: {_md(filters_text(plan, names))}")
    if plan.unsupported:
        lines.append(f"- {_md(unsupported_line(plan))}")
    version = answer.taxonomy_version if answer.taxonomy_version is not None else plan.taxonomy_version
    lines.append(f"- Taxonomy version: {version if version is not None else 'none'}")
    return lines


def ticket_description(answer: Answer, *, answer_url: str | None = None) -> str:
    """The tracker description of a ticket filed from ``answer`` (``answer_url``: the Slack message's link)."""
    summary = _md(answer.headline or answer.question)
    p_value = no_significant_change(answer)
    if p_value is not None:
        summary += f" The change is within normal variation (p = {p_value:.2f}): not a significant change."
    lines = [summary, "", "**Figures**", *_figures(answer)]
    quotes = answer.citations[:MAX_QUOTES]
    if quotes:
        lines += ["", "**Top quotes**", ""]
        for quote in quotes:
            lines += [*quote_block(quote, chars=QUOTE_CHARS), ""]
        lines.pop()
    asked = f"Asked in Slack: “{_md(answer.question)}”"
    link = markdown_link("View the answer in Slack", answer_url) if answer_url else ""
    lines += ["", " · ".join(p for p in (asked, link) if p)]
    return "\n".join(lines)
