"""Offline answers: one template per plan kind, phrasing tool results and nothing else.

Every figure is formatted from a tool result by the helpers below (which the verifier's rules accept); the
footer states window, filters, assumptions, taxonomy version, data freshness (stale sources called out) and the
numbered sources.
"""

from __future__ import annotations

from collections.abc import Callable

from groundswell.core.answer import CitedQuote, ResultRow, ToolResult
from groundswell.core.query import QueryPlan, Window
from groundswell.graph.tools import Gathered
from groundswell.graph.verify import shorten

__all__ = [
    "HELP_TEXT",
    "compose_template",
    "fmt_count",
    "fmt_money",
    "footer",
    "label_quality_line",
    "window_text",
]

HELP_TEXT = """I answer questions about customer feedback with exact counts, revenue context and quotes. Try:
• What are customers most frustrated about this week?
• Which complaints are rising among Enterprise accounts? (last 30 days vs the 30 before)
• What feedback is blocking renewals? (accounts renewing within 60 days)
• What should Product prioritise for SMB?
• What changed after release 4.12? · What does Acme say? · Show me quotes about SSO from Mid-Market
Follow-ups in the same thread keep context: "and for SMB?", "show more quotes"."""

METRIC_NAMES = {
    "count": "signals",
    "growth": "change",
    "arr": "ARR at stake",
    "arr_per_account": "ARR per account",
    "arr_sum": "ARR",
    "negative_share": "negative share",
    "priority": "priority score",
    "lost_amount": "lost pipeline",
}
MAX_LISTED = 4  # longer filter lists are shown as a count
GROUP_NAMES = {"parent_theme": "theme area", "source": "source", "account": "account"}


def fmt_count(value: float) -> str:
    return f"{round(value):,}"


def fmt_money(value: float) -> str:
    """$2.3M, $45.2K, $950 (the verifier accepts the rounding these show)."""
    for scale, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(value) >= scale:
            return f"${value / scale:.1f}{suffix}"
    return f"${value:,.0f}"


def signals(value: float) -> str:
    return f"{fmt_count(value)} signal{'' if round(value) == 1 else 's'}"


def fmt_signed(value: float) -> str:
    return f"{'+' if value > 0 else ''}{fmt_count(value)}"


def fmt_metric(metric: str, value: float) -> str:
    if metric in ("arr", "arr_per_account", "arr_sum", "lost_amount"):
        return fmt_money(value)
    if metric == "negative_share":
        return f"{value * 100:.0f}%" if value <= 1 else f"{value:.0f}%"
    if metric == "priority":
        return f"{value:.2f}"
    if metric == "growth":
        return fmt_signed(value)
    return fmt_count(value)


def window_text(window: Window | None) -> str:
    if window is None:
        return "all time"
    last_day = window.end.date().toordinal() - 1
    span = f"{window.start.date().isoformat()} to {type(window.end.date()).fromordinal(last_day).isoformat()}"
    return f"{window.label} ({span})" if window.label else span


def _listed(values: list[str], names: dict[str, str], noun: str) -> str:
    shown = [names.get(v, v) for v in values]
    return f"{noun} {', '.join(shown)}" if len(shown) <= MAX_LISTED else f"{len(shown)} {noun}s"


def filters_text(plan: QueryPlan, names: dict[str, str] | None = None) -> str:
    """The plan's filters in words; theme keys and account ids shown by name when ``names`` has them."""
    f, names = plan.filters, names or {}
    parts = [
        _listed(values, names, noun)
        for noun, values in (
            ("theme", f.themes),
            ("segment", f.segments),
            ("plan", f.plans),
            ("account", f.accounts),
            ("source", f.sources),
            ("sentiment", f.sentiments),
            ("intent", f.intents),
            ("severity", f.severities),
        )
        if values
    ]
    parts += [f"excluding {_listed(values, names, noun)}" for noun, values in f.exclude.by_field()]
    if f.renewing_within_days is not None:
        parts.append(f"accounts renewing within {f.renewing_within_days} days")
    if f.lost_pipeline_days is not None:
        lost = f"accounts that lost a deal in the window or the {f.lost_pipeline_days} days after"
        if f.intents_or_lost_pipeline and f.intents:
            parts = [p for p in parts if not p.startswith("intent ")]
            lost = f"{_listed(f.intents, names, 'intent')} OR {lost}"
        parts.append(lost)
    if f.at_risk_signals:
        parts.append("negative or churn-risk signals")
    if f.mixed is not None:
        parts.append("mixed (praise and a complaint)" if f.mixed else "not mixed")
    if f.arr_min is not None or f.arr_max is not None:
        bounds = [f"at least {fmt_money(f.arr_min)}" if f.arr_min is not None else "",
                  f"at most {fmt_money(f.arr_max)}" if f.arr_max is not None else ""]  # fmt: skip
        parts.append(f"account ARR {' and '.join(b for b in bounds if b)} at the time")
    if f.text:
        parts.append(f'about "{f.text}"')
    return "; ".join(parts) or "none"


