"""Templates for ``overview``, ``owners`` and ``comparison`` (with its movers), account lists, human headlines
and the unsupported-parts line.

Like ``graph.compose``, every figure is formatted from a tool result (the verifier's rules accept them); the
words of a headline come from the plan (segment, theme, intent, window label), never from a model.
"""

from __future__ import annotations

from groundswell.core.answer import ResultRow, ToolResult
from groundswell.core.query import QueryPlan
from groundswell.core.stats import SIGNIFICANCE_LEVEL
from groundswell.graph.compose import (
    _cites,
    _lost_cell,
    _row_cites,
    _table,
    fmt_count,
    fmt_money,
    fmt_signed,
    signals,
    window_text,
)

__all__ = [
    "KIND_BODIES",
    "account_list",
    "comparison_body",
    "headline_for",
    "overview_body",
    "owners_body",
    "subject",
    "unsupported_line",
]

INTENT_NOUNS = {
    "complaint": "complaints",
    "bug_report": "bug reports",
    "feature_request": "feature requests",
    "praise": "praise",
    "question": "questions",
    "churn_risk": "churn-risk signals",
    "other": "other feedback",
}
SENTIMENT_WORDS = {"negative": "negative", "neutral": "neutral", "positive": "positive"}


def _lower_first(name: str) -> str:
    """ "Billing" -> "billing", but "SSO login" stays (an acronym or a proper name in capitals)."""
    return name if len(name) > 1 and name[1].isupper() else name[:1].lower() + name[1:]


def _words(values: list[str], names: dict[str, str], lower: bool = False) -> str:
    shown = [names.get(v, v) for v in values]
    shown = [_lower_first(s) for s in shown] if lower else shown
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1] if shown else ""


def subject(plan: QueryPlan, names: dict[str, str] | None = None) -> str:
    """What the question is about, as a person would say it: "Enterprise billing complaints"."""
    f, names = plan.filters, names or {}
    if f.at_risk_signals:
        noun = "at-risk signals (negative or churn risk)"
    elif f.intents:
        noun = _words([INTENT_NOUNS.get(i, i.replace("_", " ")) for i in f.intents], {})
    else:
        noun = "feedback"
    before = [s for s in (_words(f.segments, names), _words(f.plans, names) + (" plan" if f.plans else "")) if s]
    if f.sentiments and not f.at_risk_signals:
        before.append(_words([SENTIMENT_WORDS.get(s, s) for s in f.sentiments], {}))
    if f.mixed:
        before.append("mixed")
    if f.severities:
        before.append(_words(f.severities, {}) + "-severity")
    if f.themes:
        before.append(_words(f.themes, names, lower=bool(before)))
    text = " ".join([*before, noun])
    after = []
    if f.accounts:
        after.append(f"from {_words(f.accounts, names)}")
    if f.sources:
        after.append(f"via {_words(f.sources, {})}")
    bounds = [f"over {fmt_money(f.arr_min)}" if f.arr_min is not None else "",
              f"up to {fmt_money(f.arr_max)}" if f.arr_max is not None else ""]  # fmt: skip
    if any(bounds):
        after.append(f"from accounts with ARR {' and '.join(b for b in bounds if b)}")
    if f.renewing_within_days is not None:
        after.append(f"from accounts renewing within {f.renewing_within_days} days")
    if f.exclude:
        ruled_out = [value for _, values in f.exclude.by_field() for value in values]
        after.append(f"excluding {_words(ruled_out, names)}")
    text = " ".join([text, *after])
    return text[:1].upper() + text[1:]


def headline_for(plan: QueryPlan, names: dict[str, str], finding: str) -> str:
    """ "Enterprise billing complaints, last 30 days — top theme: Invoices (12 signals)." """
    title = subject(plan, names)
    window = plan.filters.window
    if window is not None and window.label:
        title += f", {window.label}"
    return f"{title} — {finding}" if finding else title


def unsupported_line(plan: QueryPlan) -> str:
    """Every part of the question the plan could not honour, said plainly (never dropped)."""
    return "I could not apply: " + "; ".join(plan.unsupported) + "." if plan.unsupported else ""


def _pct(part: float, whole: float) -> str:
    return f"{part / whole * 100:.0f}%" if whole else "0%"


