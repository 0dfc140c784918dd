"""Block Kit for answers: the answer message, its sources drill-down and the themes list. Pure functions."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime

from groundswell.core.answer import Answer, CitedQuote, ResultRow, ToolResult
from groundswell.messaging.blockkit import (
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    header,
    link,
    option,
    overflow,
    section,
    truncate,
)
from groundswell.messaging.ids import (
    ACTION_CREATE_TICKET,
    ACTION_FEEDBACK_DOWN,
    ACTION_FEEDBACK_UP,
    ACTION_REVIEW_OPEN,
    ACTION_SHOW_SOURCES,
    ACTION_SOURCES_PAGE,
)

__all__ = [
    "SOURCES_PER_PAGE",
    "answer_blocks",
    "answer_fallback_text",
    "body_text",
    "context_line",
    "format_number",
    "quote_block",
    "sources_blocks",
    "sources_page_count",
    "table_text",
    "themes_blocks",
    "working_blocks",
]

_FOOTER = re.compile(r"^(Window|Themes|Sources|Data as of|Filters):")
TABLE_ROWS = 8
BAR_WIDTH = 12
INLINE_QUOTES = 3
SOURCES_PER_PAGE = 5
QUOTE_CHARS = 280


def _age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "never synced"
    seconds = max(0.0, (now - moment.astimezone(UTC)).total_seconds())
    for size, unit in ((86_400, "d"), (3_600, "h"), (60, "min")):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def context_line(answer: Answer, *, now: datetime | None = None) -> str:
    """Window, freshness and taxonomy version in one line, so every number says what it counts."""
    now = now or datetime.now(UTC)
    parts: list[str] = []
    window = answer.window or answer.plan.filters.window
    if window is not None:
        label = window.label or "window"
        parts.append(f"*{escape(label)}*: {window.start:%-d %b %Y} – {window.end:%-d %b %Y}")
    if answer.freshness:
        newest = max((t for t in answer.freshness.values() if t is not None), default=None)
        parts.append(f"data as of {_age(newest, now)}")
    if answer.taxonomy_version is not None:
        parts.append(f"taxonomy v{answer.taxonomy_version}")
    if answer.stale_sources:
        parts.append(f":warning: stale: {escape(', '.join(sorted(answer.stale_sources)))}")
    return " · ".join(parts) or "no data window"


def format_number(value: float) -> str:
    if math.isclose(value, round(value)):
        return f"{round(value):,}"
    return f"{value:,.2f}"


def _bar(value: float, top: float) -> str:
    if top <= 0 or value <= 0:
        return ""
    return "█" * max(1, round(BAR_WIDTH * value / top))


def table_text(rows: list[ResultRow], *, limit: int = TABLE_ROWS) -> str:
    """A compact fixed-width table with bars: label, value, change, bar."""
    shown = rows[:limit]
    if not shown:
        return ""
    width = min(32, max(len(r.label) for r in shown))
    top = max(r.value for r in shown)
    lines = []
    for row in shown:
        delta = "" if row.delta is None else f" ({'+' if row.delta >= 0 else ''}{format_number(row.delta)})"
        label = escape(truncate(row.label, width).ljust(width))
        lines.append(f"{label} {format_number(row.value):>9}{delta:<9} {_bar(row.value, top)}")
    more = f"\n… and {len(rows) - limit} more" if len(rows) > limit else ""
    return "```" + "\n".join(lines) + more + "```"


def _primary(results: list[ToolResult]) -> ToolResult | None:
    return next((r for r in results if r.rows), None) or next((r for r in results if r.total is not None), None)


def _numbers_blocks(answer: Answer) -> list[Block]:
    result = _primary(answer.results)
    if result is None:
        return []
    if result.rows:
        return [section(table_text(result.rows))]
    return [section(f"*{format_number(result.total or 0)}*")]


def _citation_ref(quote: CitedQuote) -> str:
    where = " · ".join(x for x in (quote.source, quote.account, quote.segment, f"{quote.created_at:%-d %b %Y}") if x)
    return link(quote.url, f"[{quote.n}] {where}")


def quote_block(quote: CitedQuote) -> Block:
    text = escape(truncate(" ".join(quote.text.split()), QUOTE_CHARS))
    return section(f"> {text}\n{_citation_ref(quote)}")


def _answer_buttons(answer_id: str, *, with_sources: bool) -> Block:
    elements = []
    if with_sources:
        elements.append(button("Show sources", ACTION_SHOW_SOURCES, answer_id))
    elements += [
        button("Create ticket", ACTION_CREATE_TICKET, answer_id, style="primary"),
        button("👍", ACTION_FEEDBACK_UP, answer_id),
        button("👎", ACTION_FEEDBACK_DOWN, answer_id),
    ]
    return actions(*elements, block_id=f"answer:{answer_id}"[:255])


def _escape_keeping_quotes(text: str) -> str:
    """mrkdwn-escape each line, keeping a leading ">" so block quotes stay quotes."""
    return "\n".join(">" + escape(line[1:]) if line.startswith(">") else escape(line) for line in text.splitlines())


def body_text(answer: Answer) -> str:
    """The answer's text without the footer a composer may append (window, themes, sources): the message renders
    those itself, as the context line and linked citations."""
    lines = answer.text.strip().splitlines()
    cut = next((i for i, line in enumerate(lines) if _FOOTER.match(line)), len(lines))
    body = "\n".join(lines[:cut]).strip()
    return "" if body == answer.headline.strip() else body


def answer_blocks(answer: Answer, *, answer_id: str, now: datetime | None = None) -> list[Block]:
    """The answer message: headline, text, numbers, quotes with numbered links, context line, buttons.

    A composed text that already holds a table (a code block) or the quotes (lines starting with ">") is shown as
    is, and the builder adds only what it lacks, so nothing appears twice.
    """
    if answer.clarification:
        return [section(f":thinking_face: {escape(answer.clarification)}"), context(context_line(answer, now=now))]
    blocks: list[Block] = [header(answer.headline or truncate(answer.question, 150))]
    body = body_text(answer)
    if body:
        blocks.append(section(_escape_keeping_quotes(body)))
    if "```" not in body:
        blocks += _numbers_blocks(answer)
    quoted = any(line.startswith(">") for line in body.splitlines())
    inline = 0 if quoted else INLINE_QUOTES
    blocks += [quote_block(q) for q in answer.citations[:inline]]
    if len(answer.citations) > inline:
        refs = " ".join(_citation_ref(q) for q in answer.citations[inline:])
        blocks.append(context(truncate(f"{'More sources' if inline else 'Sources'}: {refs}", 3000)))
    notes = "" if answer.verified else " · :grey_question: phrased from a template (the check of the draft failed)"
    blocks.append(context(context_line(answer, now=now) + notes))
    blocks.append(_answer_buttons(answer_id, with_sources=bool(answer.citations)))
    return blocks


def answer_fallback_text(answer: Answer) -> str:
    """The notification / screen-reader text of an answer message."""
    return truncate(answer.clarification or answer.headline or answer.text or answer.question, 3000)


def sources_page_count(answer: Answer, per_page: int = SOURCES_PER_PAGE) -> int:
    return max(1, math.ceil(len(answer.citations) / per_page))


def sources_blocks(
    answer: Answer, *, answer_id: str, page: int = 1, per_page: int = SOURCES_PER_PAGE, reviewable: bool = False
) -> list[Block]:
    """One page of the answer's sources (shown ephemerally), with previous/next buttons; for a ``reviewable``
    viewer each quote has a "Review labels" overflow (opens the review modal for that unit)."""
    pages = sources_page_count(answer, per_page)
    page = min(max(1, page), pages)
    shown = answer.citations[(page - 1) * per_page : page * per_page]
    blocks: list[Block] = [section(f"*Sources for:* {escape(truncate(answer.question, 500))}")]
    if not shown:
        blocks.append(section("This answer cites no individual records (it is an aggregate)."))
    for quote in shown:
        theme = f" · theme `{escape(quote.theme, formatting=True)}`" if quote.theme else ""
        block = quote_block(quote)
        if reviewable:
            block["accessory"] = overflow(f"{ACTION_REVIEW_OPEN}:{quote.n}", [option(quote.unit_id, "Review labels")])
        blocks.append(block)
        blocks.append(context(f"unit `{escape(quote.unit_id)}`{theme}"))
    blocks.append(context(f"page {page} of {pages} · {len(answer.citations)} sources"))
    nav = []
    if page > 1:
        nav.append(button("◀ Previous", f"{ACTION_SOURCES_PAGE}:prev", f"{answer_id}:{page - 1}"))
    if page < pages:
        nav.append(button("Next ▶", f"{ACTION_SOURCES_PAGE}:next", f"{answer_id}:{page + 1}"))
    if nav:
        blocks.append(actions(*nav))
    return blocks


def themes_blocks(answer: Answer, *, answer_id: str, now: datetime | None = None) -> list[Block]:
    """The themes list (`/groundswell themes`): a ranked table with bars, then the usual context and buttons."""
    result = _primary(answer.results)
    title = answer.headline or "Top themes"
    if result is None or not result.rows:
        return [
            header(title),
            section(escape(answer.text or "No themes in this window.")),
            context(context_line(answer, now=now)),
        ]
    lines = []
    for i, row in enumerate(result.rows[:15], start=1):
        change = "" if row.delta is None else f"  ({'+' if row.delta >= 0 else ''}{format_number(row.delta)})"
        arr = "" if row.arr is None else f" · ARR {format_number(row.arr)}"
        lines.append(f"{i}. *{escape(row.label, formatting=True)}* — {format_number(row.value)}{change}{arr}")
    return [
        header(title),
        section("\n".join(lines)),
        section(table_text(result.rows)),
        divider(),
        context(context_line(answer, now=now)),
        _answer_buttons(answer_id, with_sources=bool(answer.citations)),
    ]


def working_blocks(question: str) -> list[Block]:
    """The status posted right after ack, replaced by the answer."""
    return [context(f":hourglass_flowing_sand: Working on it: _{escape(truncate(question, 500))}_")]