LABEL_KEY = "label:"  # cite-map entries by the theme a citation was quoted for, so a row also cites its quotes


def _cite_map(citations: list[CitedQuote]) -> dict[str, list[int]]:
    """Unit id -> citation numbers, plus ``LABEL_KEY + theme`` -> the numbers of citations about that theme."""
    by_unit: dict[str, list[int]] = {}
    for quote in citations:
        by_unit.setdefault(quote.unit_id, []).append(quote.n)
        if quote.theme:
            by_unit.setdefault(LABEL_KEY + quote.theme, []).append(quote.n)
    return by_unit


def _row_cites(row: ResultRow, by_unit: dict[str, list[int]]) -> str:
    """A row's evidence and the quotes shown for it."""
    return _cites([*row.unit_ids, LABEL_KEY + row.label], by_unit)


def _cites(unit_ids: list[str], by_unit: dict[str, list[int]]) -> str:
    numbers = sorted({n for unit_id in unit_ids for n in by_unit.get(unit_id, [])})
    return " ".join(f"[{n}]" for n in numbers)


def _first(results: list[ToolResult]) -> ToolResult:
    return results[0] if results else ToolResult(tool="none")


def _table(plan: QueryPlan, rows: list[ResultRow], by_unit: dict[str, list[int]]) -> str:
    """A compact fixed-width ranking: rank, label, the metric, signals (and ARR when known), citations."""
    width = min(max((len(r.label) for r in rows), default=10), 48)
    metric = plan.metric
    lines = []
    for i, row in enumerate(rows, start=1):
        cells = [f"{i:>2}. {row.label[:width]:<{width}}", f"{fmt_metric(metric, row.value):>9}"]
        if metric == "growth" and row.previous is not None:
            cells.append(f"({fmt_count(row.previous)} → {fmt_count(row.previous + (row.delta or 0))})")
        if metric != "count" and row.count:
            cells.append(signals(row.count))
        if row.arr is not None and metric not in ("arr", "arr_sum"):
            cells.append(f"ARR {fmt_money(row.arr)}")
        cells.append(_lost_cell(metric, row))
        if plan.group_by in ("theme", "parent_theme") and row.extra.get("owner_team"):
            cells.append(f"→ {row.extra['owner_team']}")  # who acts on it
        cells.append(_row_cites(row, by_unit))
        lines.append("  ".join(c for c in cells if c).rstrip())
    return "```\n" + "\n".join(lines) + "\n```"


def _lost_cell(metric: str, row: ResultRow) -> str:
    """ "lost $40.0K (2 lost deals, 1 shared)" when the row carries lost pipeline; the deal count alone when that
    is the value. "shared": deals split with other rows, of which this row holds only a share."""
    deals = row.extra.get("lost_deals")
    if not isinstance(deals, int) or not deals:
        return ""
    shared = row.extra.get("lost_deals_shared")
    count = f"{fmt_count(deals)} lost deal{'' if deals == 1 else 's'}"
    if isinstance(shared, int) and shared:
        count += ", all shared" if shared == deals else f", {fmt_count(shared)} shared"
    return count if metric == "lost_amount" else f"lost {fmt_money(float(row.extra['lost_amount']))} ({count})"


