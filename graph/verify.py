"""The verifier: every number and every citation in an answer must come from the tool results.

Rules, in order (``verify`` applies them to a copy of the text):

1. **Quotes are the customer's words**: each cited unit's text (whole, or as shortened for display) is removed
   first, so a number inside a verbatim quote is neither checked nor usable as a figure. Links must be the
   cited units' links, and are removed too.
2. **Citations**: every ``[n]`` must be a citation of the answer whose unit is among the units the tools returned
   (results' ``unit_ids``, row evidence, quotes) and that the viewer may see.
3. **Dates** ``YYYY-MM-DD`` must be a window bound (or the day before an end), a cited unit's date, a data
   freshness date or a date written in the tool results (e.g. a renewal date).
4. **Numbers**: a token is ``[-+]?[$]?digits[.decimals][K|M|B]?[%]?`` with optional thousands commas. With ``d``
   decimals shown and scale ``s`` (K=1e3, M=1e6, B=1e9, else 1), the token ``t`` is allowed when some stated value
   ``v`` has ``round(|v| / s, d) == |t|``. Stated values: every number in the tool results (rows, totals,
   meta, extras, recursively); the number of rows and rank positions 1..rows; the plan's ``k``, quote count,
   ranking weights, taxonomy version and window lengths in days; numbers written inside result labels, keys,
   account names, window labels, planner notes, the plan's unsupported parts (restated as asked), the plan's
   filters and the display names of filtered themes and accounts; how many values each filter lists. A
   percentage may also be ``100·v`` or ``100·a/b`` for stated ``a``, ``b`` of the same result (shares and
   changes).
5. Answers to ``clarify`` and ``help`` plans state no figures from data and are not checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import permutations
from typing import Any

from groundswell.core.answer import CitedQuote, ToolResult
from groundswell.core.markdown_text import shorten
from groundswell.core.query import QueryPlan, Viewer, Window
from groundswell.graph.tools import is_visible

__all__ = ["Evidence", "VerifyReport", "evidence_for", "shorten", "verify"]

URL = re.compile(r"https?://[^\s)>\]]+")
CITATION = re.compile(r"\[(\d+)\]")
DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
NUMBER = re.compile(
    r"(?<![\w.])[-+−]?(?P<cur>\$)?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<dec>\d+))?(?P<suf>[KMB](?![A-Za-z]))?"
    r"(?P<pct>\s?%)?"
)
SCALES = {"K": 1e3, "M": 1e6, "B": 1e9}
EPS = 1e-9


@dataclass
class Evidence:
    """What an answer may state."""

    values: set[float] = field(default_factory=set)
    groups: list[list[float]] = field(default_factory=list)  # per result: values for derived percentages
    dates: set[str] = field(default_factory=set)
    citations: dict[int, CitedQuote] = field(default_factory=dict)
    unit_ids: set[str] = field(default_factory=set)
    quote_texts: list[str] = field(default_factory=list)
    urls: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class VerifyReport:
    ok: bool
    problems: list[str]


def _numbers(value: Any) -> Iterable[float]:
    """Every number in a JSON-like value, recursively (bools excluded)."""
    if isinstance(value, bool) or value is None:
        return
    if isinstance(value, int | float):
        yield float(value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, str):
        for match in NUMBER.finditer(value):
            yield _token_value(match)[0]


def _token_value(match: re.Match[str]) -> tuple[float, int, float, bool]:
    """(|t|, decimals shown, scale, is percentage) of a number token."""
    decimals = match["dec"] or ""
    value = float(match["int"].replace(",", "") + ("." + decimals if decimals else ""))
    return value, len(decimals), SCALES.get(match["suf"] or "", 1.0), bool(match["pct"])


def _window_facts(window: Window | None, evidence: Evidence) -> None:
    if window is None:
        return
    evidence.values.add(round((window.end - window.start) / timedelta(days=1)))
    for moment in (window.start, window.end, window.end - timedelta(days=1)):
        evidence.dates.add(moment.date().isoformat())
    evidence.values.update(_numbers(window.label))


def evidence_for(
    plan: QueryPlan,
    results: Sequence[ToolResult],
    citations: Sequence[CitedQuote],
    viewer: Viewer,
    *,
    freshness: dict[str, datetime | None] | None = None,
    quote_chars: int = 280,
    names: dict[str, str] | None = None,
) -> Evidence:
    """Collect the stated values, dates and citable units of one answer."""
    evidence = Evidence()
    for result in results:
        dumped = result.model_dump(mode="json", exclude={"unit_ids"})
        for row in dumped["rows"]:
            row.pop("unit_ids", None)
        group = list(_numbers(dumped))
        evidence.dates.update(DATE.findall(str(dumped)))
        evidence.values.update(group)
        evidence.groups.append(group)
        evidence.values.update(float(rank) for rank in range(1, len(result.rows) + 1))  # row count and ranks
        evidence.unit_ids.update(result.unit_ids)
        for row in result.rows:
            evidence.unit_ids.update(row.unit_ids)
    evidence.values.update(float(x) for x in (plan.k, plan.quotes, len(citations)))
    if plan.weights is not None:
        evidence.values.update(_numbers(plan.weights.model_dump()))
    if plan.taxonomy_version is not None:
        evidence.values.add(float(plan.taxonomy_version))
    evidence.values.update(_numbers(plan.notes))
    evidence.values.update(_numbers(plan.unsupported))  # restated as asked ("over $100k ARR"), never a result
    filters = plan.filters.model_dump(mode="json", exclude={"window"})
    evidence.values.update(_numbers(filters))  # account ids, "renewing within 60 days", theme keys
    evidence.values.update(float(len(v)) for v in filters.values() if isinstance(v, list))
    evidence.values.update(_numbers(list((names or {}).values())))
    _window_facts(plan.filters.window, evidence)
    _window_facts(plan.previous_window, evidence)
    for moment in (freshness or {}).values():
        if moment is not None:
            evidence.dates.add(moment.date().isoformat())
    for quote in citations:
        evidence.unit_ids.add(quote.unit_id)  # quotes came from the quote tool, run as this viewer
        if is_visible(viewer, quote.source, quote.account_id, quote.segment):
            evidence.citations[quote.n] = quote
        evidence.dates.add(quote.created_at.date().isoformat())
        evidence.values.update(_numbers([quote.account or "", quote.theme or "", quote.source]))
        evidence.quote_texts.extend([quote.text, shorten(quote.text, quote_chars)])
        if quote.url:
            evidence.urls.add(quote.url)
    return evidence


def _allowed(token: tuple[float, int, float, bool], evidence: Evidence) -> bool:
    value, decimals, scale, percent = token

    def hit(candidate: float) -> bool:
        return abs(round(abs(candidate) / scale, decimals) - value) < EPS

    if any(hit(v) for v in evidence.values):
        return True
    if not percent:
        return False
    if any(hit(100 * v) for v in evidence.values):
        return True
    return any(hit(100 * a / b) for group in evidence.groups for a, b in permutations(group, 2) if abs(b) > EPS)


def verify(text: str, evidence: Evidence) -> VerifyReport:
    """Check every citation, date and number of ``text`` against ``evidence``."""
    problems: list[str] = []
    rest = text
    for quote in sorted(set(evidence.quote_texts), key=len, reverse=True):
        if quote:
            rest = rest.replace(quote, " ")
    for match in URL.finditer(rest):
        if match[0] not in evidence.urls:
            problems.append(f"link {match[0]} is not a cited source")
    rest = URL.sub(" ", rest)
    for match in CITATION.finditer(rest):
        n = int(match[1])
        quote = evidence.citations.get(n)
        if quote is None:
            problems.append(f"citation [{n}] is not one of the answer's sources")
        elif quote.unit_id not in evidence.unit_ids:
            problems.append(f"citation [{n}] points to a unit the tools did not return")
    rest = CITATION.sub(" ", rest)
    for match in DATE.finditer(rest):
        if match[0] not in evidence.dates:
            problems.append(f"date {match[0]} is not in the results")
    rest = DATE.sub(" ", rest)
    for match in NUMBER.finditer(rest):
        if not _allowed(_token_value(match), evidence):
            problems.append(f"number {match[0].strip()!r} does not come from the results")
    return VerifyReport(ok=not problems, problems=problems)