def overview_body(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    total = float(result.total or 0)
    about = _words(plan.filters.themes, names) or "all themes"
    if not total:
        return f"No feedback about {about}.", f"No feedback about {about} matches these filters."
    top = result.rows[0] if result.rows else None
    finding = f"{top.label} leads ({fmt_count(top.value)} of {signals(total)})." if top else f"{signals(total)}."
    accounts = result.meta.get("accounts")
    lines = [f"{signals(total)} about {about}" + (f" from {fmt_count(accounts)} accounts." if accounts else ".")]
    if result.rows:
        lines.append("Sub-themes:\n" + _table(plan.model_copy(update={"metric": "count"}), result.rows, by_unit))
    intents = [i for i in result.meta.get("intents", []) if isinstance(i, dict)]
    if intents:
        parts = [f"{INTENT_NOUNS.get(str(i['key']), str(i['key']))} {fmt_count(i['count'])} "
                 f"({_pct(float(i['count']), total)})" for i in intents]  # fmt: skip
        lines.append("By intent: " + " · ".join(parts))
    trend = [w for w in result.meta.get("trend", []) if isinstance(w, dict)]
    if trend:
        weeks = " · ".join(f"{w['start']} {fmt_count(w['count'])}{' (partial)' if w.get('partial') else ''}"
                           for w in trend)  # fmt: skip
        lines.append("Per week: " + weeks)
    return finding, "\n".join(lines)


def _tickets(n: int) -> str:
    return f"{fmt_count(n)} open ticket{'' if n == 1 else 's'}"


def owners_body(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    rows = result.rows
    if not rows:
        return "No owner team has matching feedback.", "No feedback in these filters maps to a theme with an owner."
    top = rows[0]
    finding = (
        f"{top.label} has the most to act on ({signals(top.count)}, {_tickets(top.extra.get('open_tickets', 0))})."
    )
    lines = [f"Owner teams by volume (top {fmt_count(len(rows))}):"]
    for row in rows:
        themes = ", ".join(f"{t['label']} {fmt_count(t['count'])}" for t in row.extra.get("top_themes", []))
        cells = [f"• {row.label} — {signals(row.count)}", _tickets(row.extra.get("open_tickets", 0))]
        if themes:
            cells.append(f"top themes: {themes}")
        lines.append(" · ".join(cells) + (f" {_cites(row.unit_ids, by_unit)}" if row.unit_ids else "").rstrip())
    unowned = result.meta.get("unowned")
    if isinstance(unowned, int) and unowned:
        lines.append(f"{signals(unowned)} fall under themes without an owner team.")
    return finding, "\n".join(line.rstrip() for line in lines)


def account_list(rows: list[ResultRow], by_unit: dict[str, list[int]]) -> list[str]:
    """Accounts by ARR descending (unknown ARR last), each with name, ARR, renewal date and its signals."""
    items = []
    for row in sorted(rows, key=lambda r: (r.arr is None, -(r.arr or 0.0), r.label, r.key)):
        renewal = row.extra.get("renewal_date")
        cells = [
            f"• {row.label} — " + (f"ARR {fmt_money(row.arr)}" if row.arr is not None else "ARR unknown"),
            f"renews {renewal}" if renewal else "no renewal date",
            signals(row.count or row.value),
            _lost_cell("count", row),
        ]
        items.append((" · ".join(c for c in cells if c) + f" {_cites(row.unit_ids, by_unit)}").rstrip())
    return items


def _significance(p_value: float | None) -> str:
    if p_value is None:
        return ""
    if p_value < 0.01:
        return f"a statistically significant change (p = {p_value:.3f})"
    if p_value < 0.05:
        return f"a significant change (p = {p_value:.3f})"
    return f"within normal variation, not a significant change (p = {p_value:.2f})"


def comparison_body(
    plan: QueryPlan, result: ToolResult, by_unit: dict[str, list[int]], names: dict[str, str]
) -> tuple[str, str]:
    row = result.rows[0] if result.rows else None
    current = row.value if row else (result.total or 0.0)
    previous = row.previous if row else result.meta.get("previous")
    delta = row.delta if row else result.meta.get("delta")
    p_value = row.p_value if row else result.meta.get("p_value")
    previous = float(previous or 0.0)
    delta = float(delta if delta is not None else current - previous)
    change = f"{fmt_signed(delta)}"
    if previous:
        change += f", {delta / previous * 100:+.0f}%"
    headline = f"{signals(current)} vs {fmt_count(previous)} before ({change})."
    detail = [f"{subject(plan, names)}: {headline}"]
    if plan.previous_window is not None:
        detail.append(f"Compared with {window_text(plan.previous_window)}.")
    significance = _significance(p_value)
    if significance:
        detail.append(f"That is {significance}.")
    cites = _cites((row.unit_ids if row else []) + result.unit_ids, by_unit)
    text = " ".join(detail) + (f" {cites}" if cites else "")
    movers = [_mover(r, by_unit) for r in result.rows[1:] if r.extra.get("mover")]
    return headline, text + ("\nBiggest changes by theme:\n" + "\n".join(movers) if movers else "")


def _mover(row: ResultRow, by_unit: dict[str, list[int]]) -> str:
    """ "• Billing > Invoices: 12 vs 5 before (+7, significant) [3]" """
    before, delta = fmt_count(row.previous or 0.0), fmt_signed(row.delta or 0.0)
    significant = ", significant" if row.p_value is not None and row.p_value < SIGNIFICANCE_LEVEL else ""
    cites = _row_cites(row, by_unit)
    line = f"• {row.label}: {fmt_count(row.value)} vs {before} before ({delta}{significant})"
    return f"{line} {cites}" if cites else line


KIND_BODIES = {"overview": overview_body, "owners": owners_body, "comparison": comparison_body}