def _ranking(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    rows = result.rows[: plan.k]
    group = GROUP_NAMES.get(plan.group_by, plan.group_by)
    measure = METRIC_NAMES.get(plan.metric, plan.metric)
    if not rows:
        return f"No {group} matches.", f"No {group} has matching feedback for these filters."
    top = rows[0]
    lost = _lost_cell(plan.metric, top) if plan.metric != "lost_amount" else ""
    headline = (
        f"Top {group}: {top.label} ({fmt_metric(plan.metric, top.value)} {measure}{'; ' + lost if lost else ''})."
    )
    text = f"Top {len(rows)} by {measure}:\n" + _table(plan, rows, by_unit)
    if plan.metric == "priority" and plan.weights is not None:
        w = plan.weights
        text += (
            f"\nPriority weights: volume {w.volume:g}, ARR {w.arr:g}, severity {w.severity:g}, trend {w.trend:g},"
            f" lost pipeline {w.lost:g} (scores are these weights applied to normalised components;"
            " change them to argue the ranking)."
        )
    return headline, text


def _count(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    total = result.total if result.total is not None else sum(r.value for r in result.rows)
    cites = _cites(result.unit_ids, by_unit)
    if plan.metric == "lost_amount":
        deals, accounts = result.meta.get("lost_deals", 0), result.meta.get("lost_accounts", 0)
        headline = (
            f"{fmt_money(total)} of closed-lost pipeline: {fmt_count(deals)} deal{'' if deals == 1 else 's'} "
            f"lost by {fmt_count(accounts)} account{'' if accounts == 1 else 's'} behind this feedback."
        )
    elif plan.kind == "number" or plan.metric in ("arr_sum", "arr"):
        accounts = result.meta.get("accounts")
        tail = f" across {fmt_count(accounts)} accounts" if isinstance(accounts, int | float) else ""
        headline = f"{fmt_money(total)} ARR{tail}."
    else:
        headline = f"{signals(total)} match{'es' if round(total) == 1 else ''}."
    return headline, headline + (f" Examples: {cites}" if cites else "")


def _trend(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    rows = result.rows
    if not rows:
        return "No signals in this window.", "No signals in this window."
    lines = [f"{r.label or r.key}  {fmt_count(r.value):>6}  {_cites(r.unit_ids, by_unit)}".rstrip() for r in rows]
    peak = max(rows, key=lambda r: (r.value, r.key))
    headline = f"Per {plan.bucket}: peak {fmt_count(peak.value)} signals ({peak.label or peak.key})."
    return headline, f"Signals per {plan.bucket}:\n```\n" + "\n".join(lines) + "\n```"


def _set(plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]) -> tuple[str, str]:
    rows = result.rows
    noun = GROUP_NAMES.get(plan.group_by, plan.group_by) if plan.group_by != "theme" else "account"
    if not rows:
        return f"No {noun} matches.", f"No {noun} matches these filters."
    from groundswell.graph.compose_kinds import account_list

    items = (
        account_list(rows, by_unit)
        if plan.group_by == "account"
        else [
            " · ".join(p for p in (f"• {r.label} — {signals(r.count or r.value)}", _lost_cell("count", r)) if p)
            + f" {_cites(r.unit_ids, by_unit)}"
            for r in rows
        ]
    )
    headline = f"{fmt_count(len(rows))} {noun}{'' if len(rows) == 1 else 's'} match{'es' if len(rows) == 1 else ''}."
    return headline, headline[:-1] + ":\n" + "\n".join(i.rstrip() for i in items)


def _account(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    meta = result.meta
    facts = [f"{key} {meta[key]}" for key in ("segment", "plan") if meta.get(key)]
    if isinstance(meta.get("arr"), int | float):
        facts.append(f"ARR {fmt_money(float(meta['arr']))}")
    if meta.get("renewal_date"):
        facts.append(f"renews {meta['renewal_date']}")
    name = meta.get("name") or ", ".join(names.get(a, a) for a in plan.filters.accounts) or "this account"
    headline = f"{name}: {signals(result.total or sum(r.count for r in result.rows))}."
    text = headline + (f" ({'; '.join(facts)})" if facts else "")
    if result.rows:
        text += "\nWhat they talk about:\n" + _table(plan.model_copy(update={"metric": "count"}), result.rows, by_unit)
    return headline, text


def _quotes(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    return "Representative quotes:", "Representative quotes:"


Body = Callable[[QueryPlan, ToolResult, dict[str, list[int]], dict[str, str]], tuple[str, str]]
BODIES: dict[str, Body] = {
    "count": _count,
    "number": _count,
    "ranking": _ranking,
    "trend": _trend,
    "set": _set,
    "quotes": _quotes,
    "account": _account,
}


LOST_ATTRIBUTION = (
    "Lost pipeline: each deal counted once, for the theme its loss reason names, else split evenly across the "
    'themes its account mentioned; a row\'s "shared" deals are split with other rows, so deal counts do not add up '
    "across rows, amounts do."
)


def quotes_block(citations: list[CitedQuote], quote_chars: int) -> str:
    return "\n".join(f"> “{shorten(q.text, quote_chars)}” [{q.n}]" for q in citations)


def label_quality_line(results: list[ToolResult]) -> str:
    """ "Theme labels: SSO login 0.91 precise on 120 reviewed units; Invoices not yet measured." (``eval gold``)"""
    quality = next((r.meta["label_quality"] for r in results if r.meta.get("label_quality")), None)
    if not quality:
        return ""
    parts = []
    for item in quality:
        if item.get("precision") is None:
            parts.append(f"{item['name']} not yet measured")
        else:
            reviewed = item["reviewed"]
            parts.append(f"{item['name']} {item['precision']:.2f} precise on {fmt_count(reviewed)} reviewed unit"
                         f"{'' if reviewed == 1 else 's'}")  # fmt: skip
    return "Theme labels (held-out check on reviewed units): " + "; ".join(parts) + "."


def footer(plan: QueryPlan, gathered: Gathered) -> str:
    """Window, filters, assumptions, taxonomy, freshness and the numbered sources."""
    from groundswell.graph.compose_kinds import unsupported_line

    lines = [f"Window: {window_text(plan.filters.window)} · Filters: {filters_text(plan, gathered.names)}"]
    if plan.unsupported:
        lines.insert(0, "⚠ " + unsupported_line(plan))
    if plan.notes:
        lines.append("Assumed: " + "; ".join(plan.notes))
    if any("lost_attribution" in r.meta for r in gathered.results):
        lines.append(LOST_ATTRIBUTION)
    quality = label_quality_line(gathered.results)
    if quality:
        lines.append(quality)
    taxonomy = f"taxonomy v{gathered.taxonomy_version}" if gathered.taxonomy_version is not None else "no taxonomy"
    fresh = ", ".join(f"{s} {t.date().isoformat() if t else 'never'}" for s, t in gathered.freshness.items())
    lines.append(f"Themes: {taxonomy} · Data as of: {fresh or 'no data ingested yet'}")
    if gathered.stale_sources:
        lines.append("⚠ Stale sources (older than their sync cadence): " + ", ".join(gathered.stale_sources))
    if gathered.citations:
        lines.append("Sources:")
        for q in gathered.citations:
            who = f" · {q.account}" if q.account else ""
            link = f" · {q.url}" if q.url else ""
            lines.append(f"[{q.n}] {q.source} · {q.created_at.date().isoformat()}{who}{link}")
    return "\n".join(lines)


def compose_template(plan: QueryPlan, gathered: Gathered, *, quote_chars: int = 280) -> tuple[str, str]:
    """(headline, full text) for any plan kind."""
    if plan.kind == "clarify":
        text = plan.clarification or "Could you say a bit more about what you want to know?"
        return text, text
    if plan.kind == "help":
        reason = "\n".join(plan.notes)
        return "Here is what I can answer.", (reason + "\n\n" if reason else "") + HELP_TEXT
    from groundswell.graph.compose_kinds import KIND_BODIES, headline_for

    body_of = BODIES.get(plan.kind) or KIND_BODIES[plan.kind]
    finding, body = body_of(plan, _first(gathered.results), _cite_map(gathered.citations), gathered.names)
    headline = headline_for(plan, gathered.names, finding)
    block = quotes_block(gathered.citations[: gathered.quoted], quote_chars)
    if plan.kind == "quotes" and not block:
        headline = body = "No quotes match these filters."
    return headline, "\n\n".join(p for p in (body, block, footer(plan, gathered)) if p)
